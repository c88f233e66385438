import { withFooter } from './footer';
import { countSegments, type SegmentInfo } from './sms-segments';
import type { ReplyLanguage } from '../../workflows/inbound-keywords';

/** The account texts an admin may edit, by their URL name. */
export const ACCOUNT_TEXTS = {
  'opt-in-template': { column: 'opt_in_template', field: 'optInTemplate' },
  'help-reply': { column: 'help_template', field: 'helpTemplate' },
  'opt-out-confirmation': { column: 'opt_out_confirmation_template', field: 'optOutConfirmationTemplate' },
  'opt-in-confirmation': { column: 'opt_in_confirmation_template', field: 'optInConfirmationTemplate' },
  clarification: { column: 'clarification_template', field: 'clarificationTemplate' },
} as const;

/** One of the account texts. */
export type AccountTextName = keyof typeof ACCOUNT_TEXTS;

/**
 * The texts that answer a lead's own reply, and so may also be written in the languages the classifier recognises:
 * the answer goes out in the reply's language when the account has it. The opt-in template opens the conversation,
 * before any reply shows the lead's language, so it stays in the account's main language.
 */
export const LOCALIZABLE_TEXTS: ReadonlySet<AccountTextName> = new Set([
  'help-reply',
  'opt-out-confirmation',
  'opt-in-confirmation',
  'clarification',
]);

/**
 * How each language says what the rules below look for: the rates notice and the reply keywords. The keywords are
 * the ones the classifier honours in that language (docs/keywords.md); STOP, START and HELP count in every language
 * because carriers honour them everywhere.
 */
const LANGUAGE_RULES: Record<ReplyLanguage, { ratesNotice: RegExp; stop: RegExp; start: RegExp; help: RegExp }> = {
  en: {
    ratesNotice: /(msg|message)s?\s*(&|and)\s*data rates may apply/i,
    stop: /\bSTOP\b/i,
    start: /\bSTART\b/i,
    help: /\bHELP\b/i,
  },
  es: {
    ratesNotice: /(tarifas|cargos)\s+(de|por)\s+(mensajes|msj|mensaje)s?\s+y\s+datos/i,
    stop: /\b(STOP|ALTO|PARAR|BAJA|CANCELAR)\b/i,
    start: /\b(START|COMENZAR|INICIAR|ALTA|SI|SÍ)(?![\p{L}])/iu,
    help: /\b(HELP|AYUDA)\b/i,
  },
  fr: {
    ratesNotice: /frais\s+(de\s+)?(messagerie|messages?|msg|sms)\s+et\s+(de\s+)?donn[ée]es/iu,
    stop: /\b(STOP|ARR[EÊ]T|ARRETE)(?![\p{L}])/iu,
    start: /\b(START|COMMENCER|DEBUT|DÉBUT)(?![\p{L}])/iu,
    help: /\b(HELP|AIDE)\b/i,
  },
};

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
 * Checks an account text against what carriers and the FCC expect (docs/consent-model.md), in its language. Returns the list of
 * problems, empty when the text is acceptable.
 * - every text: not blank, at most 3 segments with the footer;
 * - opt-in: says how to opt in (reply START), and "Msg & data rates may apply";
 * - HELP reply: says how to opt out (STOP) and "Msg & data rates may apply" (CTIA's HELP contents);
 * - opt-out confirmation: confirmation only; it must not ask for START-less re-engagement, so we only require that
 *   it is short (1–3 segments) and mentions no link (links read as marketing);
 * - opt-in confirmation: "Msg & data rates may apply" and how to get help.
 */
export function validateAccountText(name: AccountTextName, body: string, language: ReplyLanguage = 'en'): string[] {
  const problems: string[] = [];
  const trimmed = body.trim();
  if (trimmed.length === 0) return ['must not be empty'];
  const preview = previewText(trimmed);
  if (preview.segments > MAX_SYSTEM_TEXT_SEGMENTS) {
    problems.push(
      `is ${preview.segments} SMS segments with the footer (${preview.encoding}, ${preview.units} units); the limit is ${MAX_SYSTEM_TEXT_SEGMENTS}`,
    );
  }
  const rules = LANGUAGE_RULES[language];
  const ratesNotice = rules.ratesNotice;
  const ratesProblem =
    language === 'en'
      ? 'must say "Msg & data rates may apply"'
      : `must say that message and data rates may apply (${language})`;
  switch (name) {
    case 'opt-in-template':
      if (!mentions(trimmed, /\breply\b[^.]*\bSTART\b/i)) problems.push('must tell the lead to reply START to opt in');
      if (!mentions(trimmed, ratesNotice)) problems.push(ratesProblem);
      break;
    case 'help-reply':
      if (!mentions(trimmed, rules.stop)) problems.push('must say how to opt out (reply STOP)');
      if (!mentions(trimmed, ratesNotice)) problems.push(ratesProblem);
      break;
    case 'clarification':
      if (!mentions(trimmed, rules.stop)) problems.push('must say how to opt out (reply STOP)');
      if (!mentions(trimmed, rules.start)) problems.push('must say how to keep getting texts (reply START)');
      break;
    case 'opt-out-confirmation':
      if (mentions(trimmed, /https?:\/\/|www\./i)) problems.push('must only confirm the opt-out (no links)');
      break;
    case 'opt-in-confirmation':
      if (!mentions(trimmed, ratesNotice)) problems.push(ratesProblem);
      if (!mentions(trimmed, rules.help)) problems.push('must say how to get help (reply HELP)');
      break;
  }
  return problems;
}
