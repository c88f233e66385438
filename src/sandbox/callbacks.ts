import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { maskPhone } from '../phone';
import { signWebhook } from '../vonage/webhook-signature';
import type { SandboxMessage } from './outbox';

/** Vonage's Messages API refuses longer SMS texts. */
export const MAX_TEXT_LENGTH = 1000;
/** Sends to +1 305 555-0xxx are "opted out at the carrier": accepted, then a `rejected` status callback. */
const OPTED_OUT_PREFIX = '13055550';
const CALLBACK_MAX_ATTEMPTS = 5;
const CALLBACK_FIRST_BACKOFF_MS = 50;
const CALLBACK_ATTEMPT_TIMEOUT_MS = 5_000;
const REPLY_TIMEOUT_MS = 10_000;
const PHONE_INPUT = /^\+?[0-9]{7,15}$/;
const FAKE_USAGE = { currency: 'EUR', price: '0.0057' };
const FAKE_NETWORK_CODE = '310260';

type DeliveryStatus = 'submitted' | 'delivered' | 'rejected';

/** An SMS from a lead, as `reply()` delivers it to our inbound webhook. */
export interface SandboxReplyInput {
  from: string;
  to: string;
  text: string;
  messageUuid?: string;
}

export const replySchema = z.object({
  from: z.string().regex(PHONE_INPUT),
  to: z.string().regex(PHONE_INPUT),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
  messageUuid: z.string().min(1).max(100).optional(),
});

/** What the callbacks need: who signs them, where they go, and how long a status waits. */
export interface CallbackOptions {
  apiKey: string;
  signatureSecret: string;
  webhookBaseUrl?: string;
  logger: Logger;
  statusDelayMs: number;
}

/** The signed posts the sandbox makes to our webhooks, as Vonage would. */
export interface Callbacks {
  readonly hasWebhook: boolean;
  setWebhookBaseUrl(url: string): void;
  /** Posts the message's status callbacks in the background, until they are delivered or `signal` aborts. */
  deliverStatuses(message: SandboxMessage, signal: AbortSignal): void;
  /** Posts a signed inbound SMS to our webhook once, and returns the HTTP status our service answered. */
  reply(input: SandboxReplyInput, signal: AbortSignal): Promise<{ status: number; messageUuid: string }>;
}

export function createCallbacks(options: CallbackOptions): Callbacks {
  const { logger } = options;
  let webhookBaseUrl = options.webhookBaseUrl === undefined ? undefined : withoutTrailingSlash(options.webhookBaseUrl);

  async function postStatuses(message: SandboxMessage, statuses: DeliveryStatus[], signal: AbortSignal) {
    for (const status of statuses) {
      if (!(await pause(options.statusDelayMs, signal))) return;
      if (webhookBaseUrl === undefined) return;
      const url = `${webhookBaseUrl}/webhooks/vonage/status`;
      const isDelivered = await postWithRetry(url, statusPayload(message, status), signal);
      const context = { messageUuid: message.messageUuid, toMasked: maskPhone(message.to), status };
      if (isDelivered) logger.info(context, 'sandbox status callback delivered');
      else if (!signal.aborted) logger.warn(context, 'sandbox status callback given up');
    }
  }

  /** Vonage retries 429, 5xx and connection failures (README, "Vonage dashboard settings"); other answers end the attempts. */
  async function postWithRetry(url: string, payload: object, signal: AbortSignal): Promise<boolean> {
    for (let attempt = 1; attempt <= CALLBACK_MAX_ATTEMPTS; attempt += 1) {
      let isRetryable: boolean;
      try {
        const status = await postSigned(url, payload, anySignal(signal, CALLBACK_ATTEMPT_TIMEOUT_MS));
        if (status >= 200 && status < 300) return true;
        isRetryable = status === 429 || status >= 500;
        logger.debug({ attempt, httpStatus: status }, 'sandbox callback refused');
      } catch (error) {
        if (signal.aborted) return false;
        isRetryable = true;
        logger.debug({ attempt, error: errorMessage(error) }, 'sandbox callback failed to connect');
      }
      if (!isRetryable || attempt === CALLBACK_MAX_ATTEMPTS) return false;
      if (!(await pause(CALLBACK_FIRST_BACKOFF_MS * 2 ** (attempt - 1), signal))) return false;
    }
    return false;
  }

  async function postSigned(url: string, payload: object, signal: AbortSignal): Promise<number> {
    const rawBody = JSON.stringify(payload);
    const token = await signWebhook({ rawBody, secret: options.signatureSecret, apiKey: options.apiKey });
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: rawBody,
      signal,
    });
    await response.body?.cancel();
    return response.status;
  }

  return {
    get hasWebhook() {
      return webhookBaseUrl !== undefined;
    },

    setWebhookBaseUrl(url) {
      webhookBaseUrl = withoutTrailingSlash(url);
    },

    deliverStatuses(message, signal) {
      if (webhookBaseUrl === undefined) return;
      const statuses: DeliveryStatus[] = message.to.startsWith(OPTED_OUT_PREFIX)
        ? ['rejected']
        : ['submitted', 'delivered'];
      postStatuses(message, statuses, signal).catch((error: unknown) => {
        logger.error(
          { messageUuid: message.messageUuid, error: errorMessage(error) },
          'sandbox status callbacks failed',
        );
      });
    },

    async reply(input, signal) {
      const parsed = replySchema.safeParse(input);
      if (!parsed.success) throw new Error(`sandbox reply: invalid ${describeIssues(parsed.error)}`);
      if (webhookBaseUrl === undefined) throw new Error('sandbox reply: no webhook base URL is set');
      const messageUuid = input.messageUuid ?? randomUUID();
      const from = input.from.replace(/^\+/, '');
      const to = input.to.replace(/^\+/, '');
      const parts = String(countSmsParts(input.text));
      const payload = {
        channel: 'sms',
        message_type: 'text',
        message_uuid: messageUuid,
        to,
        from,
        timestamp: vonageTimestamp(new Date()),
        text: input.text,
        sms: { num_messages: parts, total_count: parts, keyword: firstWordUpperCased(input.text) },
        usage: FAKE_USAGE,
        origin: { network_code: FAKE_NETWORK_CODE },
      };
      const status = await postSigned(
        `${webhookBaseUrl}/webhooks/vonage/inbound`,
        payload,
        anySignal(signal, REPLY_TIMEOUT_MS),
      );
      logger.info(
        { messageUuid, fromMasked: maskPhone(from), httpStatus: status },
        'sandbox delivered inbound message',
      );
      return { status, messageUuid };
    },
  };
}

function statusPayload(message: SandboxMessage, status: DeliveryStatus): object {
  return {
    message_uuid: message.messageUuid,
    to: message.to,
    from: message.from,
    timestamp: vonageTimestamp(new Date()),
    status,
    channel: 'sms',
    client_ref: message.clientRef,
    ...(status === 'rejected'
      ? {
          error: {
            // Vonage's code for a recipient who sent STOP (src/vonage/provider-errors.ts).
            type: 'https://developer.vonage.com/api-errors/messages#1240',
            title: '1240',
            detail:
              'Illegal Number - You tried to send a message to a blacklisted phone number. That is, the user has already sent a STOP opt-out message and no longer wishes to receive messages from you.',
            instance: randomUUID(),
          },
        }
      : {}),
    usage: FAKE_USAGE,
    destination: { network_code: FAKE_NETWORK_CODE },
    sms: { count_total: String(countSmsParts(message.text)) },
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function anySignal(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

/** GSM-7 texts fit 160 characters in one part and 153 per part when split; anything else is UCS-2 (70 / 67). */
function countSmsParts(text: string): number {
  const isGsm = /^[\n\r\x20-\x7E£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¡ÄÖÑÜ§¿äöñüà€]*$/.test(text);
  const [single, multi] = isGsm ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

function firstWordUpperCased(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? '').toUpperCase();
}

/** Vonage's webhook timestamps are ISO 8601 UTC to the second. */
function vonageTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.path.join('.') || 'body').join(', ');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
