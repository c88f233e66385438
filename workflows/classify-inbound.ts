/**
 * Inbound SMS classification: what did the lead mean by their reply?
 *
 * A pure function shared by the Temporal workflow (deterministic sandbox) and the Express webhook, so this file
 * imports nothing but its own word lists (`inbound-keywords.ts`, pure data): no Node built-ins, no npm packages.
 * docs/keywords.md is the reviewed table of every list, rule and source.
 *
 * The compliance asymmetry drives every decision below:
 * - a missed opt-out is a TCPA violation (any reasonable means revokes, 47 CFR 64.1200(a)(10)), a false opt-out is
 *   harmless (the lead can reply START), so opt-out matching is broad: whole-message keywords, keywords as the first
 *   word, plain-language revocations anywhere, elongations and listed misspellings, in English, Spanish and French;
 * - a false opt-in is the violation on the other side, so opt-in (and HELP) match the whole message only, exactly;
 * - STOP alone is both the keyword and an everyday word, so each STOP is settled by a small grammar (negations,
 *   idioms, revocation contexts). A STOP the grammar cannot settle makes the text `unclear`: the service pauses sends
 *   and asks once, instead of guessing either way.
 *
 * Precedence: opt_out > unclear > opt_in > help > other. Within opt-out the rules run in this order: whole-message
 * keyword, first-word keyword, phrase anywhere, negation + contact verb, the STOP grammar.
 *
 * Every text, keyword and phrase goes through the same normalisation (see `tokenize`): apostrophes dropped
 * ("don't" → "dont"), NFKC (full-width and styled letters → plain ones), case-folded, accents stripped
 * ("ARRÊT" → "arret"), invisible format characters dropped, letters split from digits ("stop2quit" → "stop 2 quit"),
 * everything that is not a letter or digit turned into a single space, letter-spacing collapsed ("S T O P" → "stop").
 * Sentence punctuation (! ? ; a full stop after a word, a line break) is remembered as a clause break, so "Don't.
 * Stop texting me" does not read as "don't stop".
 */
import { KEYWORD_GROUPS, type KeywordGroup, type ReplyLanguage } from './inbound-keywords';
import {
  CONTACT_NEGATIONS,
  CONTACT_NEGATION_GAP,
  CONTACT_VERBS,
  LEADING_FILLER_WORDS,
  MESSAGE_NOUNS,
  STOP_FAMILY,
  STOP_NEGATIONS,
  STOP_NEGATION_GAP,
  STOP_NOUN_AFTER,
  STOP_NOUN_BEFORE,
  STOP_OBJECTS,
  STOP_PARTICLES_AFTER,
  STOP_UNCLEAR_AFTER,
} from './reply-grammar';

/**
 * What an inbound text means for consent. `other` is an ordinary reply, kept in the lead's text history. `unclear`
 * is a reply that may or may not revoke consent (see `classifyInbound`).
 */
export type InboundIntent = 'opt_out' | 'unclear' | 'opt_in' | 'help' | 'other';

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
 * - `matched`: the list entry that matched, as written in the list (e.g. `'STOP'`, `'ARRÊT'`, `'wrong number'`, the
 *   account's own keyword), or for the negation grammar the negation and verb (`"do not … contact"`); absent for
 *   `other`.
 * - `rule`: where it matched: `keyword` (the whole message), `first_word` (at the start, after politeness words),
 *   `phrase` (anywhere), `none` (nothing matched). For `unclear` it says where the unsettled STOP was.
 * - `language`: the language of the entry that matched, so confirmations and HELP replies can use it. Absent for
 *   `other` and for an account's own keywords (their language is unknown).
 */
export interface InboundClassification {
  intent: InboundIntent;
  matched?: string;
  rule: 'keyword' | 'first_word' | 'phrase' | 'none';
  language?: ReplyLanguage;
}

const defaultKeywords = (intent: KeywordGroup['intent']): readonly string[] =>
  Object.freeze(
    KEYWORD_GROUPS.filter(
      (group) => group.intent === intent && group.kind === 'published' && group.match !== 'anywhere',
    ).flatMap((group) => group.entries),
  );

/** The published opt-out keywords in every language (whole message or first word). */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = defaultKeywords('opt_out');
/** The published opt-in keywords in every language (whole message only). */
export const DEFAULT_OPT_IN_KEYWORDS: readonly string[] = defaultKeywords('opt_in');
/** The published HELP keywords in every language (whole message only). */
export const DEFAULT_HELP_KEYWORDS: readonly string[] = defaultKeywords('help');

/** A run of at least this many single letters is letter-spacing ("S T O P") and is joined into one word. */
const MIN_LETTER_SPACED_RUN = 3;
/** Words allowed between a STOP negation and STOP ("don't you ever stop"). */
const MAX_STOP_NEGATION_GAP = 2;
/** Words allowed between a contact negation and its verb ("do not EVER contact"). */
const MAX_CONTACT_NEGATION_GAP = 4;
/** How far after STOP a contact word still makes it a revocation ("stop sending me these texts"). */
const CONTACT_WINDOW = 3;
/** How far after STOP a "from …ing" still makes it "prevent" ("stop this terrible bill from passing"). */
const PREVENT_WINDOW = 6;

// Normalisation. One regular expression per step, each named for what it removes.
/** Apostrophe-like characters, deleted so that "don't", "don’t" and "dont" are the same word. */
const APOSTROPHES = /['‘’ʼ`´′＇]/gu;
/** Invisible format characters (zero-width space and joiner, BOM, soft hyphen, emoji tag characters). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Combining marks: accents after NFD ("ê" → "e"), emoji variation selectors and keycaps. */
const COMBINING_MARKS = /\p{M}/gu;
/** Where letters meet digits: "stop2quit" is the carriers' own example of a glued keyword. */
const LETTER_DIGIT_BOUNDARY = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu;
/** Sentence punctuation; a full stop counts only after a word, so "s.t.o.p" and "T. D." stay letter-spaced. */
const CLAUSE_BREAK = /(?<=\p{L}\p{L}|\p{N})\.+(?=\s|$)|[!?;¡¿]+|\n/u;
/** Anything but letters and digits: punctuation, symbols, emoji, whitespace. */
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const SINGLE_LETTER = /^\p{L}$/u;
/** A gerund ("worrying", "passing"): at least two letters before "ing". */
const GERUND = /^\p{L}{2,}ing$/u;

/** A normalised text: its words, and for each word the clause (sentence) it belongs to. */
interface Tokens {
  words: string[];
  clauses: number[];
}

/**
 * Normalises a text into words; no words for an empty, punctuation-only or emoji-only text. Case folding is
 * approximated by upper- then lower-casing, which also folds "ß" → "ss" and "ı" → "i".
 */
function tokenize(text: string): Tokens {
  const folded = text
    .replace(APOSTROPHES, '')
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(LETTER_DIGIT_BOUNDARY, ' ');
  const words: string[] = [];
  const clauses: number[] = [];
  folded.split(CLAUSE_BREAK).forEach((clause, index) => {
    for (const word of clause.replace(NOT_LETTER_OR_DIGIT, ' ').trim().split(' ')) {
      if (word === '') continue;
      words.push(word);
      clauses.push(index);
    }
  });
  return joinLetterSpacing({ words, clauses });
}

/**
 * Joins letter-spaced words: a whole message of single letters ("T D", "S T O P") or a run of at least
 * MIN_LETTER_SPACED_RUN single letters inside a message ("S T O P please" → "stop please").
 */
function joinLetterSpacing(tokens: Tokens): Tokens {
  const isSingleLetter = (word: string): boolean => SINGLE_LETTER.test(word);
  if (tokens.words.length > 1 && tokens.words.every(isSingleLetter)) {
    return { words: [tokens.words.join('')], clauses: [tokens.clauses[0] ?? 0] };
  }

  const joined: Tokens = { words: [], clauses: [] };
  let run: number[] = [];
  const flushRun = (): void => {
    const runWords = run.map((index) => tokens.words[index] ?? '');
    const runClauses = run.map((index) => tokens.clauses[index] ?? 0);
    if (run.length >= MIN_LETTER_SPACED_RUN) {
      joined.words.push(runWords.join(''));
      joined.clauses.push(runClauses[0] ?? 0);
    } else {
      joined.words.push(...runWords);
      joined.clauses.push(...runClauses);
    }
    run = [];
  };
  tokens.words.forEach((word, index) => {
    if (isSingleLetter(word)) {
      run.push(index);
    } else {
      flushRun();
      joined.words.push(word);
      joined.clauses.push(tokens.clauses[index] ?? 0);
    }
  });
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

/** A list entry ready to match: its label as written, its normalised words, and its language when known. */
interface Pattern {
  label: string;
  words: readonly string[];
  language?: ReplyLanguage;
}

/** Normalises list entries into patterns; entries that normalise to nothing (or are not strings) are dropped. */
function toPatterns(entries: readonly unknown[], squeeze: boolean, language?: ReplyLanguage): Pattern[] {
  const patterns: Pattern[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const { words } = tokenize(entry);
    if (words.length === 0) continue;
    patterns.push({ label: entry, words: squeeze ? words.map(squeezeRepeats) : words, language });
  }
  return patterns;
}

/** The default groups of one intent and match rule as patterns, in table order. */
function groupPatterns(intent: KeywordGroup['intent'], matches: KeywordGroup['match'][], squeeze: boolean): Pattern[] {
  return KEYWORD_GROUPS.filter((group) => group.intent === intent && matches.includes(group.match)).flatMap((group) =>
    toPatterns(group.entries, squeeze, group.language),
  );
}

/** An account's keyword list as patterns; anything but an array (a bad settings row) counts as no keywords. */
function accountPatterns(entries: readonly unknown[] | undefined, squeeze: boolean): Pattern[] {
  return Array.isArray(entries) ? toPatterns(entries, squeeze) : [];
}

/** A word list as a set of normalised (and squeezed) words; multi-word entries become patterns instead. */
function wordSet(entries: readonly string[]): ReadonlySet<string> {
  return new Set(toPatterns(entries, true).flatMap((pattern) => (pattern.words.length === 1 ? pattern.words : [])));
}

/** True when `words` holds `sequence` starting at index `start`. */
function hasSequenceAt(words: readonly string[], sequence: readonly string[], start: number): boolean {
  if (start < 0 || start + sequence.length > words.length) return false;
  return sequence.every((word, offset) => words[start + offset] === word);
}

function findWholeMessage(words: readonly string[], patterns: readonly Pattern[]): Pattern | undefined {
  return patterns.find((pattern) => pattern.words.length === words.length && hasSequenceAt(words, pattern.words, 0));
}

function findAt(words: readonly string[], patterns: readonly Pattern[], start: number): Pattern | undefined {
  return patterns.find((pattern) => hasSequenceAt(words, pattern.words, start));
}

function findAnywhere(words: readonly string[], patterns: readonly Pattern[]): Pattern | undefined {
  return patterns.find((pattern) => words.some((_, start) => hasSequenceAt(words, pattern.words, start)));
}

/** A pattern that ends right before `index` in the same clause, e.g. the negation in "don't stop". */
function findEndingBefore(tokens: Tokens, patterns: readonly Pattern[], index: number): Pattern | undefined {
  const clause = tokens.clauses[index];
  return patterns.find((pattern) => {
    const start = index - pattern.words.length;
    return hasSequenceAt(tokens.words, pattern.words, start) && tokens.clauses[start] === clause;
  });
}

const OPT_OUT_KEYWORD_PATTERNS = groupPatterns('opt_out', ['whole_message', 'first_word'], true);
const OPT_OUT_FIRST_WORD_PATTERNS = groupPatterns('opt_out', ['first_word'], true);
const OPT_OUT_ANYWHERE_PATTERNS = groupPatterns('opt_out', ['anywhere'], true);
const OPT_IN_PATTERNS = groupPatterns('opt_in', ['whole_message'], false);
const HELP_PATTERNS = groupPatterns('help', ['whole_message'], false);

const STOP_PATTERNS = toPatterns(STOP_FAMILY, true, 'en');
const STOP_WORDS = wordSet(STOP_FAMILY);
const STOP_NEGATION_PATTERNS = toPatterns(STOP_NEGATIONS, true);
const STOP_NEGATION_GAP_WORDS = wordSet(STOP_NEGATION_GAP);
const STOP_PARTICLE_WORDS = wordSet(STOP_PARTICLES_AFTER);
const STOP_NOUN_BEFORE_WORDS = wordSet(STOP_NOUN_BEFORE);
const STOP_NOUN_AFTER_WORDS = wordSet(STOP_NOUN_AFTER);
const STOP_OBJECT_WORDS = wordSet(STOP_OBJECTS);
const STOP_UNCLEAR_AFTER_WORDS = wordSet(STOP_UNCLEAR_AFTER);
const CONTACT_VERB_WORDS = wordSet(CONTACT_VERBS);
const CONTACT_WORDS = wordSet([...CONTACT_VERBS, ...MESSAGE_NOUNS]);
const CONTACT_NEGATION_PATTERNS = toPatterns(CONTACT_NEGATIONS, true);
const CONTACT_NEGATION_GAP_WORDS = wordSet(CONTACT_NEGATION_GAP);
const FILLER_WORDS = wordSet(LEADING_FILLER_WORDS);

/** Index of the first word that is not a politeness word ("please", "hola", "svp"); `words` must be squeezed. */
function firstContentIndex(words: readonly string[]): number {
  let start = 0;
  while (start < words.length && FILLER_WORDS.has(words[start] ?? '')) start += 1;
  return start;
}

/** True when a STOP-family keyword starts the pattern: those first words are left to the STOP grammar. */
const startsWithStop = (pattern: Pattern): boolean => STOP_WORDS.has(pattern.words[0] ?? '');

/** How one STOP in a text reads: a revocation, ordinary speech (negated or idiomatic), or undecidable. */
type StopReading = 'revocation' | 'ordinary' | 'unclear';

/**
 * Reads the STOP at `index`. The checks run in this order and the first that applies wins:
 * 1. a negation right before it ("don't stop", "can't stop smiling", "never stop") → ordinary;
 * 2. a particle after it or a noun use ("stop by", "bus stop", "next stop", "stop sign") → ordinary;
 * 3. a contact word within CONTACT_WINDOW words ("stop texting", "stop sending these", "stop them from calling")
 *    → revocation;
 * 4. "stop X from …ing" ("stop this bill from passing") → ordinary: STOP means prevent;
 * 5. the end of the sentence or an object after it ("STOP!!!", "stop it", "please stop", "stop now") → revocation;
 * 6. as the first word, followed by an article, possessive, preposition or gerund ("stop the car", "stop worrying")
 *    → unclear; followed by anything else ("Stop 2 quit", "STOP 停止") → revocation, as carriers read it;
 * 7. anywhere else ("we need to stop the project") → unclear.
 */
function readStop(tokens: Tokens, index: number, isFirst: boolean): StopReading {
  const { words, clauses } = tokens;
  const inClause = (at: number): boolean => at < words.length && clauses[at] === clauses[index];
  const next = inClause(index + 1) ? words[index + 1] : undefined;
  const previous = index > 0 && clauses[index - 1] === clauses[index] ? words[index - 1] : undefined;

  for (let end = index; end >= index - MAX_STOP_NEGATION_GAP; end -= 1) {
    if (findEndingBefore(tokens, STOP_NEGATION_PATTERNS, end)) return 'ordinary';
    if (!STOP_NEGATION_GAP_WORDS.has(words[end - 1] ?? '')) break;
  }

  const isNoun = STOP_NOUN_BEFORE_WORDS.has(previous ?? '') || STOP_NOUN_AFTER_WORDS.has(next ?? '');
  if (isNoun || STOP_PARTICLE_WORDS.has(next ?? '')) return 'ordinary';

  for (let at = index + 1; at <= index + CONTACT_WINDOW && inClause(at); at += 1) {
    if (CONTACT_WORDS.has(words[at] ?? '')) return 'revocation';
  }
  for (let at = index + 1; at < index + PREVENT_WINDOW && inClause(at + 1); at += 1) {
    if (words[at] === 'from' && GERUND.test(words[at + 1] ?? '')) return 'ordinary';
  }

  if (next === undefined || STOP_OBJECT_WORDS.has(next) || STOP_WORDS.has(next)) return 'revocation';
  if (!isFirst) return 'unclear';
  return STOP_UNCLEAR_AFTER_WORDS.has(next) || GERUND.test(next) ? 'unclear' : 'revocation';
}

/** Finds "do not EVER contact", "don't text", "never call me": a negation, a few allowed words, a contact verb. */
function findNegatedContact(tokens: Tokens): string | undefined {
  const { words, clauses } = tokens;
  for (let start = 0; start < words.length; start += 1) {
    const negation = findAt(words, CONTACT_NEGATION_PATTERNS, start);
    if (!negation) continue;
    let at = start + negation.words.length;
    const limit = at + MAX_CONTACT_NEGATION_GAP;
    while (at < limit && clauses[at] === clauses[start] && CONTACT_NEGATION_GAP_WORDS.has(words[at] ?? '')) at += 1;
    const verb = words[at];
    if (verb !== undefined && clauses[at] === clauses[start] && CONTACT_VERB_WORDS.has(verb)) {
      const gap = at > start + negation.words.length ? ' … ' : ' ';
      return `${negation.label}${gap}${verb}`;
    }
  }
  return undefined;
}

/** Builds a classification, leaving `language` out when it is unknown (an account's own keyword). */
function classified(
  intent: InboundIntent,
  pattern: Pattern,
  rule: InboundClassification['rule'],
): InboundClassification {
  return pattern.language
    ? { intent, matched: pattern.label, rule, language: pattern.language }
    : { intent, matched: pattern.label, rule };
}

/** The opt-out rules in order; `unclear` when only an unsettled STOP was found; undefined when nothing matched. */
function optOutOrUnclear(tokens: Tokens, accountOptOut: readonly Pattern[]): InboundClassification | undefined {
  const { words } = tokens;
  const keywords = [...OPT_OUT_KEYWORD_PATTERNS, ...accountOptOut];
  const whole = findWholeMessage(words, keywords);
  if (whole) return classified('opt_out', whole, 'keyword');

  const first = firstContentIndex(words);
  const firstWordKeywords = [...OPT_OUT_FIRST_WORD_PATTERNS, ...accountOptOut].filter(
    (pattern) => !startsWithStop(pattern),
  );
  const atStart = findAt(words, firstWordKeywords, first);
  if (atStart) return classified('opt_out', atStart, 'first_word');

  const phrase = findAnywhere(words, OPT_OUT_ANYWHERE_PATTERNS);
  if (phrase) return classified('opt_out', phrase, 'phrase');

  const negatedContact = findNegatedContact(tokens);
  if (negatedContact) return { intent: 'opt_out', matched: negatedContact, rule: 'phrase', language: 'en' };

  let unclear: InboundClassification | undefined;
  for (let index = 0; index < words.length; index += 1) {
    const stop = findAt(words, STOP_PATTERNS, index);
    if (!stop || stop.words.length !== 1) continue;
    const reading = readStop(tokens, index, index === first);
    const rule = index === first ? 'first_word' : 'phrase';
    if (reading === 'revocation') return classified('opt_out', stop, rule);
    if (reading === 'unclear') unclear ??= classified('unclear', stop, rule);
  }
  return unclear;
}

/**
 * Classifies an inbound SMS as an opt-out, an unclear STOP, an opt-in, a HELP request or an ordinary reply.
 *
 * - opt_out: an opt-out keyword (English, Spanish, French or the account's) as the whole message or the first word
 *   (after "please", "hola", "svp", ...); a plain-language revocation anywhere ("wrong number", "dejen de enviarme
 *   mensajes", "ne plus recevoir"); a negation with a contact verb ("do not EVER contact me"); or a STOP that the
 *   STOP grammar reads as a revocation ("please stop", "stop texting me", "STOP!!!").
 * - unclear: a STOP that no rule settles ("stop the car", "we need to stop the project", "stop worrying"), and no
 *   opt-out rule matched. The service pauses sends at once and asks one clarifying question; START resumes.
 * - opt_in: an opt-in keyword (START, YES, UNSTOP, COMENZAR, NONARRET, ... or the account's) as the whole message.
 * - help: a HELP keyword (HELP, INFO, AYUDA, AIDE or the account's) as the whole message.
 * - other: everything else, including negated and idiomatic STOPs ("don't stop", "bus stop", "stop by tomorrow"),
 *   empty, emoji-only and other-script texts that match no keyword.
 *
 * Never throws: a non-string is treated as empty.
 */
export function classifyInbound(text: string, accountKeywords?: KeywordOverrides): InboundClassification {
  const tokens = typeof text === 'string' ? tokenize(text) : { words: [], clauses: [] };
  if (tokens.words.length === 0) return { intent: 'other', rule: 'none' };

  const squeezed = { words: tokens.words.map(squeezeRepeats), clauses: tokens.clauses };
  const optOut = optOutOrUnclear(squeezed, accountPatterns(accountKeywords?.optOut, true));
  if (optOut) return optOut;

  const optIn = findWholeMessage(tokens.words, [...OPT_IN_PATTERNS, ...accountPatterns(accountKeywords?.optIn, false)]);
  if (optIn) return classified('opt_in', optIn, 'keyword');

  const help = findWholeMessage(tokens.words, [...HELP_PATTERNS, ...accountPatterns(accountKeywords?.help, false)]);
  if (help) return classified('help', help, 'keyword');

  return { intent: 'other', rule: 'none' };
}
