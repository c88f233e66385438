/**
 * Inbound SMS classification: what did the lead mean by their reply?
 *
 * A pure function shared by the Temporal workflow (deterministic sandbox) and the Express webhook, so this file
 * imports nothing: no Node built-ins, no npm packages.
 *
 * The compliance asymmetry drives every decision below:
 * - a missed opt-out is a TCPA violation, a false opt-out is harmless (the lead can reply START), so opt-out
 *   matching is broad: whole-message keywords, keywords as the first word, plain-language revocations anywhere
 *   (the FCC's "reasonable person" rule, 47 CFR 64.1200(a)(10)), elongations and common misspellings;
 * - a false opt-in is the violation on the other side, so opt-in (and HELP) match the whole message only, exactly.
 *
 * Order: opt-out (keyword → first word → phrase) → opt-in → help → other. Opt-out wins every conflict.
 *
 * Every text, keyword and phrase goes through the same normalisation (see `toWords`): apostrophes dropped
 * ("don't" → "dont"), NFKC (full-width and styled letters → plain ones), case-folded, accents stripped
 * ("ARRÊT" → "arret"), invisible format characters dropped, everything that is not a letter or digit
 * (punctuation, symbols, emoji, whitespace) turned into a single space, letter-spacing collapsed ("S T O P",
 * "s.t.o.p" → "stop").
 */

/** What an inbound text means for consent. `other` is an ordinary reply, kept in the lead's text history. */
export type InboundIntent = 'opt_out' | 'opt_in' | 'help' | 'other';

/**
 * An account's own keywords. Each list extends (never replaces) the matching default list and is normalised the
 * same way as the text. Account opt-out keywords also count as first-word matches; account opt-in and help
 * keywords match the whole message only. An entry that normalises to nothing (e.g. "!!!" or an emoji) is ignored.
 */
export interface KeywordOverrides {
  optOut?: string[];
  optIn?: string[];
  help?: string[];
}

/**
 * The outcome of `classifyInbound`.
 * - `intent`: what the text means.
 * - `matched`: the list entry that matched, as written in the list (e.g. `'STOP'`, `'OPT-OUT'`, `'wrong number'`,
 *   or the account's own keyword); absent when nothing matched.
 * - `rule`: `keyword` (the whole message is the keyword), `first_word` (the message starts with an opt-out
 *   keyword), `phrase` (an opt-out word or plain-language revocation appears anywhere), `none` (nothing matched).
 */
export interface InboundClassification {
  intent: InboundIntent;
  matched?: string;
  rule: 'keyword' | 'first_word' | 'phrase' | 'none';
}

/**
 * Default opt-out keywords: the union of the FCC per-se list, CTIA, Twilio, Telnyx and AWS (REFERENCE.md b.1).
 * They match as the whole message and as the first word ("Stop please", "cancel my subscription").
 *
 * ARRET/ARRÊT and TD are the Canadian French keywords in AWS's default list. They are included: a false opt-out is
 * safe, and "td" is not an English word that starts ordinary replies. ARRÊT is listed for readability only; accents
 * are stripped, so it normalises to the same words as ARRET.
 */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = Object.freeze([
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
  'OPT-OUT',
  'REMOVE',
  'ARRET',
  'ARRÊT',
  'TD',
]);

/**
 * Default opt-in (re-subscribe) keywords (REFERENCE.md b.2). Whole message only: "Yes please" or "Start over" is
 * NOT an opt-in, because consent must be unambiguous and a false opt-in is a violation. An account that wants
 * "YES PLEASE" can add it as its own opt-in keyword.
 */
export const DEFAULT_OPT_IN_KEYWORDS: readonly string[] = Object.freeze(['START', 'YES', 'UNSTOP']);

/** Default HELP keywords (REFERENCE.md b.2). Whole message only: "help me" or "more info" is an ordinary reply. */
export const DEFAULT_HELP_KEYWORDS: readonly string[] = Object.freeze(['HELP', 'INFO']);

/**
 * Common misspellings that count as the keyword they misspell (whole message, first word; the STOP and UNSUBSCRIBE
 * ones also anywhere). Doubled or elongated letters ("stopp", "stoooop", "stoop", "cancell") need no entry: opt-out
 * matching ignores repeated letters (see `squeezeRepeats`). We use explicit lists, not edit distance: edit distance
 * turns real words into opt-outs ("remote" → REMOVE, "cancer" → CANCEL) and is hard to audit.
 */
const STOP_MISSPELLINGS = ['STPO', 'SOTP', 'STP'];
const UNSUBSCRIBE_MISSPELLINGS = [
  'UNSUBSCIBE',
  'UNSUBCRIBE',
  'UNSUSCRIBE',
  'UNSUBSRIBE',
  'UNSUBSCRIB',
  'UNSUBSCRBE',
  'UNSUBSCIRBE',
  'UNSUBSCRIVE',
  'UNSUBSCRIPE',
];
const CANCEL_MISSPELLINGS = ['CANCLE', 'CANSEL'];

/**
 * Opt-out words that count ANYWHERE in the message, not just first. They have hardly any meaning in a reply to a
 * business text other than "stop texting me".
 *
 * STOP is here on purpose, although "Yes, I'll stop by at 5" and "Don't stop" then count as opt-outs: most real
 * revocations put "stop" mid-sentence ("please stop", "can you stop texting me", "how do I stop these"), a missed
 * one is a violation, and a lead who meant "stop by" is told how to reply START. Whole words only: "stopped",
 * "nonstop" and "unstop" do not count.
 *
 * CANCEL, END, QUIT and REMOVE are NOT here: mid-sentence they are ordinary words ("I need to cancel my
 * appointment", "at the end of the day"); they count as the whole message, the first word, or in a phrase below.
 */
const OPT_OUT_WORDS_ANYWHERE = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'UNSUBSCRIBED', // "I already unsubscribed": the lead believes they are out.
  'UNSUB',
  'OPTOUT',
  'OPT OUT',
  'REVOKE',
  'CEASE', // "cease and desist", "cease all contact".
  ...STOP_MISSPELLINGS,
  ...UNSUBSCRIBE_MISSPELLINGS,
];

/**
 * Plain-language revocations, matched anywhere as whole words (the FCC reasonable-person rule, and CTIA's "please
 * opt me out"). Written as people type them; apostrophes are dropped by normalisation, so "don't" also matches
 * "dont" and "don’t". Grouped by how people say it. Phrases containing STOP need no entry (STOP counts anywhere).
 */
const REVOCATION_PHRASES = [
  // Asking to be removed from the list.
  'remove me',
  'remove my number',
  'remove this number',
  'remove my info',
  'take me off',
  'take my number off',
  'take this number off',
  'take me out of',
  'off your list',
  'off the list',
  'delete me',
  'delete my number',
  'delete this number',
  'lose my number',
  'lose this number',
  'opt me out',
  'opted out',
  'opting out',
  // Telling us not to contact them. "Don't call me" counts too: in a reply to a text a reasonable person reads it
  // as "leave me alone"; "don't call me, text me" becomes a (safe) false opt-out.
  'dont text',
  'do not text',
  'dont txt',
  'dont message',
  'do not message',
  'dont msg',
  'dont contact',
  'do not contact',
  'dont call me',
  'do not call me',
  'dont ever text',
  'dont ever contact',
  'never text me',
  'never message me',
  'never contact me',
  'never call me',
  'quit texting',
  'quit messaging',
  'quit contacting',
  'quit sending',
  // Saying they want no more texts.
  'no more texts',
  'no more text',
  'no more txts',
  'no more messages',
  'no more msgs',
  'no more texting',
  'no more contact',
  'too many texts',
  'too many messages',
  'dont want these',
  'dont want your',
  'dont want any more',
  'do not want these',
  'do not want your',
  'no longer want',
  'no longer wish',
  'not interested', // A lead's "not interested" to a sales text withdraws consent; a false one is safe.
  'no longer interested',
  // Withdrawing consent in so many words.
  'withdraw consent',
  'withdraw my consent',
  'dont consent',
  'do not consent',
  'no longer consent',
  // Denying they ever opted in: we must stop whatever the ledger says.
  'wrong number',
  'wrong person',
  'never signed up',
  'didnt sign up',
  'did not sign up',
  'never subscribed',
  'didnt subscribe',
  'did not subscribe',
  'never opted in',
  'never agreed',
  'didnt agree',
  'never gave you my number',
  // Hostile replies.
  'leave me alone',
  'go away',
  'get lost',
  'fuck off',
  'piss off',
  'spam',
  'spamming',
  'block this number',
  'block you',
  'blocking you',
  'blocking this number',
];

/**
 * Politeness words skipped before the first-word check, so "Please cancel", "pls remove me" and "Hi, end" count
 * like "cancel", "remove me" and "end". Opt-out only: "Please start" is still not an opt-in.
 */
const LEADING_FILLER_WORDS = ['please', 'pls', 'plz', 'kindly', 'just', 'ok', 'okay', 'hi', 'hello', 'hey'];
const FILLER_WORDS: ReadonlySet<string> = new Set(LEADING_FILLER_WORDS.map(squeezeRepeats));

/** A run of at least this many single letters is letter-spacing ("S T O P") and is joined into one word. */
const MIN_LETTER_SPACED_RUN = 3;

// Normalisation. One regular expression per step, each named for what it removes.
/** Apostrophe-like characters, deleted so that "don't", "don’t" and "dont" are the same word. */
const APOSTROPHES = /['‘’ʼ`´′＇]/gu;
/** Invisible format characters (zero-width space and joiner, BOM, soft hyphen, emoji tag characters). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Combining marks: accents after NFD ("ê" → "e"), emoji variation selectors and keycaps. */
const COMBINING_MARKS = /\p{M}/gu;
/** Anything but letters and digits: punctuation, symbols, emoji, whitespace. */
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const SINGLE_LETTER = /^\p{L}$/u;

/**
 * Normalises a text into its words; `[]` for an empty, whitespace-only, punctuation-only or emoji-only text.
 * Case folding is approximated by upper- then lower-casing, which also folds "ß" → "ss" and "ı" → "i".
 */
function toWords(text: string): string[] {
  const folded = text
    .replace(APOSTROPHES, '')
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(NOT_LETTER_OR_DIGIT, ' ')
    .trim();
  return folded === '' ? [] : joinLetterSpacing(folded.split(' '));
}

/**
 * Joins letter-spaced words: a whole message of single letters ("T D", "S T O P") or a run of at least
 * MIN_LETTER_SPACED_RUN single letters inside a message ("S T O P please" → "stop please").
 */
function joinLetterSpacing(words: string[]): string[] {
  const isSingleLetter = (word: string): boolean => SINGLE_LETTER.test(word);
  if (words.length > 1 && words.every(isSingleLetter)) return [words.join('')];

  const joined: string[] = [];
  let run: string[] = [];
  const flushRun = (): void => {
    if (run.length >= MIN_LETTER_SPACED_RUN) joined.push(run.join(''));
    else joined.push(...run);
    run = [];
  };
  for (const word of words) {
    if (isSingleLetter(word)) {
      run.push(word);
    } else {
      flushRun();
      joined.push(word);
    }
  }
  flushRun();
  return joined;
}

/** Collapses repeated letters ("stoooop" → "stop", "stopp" → "stop"); opt-out matching only. */
function squeezeRepeats(word: string): string {
  let squeezed = '';
  let previous = '';
  for (const character of word) {
    if (character !== previous) squeezed += character;
    previous = character;
  }
  return squeezed;
}

/** A list entry ready to match: its label as written and its normalised words. */
interface Pattern {
  label: string;
  words: readonly string[];
}

/** Normalises list entries into patterns; entries that normalise to nothing (or are not strings) are dropped. */
function toPatterns(entries: readonly unknown[], squeeze: boolean): Pattern[] {
  const patterns: Pattern[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const words = toWords(entry);
    if (words.length === 0) continue;
    patterns.push({ label: entry, words: squeeze ? words.map(squeezeRepeats) : words });
  }
  return patterns;
}

/** An account's keyword list as patterns; anything but an array (a bad settings row) counts as no keywords. */
function accountPatterns(entries: readonly unknown[] | undefined, squeeze: boolean): Pattern[] {
  return Array.isArray(entries) ? toPatterns(entries, squeeze) : [];
}

/** True when `words` holds `sequence` starting at index `start`. */
function hasSequenceAt(words: readonly string[], sequence: readonly string[], start: number): boolean {
  if (start + sequence.length > words.length) return false;
  return sequence.every((word, offset) => words[start + offset] === word);
}

function findWholeMessage(words: readonly string[], patterns: readonly Pattern[]): Pattern | undefined {
  return patterns.find((pattern) => pattern.words.length === words.length && hasSequenceAt(words, pattern.words, 0));
}

function findAtStart(words: readonly string[], patterns: readonly Pattern[]): Pattern | undefined {
  return patterns.find((pattern) => hasSequenceAt(words, pattern.words, 0));
}

function findAnywhere(words: readonly string[], patterns: readonly Pattern[]): Pattern | undefined {
  return patterns.find((pattern) => words.some((_, start) => hasSequenceAt(words, pattern.words, start)));
}

/** Drops leading politeness words ("please", "hi", ...); `words` must already be squeezed. */
function withoutLeadingFillers(words: readonly string[]): readonly string[] {
  let start = 0;
  while (start < words.length && FILLER_WORDS.has(words[start] ?? '')) start += 1;
  return words.slice(start);
}

const OPT_OUT_KEYWORD_PATTERNS = toPatterns(
  [...DEFAULT_OPT_OUT_KEYWORDS, ...STOP_MISSPELLINGS, ...UNSUBSCRIBE_MISSPELLINGS, ...CANCEL_MISSPELLINGS],
  true,
);
const OPT_OUT_ANYWHERE_PATTERNS = toPatterns([...OPT_OUT_WORDS_ANYWHERE, ...REVOCATION_PHRASES], true);
const OPT_IN_PATTERNS = toPatterns(DEFAULT_OPT_IN_KEYWORDS, false);
const HELP_PATTERNS = toPatterns(DEFAULT_HELP_KEYWORDS, false);

function optOutClassification(
  squeezedWords: readonly string[],
  keywords: readonly Pattern[],
): InboundClassification | undefined {
  const whole = findWholeMessage(squeezedWords, keywords);
  if (whole) return { intent: 'opt_out', matched: whole.label, rule: 'keyword' };

  const first = findAtStart(withoutLeadingFillers(squeezedWords), keywords);
  if (first) return { intent: 'opt_out', matched: first.label, rule: 'first_word' };

  const phrase = findAnywhere(squeezedWords, OPT_OUT_ANYWHERE_PATTERNS);
  if (phrase) return { intent: 'opt_out', matched: phrase.label, rule: 'phrase' };

  return undefined;
}

/**
 * Classifies an inbound SMS as an opt-out, opt-in, HELP request or ordinary reply.
 *
 * - opt_out: a default or account opt-out keyword as the whole message or the first word (after "please", "hi",
 *   ...), or an opt-out word or plain-language revocation anywhere ("please stop texting me", "wrong number").
 *   Letter-spacing, elongations ("stoooop") and common misspellings ("unsubscibe") count.
 * - opt_in: START, YES, UNSTOP or an account opt-in keyword as the whole message (punctuation and emoji aside).
 * - help: HELP, INFO or an account help keyword as the whole message.
 * - other: everything else, including empty, whitespace-only and emoji-only texts and texts in other scripts that
 *   match no keyword.
 *
 * Opt-out wins every conflict ("Help me stop these", "START STOP"). Never throws: a non-string is treated as empty.
 */
export function classifyInbound(text: string, accountKeywords?: KeywordOverrides): InboundClassification {
  const words = typeof text === 'string' ? toWords(text) : [];
  if (words.length === 0) return { intent: 'other', rule: 'none' };

  const optOutKeywords = [...OPT_OUT_KEYWORD_PATTERNS, ...accountPatterns(accountKeywords?.optOut, true)];
  const optOut = optOutClassification(words.map(squeezeRepeats), optOutKeywords);
  if (optOut) return optOut;

  const optIn = findWholeMessage(words, [...OPT_IN_PATTERNS, ...accountPatterns(accountKeywords?.optIn, false)]);
  if (optIn) return { intent: 'opt_in', matched: optIn.label, rule: 'keyword' };

  const help = findWholeMessage(words, [...HELP_PATTERNS, ...accountPatterns(accountKeywords?.help, false)]);
  if (help) return { intent: 'help', matched: help.label, rule: 'keyword' };

  return { intent: 'other', rule: 'none' };
}
