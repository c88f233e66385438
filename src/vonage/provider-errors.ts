import type { FailureReason } from '../../workflows/sms-consent.contract';

/**
 * Vonage's Messages API error codes, read from its published table, and what each one means for a text.
 * Only the codes the service acts on are listed; any other code is a plain refusal (`provider_refused`).
 *
 * Sources (each row names one):
 * - V1: the Messages API OpenAPI document v1.11.0, `x-errors`, as published at
 *   https://developer.vonage.com/en/api-errors/messages ; copy read at Vonage-Community/tool-docker-api-sandbox
 *   @ee30a8c2ec3a1360174ff8a3f0dabab18b6795b5 `DockerApiSandbox.Api.Test/Products/Messages/Files/messages_local.json`.
 * - V01: the same codes in the v0.1 document, Nexmo/api-specification @7e16f17b2678e5477bef7f0bc2d084d75db87e91
 *   `definitions/messages-olympus.yml` (`x-errors`), whose status callbacks carry `error: {code, reason}`.
 * - ERR: Vonage's generic API errors, https://developer.vonage.com/en/api-errors (`low-balance`).
 */

/** What one provider error means for the text it was about. */
export type ProviderErrorOutcome =
  /** The recipient opted out: the number goes on Do Not Contact. */
  | { kind: 'opted_out' }
  /** Nothing was sent and trying again later can succeed. */
  | { kind: 'retry' }
  /** Nothing will be sent; the text fails with this reason. */
  | { kind: 'failed'; reason: FailureReason };

/** One row of the table: the documented meaning, our outcome, and where the meaning comes from. */
export interface ProviderErrorRow {
  meaning: string;
  outcome: ProviderErrorOutcome;
  source: 'V1' | 'V01' | 'V1+V01';
}

const OPTED_OUT: ProviderErrorOutcome = { kind: 'opted_out' };
const RETRY: ProviderErrorOutcome = { kind: 'retry' };
const failed = (reason: FailureReason): ProviderErrorOutcome => ({ kind: 'failed', reason });

/**
 * Every code the service acts on. Only 1240 puts a number on Do Not Contact: it is the one code the table defines as
 * "the user has already sent a STOP opt-out message". 1050 ("number barred"), 1280 ("blocked by carrier") and
 * 1483 ("consent filter", a country's regulatory consent register) say the text cannot be delivered, not that the
 * person asked us to stop, so they fail the text and leave the number alone. 1320 is "message already sent", a
 * duplicate; reading it as an opt-out would put numbers on Do Not Contact for good over a resend.
 */
export const PROVIDER_ERRORS: Readonly<Record<number, ProviderErrorRow>> = Object.freeze({
  1000: { meaning: 'Throttled: submission capacity exceeded; wait and retry', outcome: RETRY, source: 'V1+V01' },
  1020: { meaning: 'Invalid params', outcome: failed('provider_refused'), source: 'V1+V01' },
  1050: { meaning: 'Number barred', outcome: failed('provider_refused'), source: 'V1+V01' },
  1060: { meaning: 'Partner account barred', outcome: failed('provider_auth_failed'), source: 'V1+V01' },
  1070: {
    meaning: 'Partner quota exceeded: not enough credit for this message',
    outcome: failed('insufficient_balance'),
    source: 'V1+V01',
  },
  1120: { meaning: 'Illegal Sender Address - rejected', outcome: failed('provider_refused'), source: 'V1+V01' },
  1170: { meaning: 'Invalid or Missing Msisdn Param (`to`)', outcome: failed('invalid_number'), source: 'V1+V01' },
  1190: {
    meaning: 'Absent Subscriber Permanent: `to` is no longer active',
    outcome: failed('invalid_number'),
    source: 'V1+V01',
  },
  1240: {
    meaning: 'Illegal Number: the user has already sent a STOP opt-out message',
    outcome: OPTED_OUT,
    source: 'V1+V01',
  },
  1280: { meaning: 'Number Blocked by Carrier', outcome: failed('provider_refused'), source: 'V1+V01' },
  1300: { meaning: 'Not part of the provider network', outcome: failed('invalid_number'), source: 'V1+V01' },
  1320: { meaning: 'Message already sent', outcome: failed('provider_refused'), source: 'V1+V01' },
  1330: { meaning: 'Unknown error from the carrier', outcome: failed('provider_refused'), source: 'V1+V01' },
  1331: { meaning: 'Provider error: not responding; try again in a few minutes', outcome: RETRY, source: 'V1+V01' },
  1360: {
    meaning: 'TTL was activated, or message expired before delivered',
    outcome: failed('provider_refused'),
    source: 'V1',
  },
  1420: {
    meaning: 'Invalid sender: `from` is invalid for the channel',
    outcome: failed('provider_refused'),
    source: 'V1',
  },
  1430: {
    meaning: 'Invalid recipient: `to` is invalid for the channel',
    outcome: failed('invalid_number'),
    source: 'V1',
  },
  1460: { meaning: 'Daily message limit exceeded (10DLC)', outcome: failed('provider_refused'), source: 'V1' },
  1483: {
    meaning: 'Consent Filter: consent not authorized (country regulation)',
    outcome: failed('provider_refused'),
    source: 'V1',
  },
});

/** The unlisted codes and errors with no code: Vonage refused the text and said nothing we act on. */
const REFUSED: ProviderErrorOutcome = failed('provider_refused');

/** Vonage's RFC 7807 `type` ends in the code: https://developer.vonage.com/api-errors/messages#1240. */
const TYPE_CODE = /\/api-errors\/messages(?:-olympus)?#(\d{3,5})$/;
const NUMERIC = /^\d{3,5}$/;

/**
 * The numeric code of a Messages API error: v1 `{type, title, …}` (the code is the `type` URL's fragment, and the
 * `title` of a status callback) or v0.1 `{code, reason}`. Free text (`detail`, `reason`) is never read: its words
 * vary between products and a phrase like "opted out" can describe unrelated failures.
 */
export function providerErrorCode(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, title, code } = error as { type?: unknown; title?: unknown; code?: unknown };
  if (typeof type === 'string') {
    const match = TYPE_CODE.exec(type.trim());
    if (match) return Number(match[1]);
  }
  for (const candidate of [code, title]) {
    if (typeof candidate === 'number' && Number.isInteger(candidate)) return candidate;
    if (typeof candidate === 'string' && NUMERIC.test(candidate.trim())) return Number(candidate.trim());
  }
  return undefined;
}

/** What a Messages API error means for its text; an unknown code or an error without one is a refusal. */
export function outcomeOfProviderError(error: unknown): ProviderErrorOutcome {
  const code = providerErrorCode(error);
  return (code !== undefined && PROVIDER_ERRORS[code]?.outcome) || REFUSED;
}

/** Whether a status callback's error says the recipient opted out, so the number goes on Do Not Contact. */
export function isCarrierOptOut(error: unknown): boolean {
  return outcomeOfProviderError(error).kind === 'opted_out';
}
