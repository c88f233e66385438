import { randomUUID } from 'node:crypto';
import { signWebhook } from '../../src/vonage/webhook-signature';
import { toVonageNumber } from '../../src/phone';
import { SIGNATURE_SECRET } from './system';

/** A Messages API inbound SMS body, as Vonage sends it. */
export function inboundBody(input: { from: string; to: string; text: string; messageUuid?: string }) {
  return {
    channel: 'sms',
    message_type: 'text',
    message_uuid: input.messageUuid ?? randomUUID(),
    to: toVonageNumber(input.to),
    from: toVonageNumber(input.from),
    timestamp: new Date().toISOString(),
    text: input.text,
    sms: { num_messages: '1', total_count: '1', keyword: input.text.split(/\s+/)[0]?.toUpperCase() ?? '' },
  };
}

/** A Messages API status callback body, as Vonage sends it: `from` is our sending number, `to` the recipient. */
export function statusBody(input: { from: string; to: string; status: string }) {
  return {
    message_uuid: randomUUID(),
    to: toVonageNumber(input.to),
    from: toVonageNumber(input.from),
    timestamp: new Date().toISOString(),
    status: input.status,
  };
}

/**
 * Posts a webhook the way Vonage does, with knobs to break it: another secret, an old `iat`, a body other than
 * the one signed, or no token at all.
 */
export async function postWebhook(
  apiUrl: string,
  route: '/webhooks/vonage/inbound' | '/webhooks/vonage/status',
  body: unknown,
  options: { secret?: string; issuedAt?: Date; sendRaw?: string; unsigned?: boolean; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const token =
    options.token ??
    (await signWebhook({ rawBody: raw, secret: options.secret ?? SIGNATURE_SECRET, issuedAt: options.issuedAt }));
  const response = await fetch(`${apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.unsigned ? {} : { authorization: `Bearer ${token}` }) },
    body: options.sendRaw ?? raw,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, body: parsed };
}
