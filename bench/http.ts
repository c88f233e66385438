import { randomUUID } from 'node:crypto';
import { signWebhook } from '../src/vonage/webhook-signature';
import { toVonageNumber } from '../src/phone';

/** One answer from our API, timed from just before the request to the end of the body. */
export interface TimedAnswer {
  status: number;
  body: any;
  ms: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A fixed-offset IANA zone (no DST) whose local hour is `hour` when the bench starts; Etc/GMT signs are inverted
 * (POSIX: Etc/GMT-3 is UTC+3).
 */
export function zoneWhereLocalHourIs(hour: number, now = new Date()): string {
  const offset = (((hour - now.getUTCHours()) % 24) + 24) % 24;
  const signed = offset > 14 ? offset - 24 : offset;
  return signed === 0 ? 'Etc/UTC' : signed > 0 ? `Etc/GMT-${signed}` : `Etc/GMT+${-signed}`;
}

/**
 * The bench runs with quiet hours enforced, as production does, at any hour of the day: its leads live where it is
 * noon when it starts, so their texts go out for the next eight hours, and the idle phase's scheduled texts live
 * where it is 1 a.m. (bench/phases/idle-scale.ts).
 */
export const BENCH_DAYTIME_ZONE = zoneWhereLocalHourIs(12);

/** POST /v1/messages with an agent key; status 0 when the request never got an answer. */
export async function queueText(
  apiUrl: string,
  apiKey: string,
  input: { leadId: string; phone: string; body: string; timeZone?: string },
): Promise<TimedAnswer> {
  return timedPost(`${apiUrl}/v1/messages`, JSON.stringify({ timeZone: BENCH_DAYTIME_ZONE, ...input }), {
    authorization: `Bearer ${apiKey}`,
  });
}

/** A Vonage Messages API inbound SMS, signed as Vonage signs it (HS256 JWT with the body's SHA-256). */
export async function postInbound(
  apiUrl: string,
  signatureSecret: string,
  input: { from: string; to: string; text: string },
): Promise<TimedAnswer> {
  const raw = JSON.stringify({
    channel: 'sms',
    message_type: 'text',
    message_uuid: randomUUID(),
    to: toVonageNumber(input.to),
    from: toVonageNumber(input.from),
    timestamp: new Date().toISOString(),
    text: input.text,
    sms: { num_messages: '1', total_count: '1', keyword: input.text.split(/\s+/)[0]?.toUpperCase() ?? '' },
  });
  const token = await signWebhook({ rawBody: raw, secret: signatureSecret });
  return timedPost(`${apiUrl}/webhooks/vonage/inbound`, raw, { authorization: `Bearer ${token}` });
}

async function timedPost(url: string, body: string, headers: Record<string, string>): Promise<TimedAnswer> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, ms: performance.now() - startedAt };
  } catch (error) {
    return { status: 0, body: String(error), ms: performance.now() - startedAt };
  }
}
