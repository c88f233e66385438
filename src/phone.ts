import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Parses a phone number to E.164 with libphonenumber-js's full metadata. Numbers without a leading '+' are read
 * as US numbers (the service is built for US A2P 10DLC); Vonage's digits-only form ("14155550123") is accepted.
 * Returns undefined when the number is not a valid, dialable number.
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 32) return undefined;
  const candidates = trimmed.startsWith('+') ? [trimmed] : [`+${trimmed}`, trimmed];
  for (const candidate of candidates) {
    const parsed = candidate.startsWith('+')
      ? parsePhoneNumberFromString(candidate)
      : parsePhoneNumberFromString(candidate, 'US');
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
}

/** Vonage's wire form of an E.164 number: digits only, no '+'. */
export const toVonageNumber = (e164: string): string => e164.replace(/^\+/, '');

/**
 * A keyed hash of an E.164 number, used wherever a number must be identified without being revealed
 * (workflow IDs). HMAC-SHA256, truncated to 128 bits, base32-ish hex; stable for a given key.
 */
export function phoneKeyOf(e164: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(e164).digest('hex').slice(0, 32);
}

/** A number as logs and operators may see it: country code and the last two digits only. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (digits.length < 4) return '•••';
  return `+${digits.slice(0, 1)}${'•'.repeat(Math.max(digits.length - 3, 1))}${digits.slice(-2)}`;
}
