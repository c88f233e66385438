import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { maskPhone } from '../phone';
import { signWebhook } from '../vonage/webhook-signature';

/**
 * A local stand-in for Vonage's Messages API (SMS only). It answers `POST /v1/messages` the way Vonage does, then
 * posts signed status callbacks to our webhooks, and can post signed inbound SMS as if a lead had replied. It runs
 * when no Vonage credentials are configured and in every test; the real Vonage API is never called from either.
 *
 * Magic recipients let tests exercise the provider's refusals: `to` starting with 13055550 (+1 305 555-0xxx) is "opted out at the
 * carrier" (202, then a `rejected` status), and `to` starting with 13055559 (+1 305 555-9xxx) is refused as an invalid number (422). Both are valid numbers for libphonenumber, so they pass our own validation and reach the sandbox.
 */

/** Construction options of the sandbox. */
export interface SandboxOptions {
  /** Credentials the SDK must present as Basic auth. */
  apiKey: string;
  apiSecret: string;
  /** Secret the callbacks are signed with; our webhooks verify with the same one. */
  signatureSecret: string;
  /** Where our service listens; status and inbound callbacks are posted under `/webhooks/vonage/`. */
  webhookBaseUrl?: string;
  logger?: Logger;
  /** Pause before each status callback; defaults to 20 ms. */
  statusDelayMs?: number;
}

/** One message the sandbox accepted for sending. */
export interface SandboxMessage {
  messageUuid: string;
  to: string;
  from: string;
  text: string;
  clientRef?: string;
  receivedAt: string;
}

/** Misbehaviour to inject into `POST /v1/messages`; `remaining` counts requests (undefined: until cleared). */
export interface SandboxFault {
  mode: 'http429' | 'http500' | 'timeout' | 'slow';
  remaining?: number;
  delayMs?: number;
}

/** An SMS from a lead, as `reply()` delivers it to our inbound webhook. */
export interface SandboxReplyInput {
  from: string;
  to: string;
  text: string;
  messageUuid?: string;
}

/** A running sandbox server. */
export interface SandboxListener {
  url: string;
  close(): Promise<void>;
}

/** The sandbox: an Express app plus the controls tests and operators use. */
export interface Sandbox {
  app: express.Express;
  listen(port: number, host?: string): Promise<SandboxListener>;
  /** Recorded sends, oldest first, optionally only those to one number (with or without '+'). */
  sent(filter?: { to?: string }): SandboxMessage[];
  /** Posts a signed inbound SMS to our webhook once, and returns the HTTP status our service answered. */
  reply(input: SandboxReplyInput): Promise<{ status: number; messageUuid: string }>;
  setWebhookBaseUrl(url: string): void;
  setFault(fault: SandboxFault | null): void;
  /** Forgets recorded sends, clears the fault and cancels pending callbacks. */
  reset(): void;
}

const DEFAULT_STATUS_DELAY_MS = 20;
const DEFAULT_TIMEOUT_FAULT_MS = 30_000;
const DEFAULT_SLOW_FAULT_MS = 2_000;
const CALLBACK_MAX_ATTEMPTS = 5;
const CALLBACK_FIRST_BACKOFF_MS = 50;
const CALLBACK_ATTEMPT_TIMEOUT_MS = 5_000;
const REPLY_TIMEOUT_MS = 10_000;
const MAX_TEXT_LENGTH = 1000;
const MAX_CLIENT_REF_LENGTH = 100;
const OPTED_OUT_PREFIX = '13055550';
const INVALID_NUMBER_PREFIX = '13055559';
/** Vonage takes E.164 digits without '+'; a '+' is refused, as the real API does. */
const VONAGE_NUMBER = /^[0-9]{7,15}$/;
const PHONE_INPUT = /^\+?[0-9]{7,15}$/;
const FAKE_USAGE = { currency: 'EUR', price: '0.0057' };
const FAKE_NETWORK_CODE = '310260';

interface Problem {
  type: string;
  title: string;
  detail: string;
  instance: string;
  invalid_parameters?: { name: string; reason: string }[];
}

interface InvalidParameter {
  name: string;
  reason: string;
}

interface SendRequest {
  to: string;
  from: string;
  text: string;
  clientRef?: string;
}

type DeliveryStatus = 'submitted' | 'delivered' | 'rejected';

const faultSchema = z.union([
  z.object({ mode: z.null() }),
  z.object({
    mode: z.enum(['http429', 'http500', 'timeout', 'slow']),
    remaining: z.number().int().positive().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  }),
]);

const replySchema = z.object({
  from: z.string().regex(PHONE_INPUT),
  to: z.string().regex(PHONE_INPUT),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
  messageUuid: z.string().min(1).max(100).optional(),
});

/** Builds a sandbox; it does not listen until `listen()` is called. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const logger = options.logger ?? pino({ level: 'silent' });
  const statusDelayMs = options.statusDelayMs ?? DEFAULT_STATUS_DELAY_MS;
  const expectedBasicCredentials = `${options.apiKey}:${options.apiSecret}`;
  let webhookBaseUrl = options.webhookBaseUrl === undefined ? undefined : withoutTrailingSlash(options.webhookBaseUrl);
  let messages: SandboxMessage[] = [];
  let fault: SandboxFault | null = null;
  // Aborted by reset() and close(): cancels pending callbacks, back-offs and held requests in one move.
  let lifecycle = new AbortController();

  function cancelPendingWork(): void {
    lifecycle.abort();
    lifecycle = new AbortController();
  }

  function takeFault(): SandboxFault | null {
    if (fault === null) return null;
    const applied = fault;
    if (applied.remaining !== undefined) {
      fault = applied.remaining > 1 ? { ...applied, remaining: applied.remaining - 1 } : null;
    }
    return applied;
  }

  function isAuthorized(header: string | undefined): boolean {
    const [scheme, credentials, ...extra] = (header ?? '').trim().split(/\s+/);
    if (scheme === undefined || credentials === undefined || extra.length > 0) return false;
    switch (scheme.toLowerCase()) {
      case 'basic':
        return constantTimeEquals(Buffer.from(credentials, 'base64').toString('utf8'), expectedBasicCredentials);
      case 'bearer':
        // Application JWTs are signed with the application's private key, which the sandbox never has.
        return isWellFormedJwt(credentials);
      default:
        return false;
    }
  }

  async function deliverStatuses(message: SandboxMessage, statuses: DeliveryStatus[], signal: AbortSignal) {
    for (const status of statuses) {
      if (!(await pause(statusDelayMs, signal))) return;
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

  function acceptMessage(request: SendRequest, res: Response): void {
    const message: SandboxMessage = {
      messageUuid: randomUUID(),
      to: request.to,
      from: request.from,
      text: request.text,
      ...(request.clientRef === undefined ? {} : { clientRef: request.clientRef }),
      receivedAt: new Date().toISOString(),
    };
    // Recorded before answering so a caller that just got its 202 already finds the message in sent().
    messages.push(message);
    logger.info({ messageUuid: message.messageUuid, toMasked: maskPhone(message.to) }, 'sandbox accepted message');
    res.status(202).json({ message_uuid: message.messageUuid });

    if (webhookBaseUrl === undefined) return;
    const statuses: DeliveryStatus[] = message.to.startsWith(OPTED_OUT_PREFIX)
      ? ['rejected']
      : ['submitted', 'delivered'];
    const signal = lifecycle.signal;
    deliverStatuses(message, statuses, signal).catch((error: unknown) => {
      logger.error({ messageUuid: message.messageUuid, error: errorMessage(error) }, 'sandbox status callbacks failed');
    });
  }

  /** The `timeout` fault: never answer, then drop the connection, as a hung provider would. */
  function holdThenDrop(req: Request, res: Response, delayMs: number): void {
    const signal = lifecycle.signal;
    const drop = () => req.socket.destroy();
    const timer = setTimeout(drop, delayMs);
    signal.addEventListener('abort', drop, { once: true });
    res.once('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', drop);
    });
  }

  async function reply(input: SandboxReplyInput): Promise<{ status: number; messageUuid: string }> {
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
      anySignal(lifecycle.signal, REPLY_TIMEOUT_MS),
    );
    logger.info({ messageUuid, fromMasked: maskPhone(from), httpStatus: status }, 'sandbox delivered inbound message');
    return { status, messageUuid };
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  app.post('/v1/messages', async (req, res) => {
    if (!isAuthorized(req.headers.authorization)) {
      sendProblem(res, 401, {
        type: 'https://developer.vonage.com/api-errors#unauthorized',
        title: 'You did not provide correct credentials.',
        detail: "Check that you're using the correct credentials, and that your account has this feature enabled",
      });
      return;
    }

    const activeFault = takeFault();
    if (activeFault !== null) logger.info({ mode: activeFault.mode }, 'sandbox applying fault');
    switch (activeFault?.mode) {
      case 'http429':
        sendProblem(res, 429, {
          type: 'https://developer.vonage.com/api-errors#throttled',
          title: 'Rate Limit Hit',
          detail: 'Please wait, then retry your request',
        });
        return;
      case 'http500':
        sendProblem(res, 500, {
          type: 'https://developer.vonage.com/api-errors#internal-error',
          title: 'Internal Error',
          detail: 'There was an error processing your request in the Platform.',
        });
        return;
      case 'timeout':
        holdThenDrop(req, res, activeFault.delayMs ?? DEFAULT_TIMEOUT_FAULT_MS);
        return;
      case 'slow':
        // The message is still recorded after the pause, even if the caller gave up: the ambiguous-timeout case.
        if (!(await pause(activeFault.delayMs ?? DEFAULT_SLOW_FAULT_MS, lifecycle.signal))) {
          req.socket.destroy();
          return;
        }
        break;
      default:
        break;
    }

    const validated = validateSendRequest(req.body);
    if ('name' in validated) {
      logger.info({ parameter: validated.name }, 'sandbox refused message: invalid parameter');
      // An invalid `to` has its own code in Vonage's table (1430, "Invalid recipient"); other fields get 1150.
      const isRecipient = validated.name === 'to';
      sendProblem(res, 422, {
        type: `https://developer.vonage.com/api-errors/messages#${isRecipient ? 1430 : 1150}`,
        title: isRecipient ? 'Invalid recipient' : 'Invalid params',
        detail: `The value of the \`${validated.name}\` parameter is invalid: ${validated.reason}`,
        invalid_parameters: [validated],
      });
      return;
    }
    acceptMessage(validated, res);
  });

  app.get('/_sandbox/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/_sandbox/messages', (req, res) => {
    const to = typeof req.query.to === 'string' && req.query.to !== '' ? req.query.to : undefined;
    res.json(sandbox.sent({ to }));
  });

  app.post('/_sandbox/reply', async (req, res) => {
    const parsed = replySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid ${describeIssues(parsed.error)}` });
      return;
    }
    if (webhookBaseUrl === undefined) {
      res.status(409).json({ error: 'no webhook base URL is set' });
      return;
    }
    try {
      res.json(await reply(parsed.data));
    } catch (error) {
      res.status(502).json({ error: `could not reach the webhook: ${errorMessage(error)}` });
    }
  });

  app.post('/_sandbox/fault', (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid ${describeIssues(parsed.error)}` });
      return;
    }
    sandbox.setFault(parsed.data.mode === null ? null : (parsed.data as SandboxFault));
    res.json({ fault });
  });

  app.post('/_sandbox/reset', (_req, res) => {
    sandbox.reset();
    res.status(204).end();
  });

  app.use((req, res) => {
    sendProblem(res, 404, {
      type: 'https://developer.vonage.com/api-errors#not-found',
      title: 'Not Found',
      detail: `The sandbox has no route ${req.method} ${req.path}`,
    });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParseError(error)) {
      sendProblem(res, 400, {
        type: 'https://developer.vonage.com/api-errors#bad-request',
        title: 'Bad Request',
        detail: 'The request body is not valid JSON',
      });
      return;
    }
    logger.error({ error: errorMessage(error) }, 'sandbox request failed');
    sendProblem(res, 500, {
      type: 'https://developer.vonage.com/api-errors#internal-error',
      title: 'Internal Error',
      detail: 'The sandbox failed to process the request',
    });
  });

  const sandbox: Sandbox = {
    app,

    listen(port, host = '127.0.0.1') {
      const server = createServer(app);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({
            url: `http://${urlHost(address.address)}:${address.port}`,
            close: () =>
              new Promise<void>((resolveClose, rejectClose) => {
                cancelPendingWork();
                server.close((error) => (error ? rejectClose(error) : resolveClose()));
                server.closeAllConnections();
              }),
          });
        });
      });
    },

    sent(filter = {}) {
      const to = filter.to?.replace(/^\+/, '');
      return messages.filter((message) => to === undefined || message.to === to).map((message) => ({ ...message }));
    },

    reply,

    setWebhookBaseUrl(url) {
      webhookBaseUrl = withoutTrailingSlash(url);
    },

    setFault(next) {
      const isExhausted = next?.remaining !== undefined && next.remaining < 1;
      fault = next === null || isExhausted ? null : { ...next };
    },

    reset() {
      cancelPendingWork();
      messages = [];
      fault = null;
    },
  };
  return sandbox;
}

function validateSendRequest(body: unknown): SendRequest | InvalidParameter {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { name: 'body', reason: 'must be a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  if (fields.channel !== 'sms') return { name: 'channel', reason: "the sandbox supports only 'sms'" };
  if (fields.message_type !== 'text') return { name: 'message_type', reason: "must be 'text' for SMS" };
  for (const name of ['to', 'from'] as const) {
    const value = fields[name];
    if (typeof value !== 'string' || !VONAGE_NUMBER.test(value)) {
      return { name, reason: "must be an E.164 number of 7 to 15 digits without a leading '+'" };
    }
  }
  const to = fields.to as string;
  if (to.startsWith(INVALID_NUMBER_PREFIX)) return { name: 'to', reason: 'is not a valid mobile number' };
  const text = fields.text;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
    return { name: 'text', reason: `must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters` };
  }
  const clientRef = fields.client_ref;
  if (clientRef !== undefined && (typeof clientRef !== 'string' || clientRef.length > MAX_CLIENT_REF_LENGTH)) {
    return { name: 'client_ref', reason: `must be a string of at most ${MAX_CLIENT_REF_LENGTH} characters` };
  }
  return { to, from: fields.from as string, text, ...(clientRef === undefined ? {} : { clientRef }) };
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

function sendProblem(res: Response, status: number, problem: Omit<Problem, 'instance'>): void {
  res.status(status).json({ ...problem, instance: randomUUID() } satisfies Problem);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
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

function isWellFormedJwt(token: string): boolean {
  try {
    decodeProtectedHeader(token);
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}

function constantTimeEquals(actual: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(actual), digest(expected));
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

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

function isBodyParseError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.parse.failed';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.path.join('.') || 'body').join(', ');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
