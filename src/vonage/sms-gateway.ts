import { Auth } from '@vonage/auth';
import { SMS } from '@vonage/messages';
import { Vonage } from '@vonage/server-sdk';
import type { SendOutcome, SmsGateway } from '../../activities';
import { outcomeOfProviderError, providerErrorCode } from './provider-errors';

/** How to reach Vonage (or the sandbox standing in for it). */
export interface VonageOptions {
  apiHost: string;
  apiKey?: string;
  apiSecret?: string;
  applicationId?: string;
  privateKey?: string;
  timeoutMs: number;
}

/** Builds the one Vonage client of a process; the only place the SDK is constructed. */
export function createVonageClient(options: VonageOptions): Vonage {
  const auth =
    options.applicationId && options.privateKey
      ? new Auth({ applicationId: options.applicationId, privateKey: options.privateKey })
      : new Auth({ apiKey: options.apiKey, apiSecret: options.apiSecret });
  return new Vonage(auth, { apiHost: options.apiHost.replace(/\/$/, ''), timeout: options.timeoutMs });
}

/** Sends SMS through the Messages API and classifies every answer once, so activities never see status codes. */
export class VonageSmsGateway implements SmsGateway {
  constructor(private readonly vonage: Vonage) {}

  async sendSms(input: { to: string; from: string; text: string; clientRef: string }): Promise<SendOutcome> {
    try {
      const { messageUUID } = await this.vonage.messages.send(
        new SMS({
          channel: 'sms',
          messageType: 'text',
          to: input.to,
          from: input.from,
          text: input.text,
          clientRef: input.clientRef,
        }),
      );
      if (!messageUUID) return { kind: 'outcome_unknown', detail: 'accepted without a message_uuid' };
      return { kind: 'accepted', providerMessageId: messageUUID };
    } catch (error) {
      return classifySendError(error, await readProblemBody(error));
    }
  }
}

/**
 * Maps an SDK error, and the RFC 7807 body Vonage answered with, to what it means for a text:
 * - 429 or 5xx: Vonage did not take the text; retry later.
 * - 401/403: our credentials are wrong; nothing was sent. Failed, so an operator sees it (no silent retry loop).
 * - 402: the account balance is too low (https://developer.vonage.com/en/api-errors#low-balance).
 * - another 4xx: the error code in the body decides, through Vonage's table (src/vonage/provider-errors.ts); an
 *   unknown code, or none, is a plain refusal.
 * - a connection that was never made (refused, DNS): nothing was sent; retry.
 * - a timeout or a connection lost after the request went out: Vonage may have taken it; outcome unknown.
 */
export function classifySendError(error: unknown, problem?: unknown): SendOutcome {
  const status = httpStatusOf(error);
  if (status !== undefined) {
    if (status === 429 || status >= 500) return { kind: 'not_sent_retryable', detail: `HTTP ${status}` };
    if (status === 401 || status === 403) {
      return { kind: 'refused', reason: 'provider_auth_failed', detail: { status } };
    }
    if (status === 402) return { kind: 'refused', reason: 'insufficient_balance', detail: { status } };
    const code = providerErrorCode(problem);
    const detail = { status, ...(code === undefined ? {} : { code }), ...titleOf(problem) };
    const outcome = outcomeOfProviderError(problem);
    switch (outcome.kind) {
      case 'retry':
        return { kind: 'not_sent_retryable', detail: `HTTP ${status}, error ${code}` };
      case 'opted_out':
        return { kind: 'refused', reason: 'opted_out', detail };
      case 'failed':
        return { kind: 'refused', reason: outcome.reason, detail };
    }
  }
  const code = networkCodeOf(error);
  if (code && NEVER_CONNECTED.has(code)) return { kind: 'not_sent_retryable', detail: code };
  const name = (error as { name?: string } | null)?.name ?? 'Error';
  return { kind: 'outcome_unknown', detail: code ?? name };
}

/** Long enough for a problem body that is already arriving; a body that never comes must not hold the send. */
const PROBLEM_BODY_TIMEOUT_MS = 2_000;

/**
 * The parsed body of a failed call, when it is JSON. The SDK throws before reading it and keeps the fetch
 * Response on the error, so the body is still there to read once.
 */
export async function readProblemBody(error: unknown): Promise<unknown> {
  const response = (error as { response?: unknown } | null)?.response;
  if (!(response instanceof Response) || response.bodyUsed) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PROBLEM_BODY_TIMEOUT_MS);
  });
  try {
    const text = await Promise.race([response.text(), timeout]);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Vonage's title names the error for an operator; `detail` can quote the request (the number), so it is dropped. */
function titleOf(problem: unknown): { title?: string } {
  const title = (problem as { title?: unknown } | null | undefined)?.title;
  return typeof title === 'string' ? { title: title.slice(0, 200) } : {};
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function httpStatusOf(error: unknown): number | undefined {
  const response = (error as { response?: { status?: unknown } } | null)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
