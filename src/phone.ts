import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Metadata } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/max/metadata';
import { z } from 'zod';

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

/** The part of libphonenumber's numbering plan this file reads (its typings leave `type()` out). */
interface NumberTypes {
  type(name: 'FIXED_LINE'): { pattern(): string } | undefined;
}

/**
 * The US numbers every caller can rely on, as libphonenumber itself defines them: `+1` (or Vonage's `1`), then a
 * ten-digit number of an area code in service. Built from the same metadata toE164 validates with, so every string
 * it matches is accepted. (US mobile numbers share the fixed-line ranges, so FIXED_LINE covers both.) The contract
 * test generates phone numbers from it.
 */
export function usNumberPattern(): string {
  const metadata = new Metadata(maxMetadata);
  metadata.selectNumberingPlan('US');
  const fixedLine = (metadata.numberingPlan as unknown as NumberTypes).type('FIXED_LINE')?.pattern();
  if (!fixedLine) throw new Error('libphonenumber has no US fixed-line pattern');
  return `^\\+?1(?:${fixedLine})$`;
}

/**
 * A phone number field of a request. toE164 decides, after validation, whether the number is valid (else 400
 * `invalid_phone`). The document names the format `phone` and describes it rather than giving a `pattern`: the
 * parser reads every common notation of a valid number (`(415) 555-0123`, `tel:+1...`, an extension), and a pattern
 * would declare those invalid while the API accepts them.
 */
export const phoneInputSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .meta({
    format: 'phone',
    description:
      'A phone number libphonenumber (full metadata) finds valid, at most 32 characters. E.164 (`+14155550123`) ' +
      'or digits with the country code (`14155550123`, as Vonage writes it) always work for a US number whose ' +
      'area code is in service; a number without `+` is read as US, and common notations such as ' +
      '`(415) 555-0123` or `415.555.0123` are read too. Anything else answers 400 `invalid_phone`.',
    examples: ['+14155550123'],
  });

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
