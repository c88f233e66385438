import { Auth } from '@vonage/auth';
import { SMS } from '@vonage/messages';
import { Vonage } from '@vonage/server-sdk';
import type { SendOutcome, SmsGateway } from '../../activities';

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
      return classifySendError(error);
    }
  }
}

/**
 * Maps an SDK error to what it means for a text:
 * - an HTTP answer of 429 or 5xx: Vonage did not take the text; retry later.
 * - 401/403: our credentials are wrong; nothing was sent. Failed, so an operator sees it (no silent retry loop).
 * - 422 or another 4xx: Vonage refused this text (invalid number, bad parameters); retrying cannot help.
 * - a connection that was never made (refused, DNS): nothing was sent; retry.
 * - a timeout or a connection lost after the request went out: Vonage may have taken it; outcome unknown.
 */
export function classifySendError(error: unknown): SendOutcome {
  const status = httpStatusOf(error);
  if (status !== undefined) {
    if (status === 429 || status >= 500) return { kind: 'not_sent_retryable', detail: `HTTP ${status}` };
    if (status === 401 || status === 403)
      return { kind: 'refused', reason: 'provider_auth_failed', detail: { status } };
    if (status === 422 || status === 400) return { kind: 'refused', reason: 'invalid_number', detail: { status } };
    return { kind: 'refused', reason: 'provider_refused', detail: { status } };
  }
  const code = networkCodeOf(error);
  if (code && NEVER_CONNECTED.has(code)) return { kind: 'not_sent_retryable', detail: code };
  const name = (error as { name?: string } | null)?.name ?? 'Error';
  return { kind: 'outcome_unknown', detail: code ?? name };
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
