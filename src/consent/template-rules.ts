import { withFooter } from './footer';
import { countSegments, type SegmentInfo } from './sms-segments';

/** The account texts an admin may edit, by their URL name. */
export const ACCOUNT_TEXTS = {
  'opt-in-template': { column: 'opt_in_template', field: 'optInTemplate' },
  'help-reply': { column: 'help_template', field: 'helpTemplate' },
  'opt-out-confirmation': { column: 'opt_out_confirmation_template', field: 'optOutConfirmationTemplate' },
  'opt-in-confirmation': { column: 'opt_in_confirmation_template', field: 'optInConfirmationTemplate' },
} as const;

/** One of the account texts. */
export type AccountTextName = keyof typeof ACCOUNT_TEXTS;

/** A system text (opt-in, HELP, confirmations) may cost at most this many segments, footer included. */
export const MAX_SYSTEM_TEXT_SEGMENTS = 3;

/** How a text will go out: the exact text with the footer, and its SMS cost. */
export interface TextPreview extends SegmentInfo {
  text: string;
}

/** The exact text that goes out for `body`, with its segment count and encoding. */
export function previewText(body: string): TextPreview {
  const text = withFooter(body);
  return { text, ...countSegments(text) };
}

const mentions = (text: string, pattern: RegExp) => pattern.test(text);

/**
 * Checks an account text against what carriers and the FCC expect (shared/REFERENCE.md b.3). Returns the list of
 * problems, empty when the text is acceptable.
 * - every text: not blank, at most 3 segments with the footer;
 * - opt-in: says how to opt in (reply START), and "Msg & data rates may apply";
 * - HELP reply: says how to opt out (STOP) and "Msg & data rates may apply" (CTIA's HELP contents);
 * - opt-out confirmation: confirmation only; it must not ask for START-less re-engagement, so we only require that
 *   it is short (1–3 segments) and mentions no link (links read as marketing);
 * - opt-in confirmation: "Msg & data rates may apply" and how to get help.
 */
export function validateAccountText(name: AccountTextName, body: string): string[] {
  const problems: string[] = [];
  const trimmed = body.trim();
  if (trimmed.length === 0) return ['must not be empty'];
  const preview = previewText(trimmed);
  if (preview.segments > MAX_SYSTEM_TEXT_SEGMENTS) {
    problems.push(
      `is ${preview.segments} SMS segments with the footer (${preview.encoding}, ${preview.units} units); the limit is ${MAX_SYSTEM_TEXT_SEGMENTS}`,
    );
  }
  const ratesNotice = /(msg|message)s?\s*(&|and)\s*data rates may apply/i;
  switch (name) {
    case 'opt-in-template':
      if (!mentions(trimmed, /\breply\b[^.]*\bSTART\b/i)) problems.push('must tell the lead to reply START to opt in');
      if (!mentions(trimmed, ratesNotice)) problems.push('must say "Msg & data rates may apply"');
      break;
    case 'help-reply':
      if (!mentions(trimmed, /\bSTOP\b/i)) problems.push('must say how to opt out (reply STOP)');
      if (!mentions(trimmed, ratesNotice)) problems.push('must say "Msg & data rates may apply"');
      break;
    case 'opt-out-confirmation':
      if (mentions(trimmed, /https?:\/\/|www\./i)) problems.push('must only confirm the opt-out (no links)');
      break;
    case 'opt-in-confirmation':
      if (!mentions(trimmed, ratesNotice)) problems.push('must say "Msg & data rates may apply"');
      if (!mentions(trimmed, /\bHELP\b/i)) problems.push('must say how to get help (reply HELP)');
      break;
  }
  return problems;
}
