/**
 * The word lists of the classifier's small grammar (docs/keywords.md, "The STOP rules"): what settles a STOP used
 * mid-sentence, which verbs a negation must reach to be a revocation ("do not EVER contact me"), and the politeness
 * words skipped before a first-word keyword. Pure data like inbound-keywords.ts, and like it imports nothing: the
 * workflow sandbox loads it.
 */

/**
 * The STOP grammar (English). STOP is the keyword people use mid-sentence both to revoke ("please stop texting me")
 * and in everyday English ("stop by", "bus stop"), so each STOP in a text is settled by the lists below; see
 * classify-inbound.ts for the order they apply in and docs/keywords.md for examples.
 */
export const STOP_FAMILY: readonly string[] = ['STOP', 'STPO', 'SOTP'];

/** A negation right before STOP ("don't stop", "can't stop smiling", "never stop") makes it ordinary speech. */
export const STOP_NEGATIONS: readonly string[] = [
  "don't",
  'do not',
  'never',
  "can't",
  'cannot',
  'can not',
  "couldn't",
  'could not',
];
/** Words allowed between such a negation and STOP ("don't ever stop", "can't really stop"). */
export const STOP_NEGATION_GAP: readonly string[] = ['ever', 'even', 'just', 'really', 'you', 'u', 'please', 'pls'];

/** STOP followed by these is a visit or a pause, not a revocation: "stop by", "stop in", "stop over", "stop off". */
export const STOP_PARTICLES_AFTER: readonly string[] = ['by', 'in', 'into', 'over', 'off', 'round', 'around'];
/** STOP after these is the noun: "bus stop", "pit stop", "next stop", "non-stop", "one stop shop", "a stop". */
export const STOP_NOUN_BEFORE: readonly string[] = [
  'a',
  'the',
  'my',
  'our',
  'bus',
  'pit',
  'next',
  'last',
  'first',
  'final',
  'truck',
  'rest',
  'non',
  'one',
  'full',
  'whistle',
  'train',
  'subway',
  'metro',
  'tram',
  'quick',
  'short',
  'brief',
  'every',
];
/** STOP before these is a compound noun: "stop sign", "stop light", "stop loss", "stop gap". */
export const STOP_NOUN_AFTER: readonly string[] = ['sign', 'signs', 'light', 'lights', 'loss', 'gap', 'motion'];

/** STOP followed by one of these (or by the end of the sentence) is a revocation: "stop it", "stop please". */
export const STOP_OBJECTS: readonly string[] = [
  'it',
  'this',
  'these',
  'those',
  'that',
  'them',
  'now',
  'right',
  'please',
  'pls',
  'plz',
  'all',
  'everything',
  'asap',
  'immediately',
  'already',
  'rn',
  'thanks',
  'thank',
  'thx',
  'ok',
  'okay',
];

/**
 * A first-word STOP followed by one of these is about something else, and we cannot tell what: "stop the car",
 * "stop at the store", "stop for lunch". Such a text is `unclear` (a gerund after STOP is too: "stop worrying").
 */
export const STOP_UNCLEAR_AFTER: readonly string[] = [
  'the',
  'a',
  'an',
  'my',
  'your',
  'his',
  'her',
  'our',
  'their',
  'at',
  'for',
  'to',
  'on',
  'with',
];

/**
 * Verbs and nouns of contacting. STOP with one of these within three words is a revocation ("stop texting me",
 * "stop sending these", "stop them from calling"); a negation with one of these is too ("do not EVER contact me").
 */
export const CONTACT_VERBS: readonly string[] = [
  'contact',
  'contacting',
  'text',
  'texting',
  'txt',
  'txting',
  'message',
  'messaging',
  'msg',
  'send',
  'sending',
  'call',
  'calling',
  'phone',
  'email',
  'emailing',
  'sms',
  'write',
  'writing',
  'bother',
  'bothering',
  'bugging',
  'harass',
  'harassing',
  'pestering',
  'spam',
  'spamming',
  'reach',
  'ping',
];
export const MESSAGE_NOUNS: readonly string[] = [
  'texts',
  'txts',
  'messages',
  'msgs',
  'calls',
  'emails',
  'notifications',
  'alerts',
  'ads',
  'promotions',
  'promos',
  'marketing',
  'subscription',
  'reminders',
  'robocalls',
  'robotexts',
];

/** Negations that, followed by a contact verb, revoke: "don't text me", "do not send", "never call me again". */
export const CONTACT_NEGATIONS: readonly string[] = ["don't", 'do not', 'never', 'dnt'];
/** Words allowed between such a negation and the verb, at most four: "do not EVER contact", "don't you dare text". */
export const CONTACT_NEGATION_GAP: readonly string[] = [
  'ever',
  'evr',
  'even',
  'you',
  'u',
  'ya',
  'yall',
  'guys',
  'dare',
  'again',
  'please',
  'pls',
  'plz',
  'further',
  'any',
  'more',
  'anymore',
  'need',
  'want',
  'to',
];

/**
 * Politeness words skipped before the first-word check, so "Please cancel", "Hola, baja" and "SVP arrêt" count like
 * the bare keyword. Opt-out only: "Please start" is still not an opt-in.
 */
export const LEADING_FILLER_WORDS: readonly string[] = [
  'please',
  'pls',
  'plz',
  'kindly',
  'just',
  'ok',
  'okay',
  'hi',
  'hello',
  'hey',
  'por',
  'favor',
  'porfa',
  'porfavor',
  'hola',
  'oye',
  'svp',
  "s'il",
  'vous',
  'plaît',
  'bonjour',
  'salut',
];
