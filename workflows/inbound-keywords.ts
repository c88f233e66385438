/**
 * The inbound classifier's word lists: pure data, imported only by `classify-inbound.ts` (and its tests). This file
 * imports nothing, so the Temporal workflow sandbox can load it.
 *
 * Every group names its sources. `docs/keywords.md` renders the same table for review; change both together.
 * Entries are written the way people type them; the classifier normalises entries and texts the same way (case,
 * accents, apostrophes and punctuation dropped), so "ARRÊT" and "ARRET" are one entry and "m'écrire" is "mecrire".
 */

/**
 * The languages the default lists cover, and so the languages in which an account may write its answers (HELP, the
 * confirmations, the clarifying question). English is the main language and the fallback (docs/keywords.md).
 */
export const REPLY_LANGUAGES = ['en', 'es', 'fr'] as const;

/** One of REPLY_LANGUAGES. */
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

/**
 * Where an entry counts. `whole_message`: only as the entire text. `first_word`: as the entire text or at its start
 * (after politeness words). `anywhere`: as a run of whole words anywhere in the text.
 */
export type KeywordMatch = 'whole_message' | 'first_word' | 'anywhere';

/**
 * `published`: a carrier, industry body or messaging provider lists it. `variant`: a misspelling of a published
 * keyword. `plain_language`: wording a reasonable person uses to revoke consent (47 CFR 64.1200(a)(10)); no list is
 * exhaustive, so these are ours, grounded in the rule and in the providers' own examples.
 */
export type KeywordKind = 'published' | 'variant' | 'plain_language';

/** Misspellings of UNSUBSCRIBE, an opt-out both as the first word and anywhere in a reply. */
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

/** One row of the keyword table: entries sharing intent, language, match rule and sources. */
export interface KeywordGroup {
  intent: 'opt_out' | 'opt_in' | 'help';
  language: ReplyLanguage;
  match: KeywordMatch;
  kind: KeywordKind;
  entries: readonly string[];
  sources: readonly string[];
}

const FCC_RULE = 'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200';
const FCC_24_24 = 'https://docs.fcc.gov/public/attachments/FCC-24-24A1.pdf';
const CTIA_PRINCIPLES =
  'https://api.ctia.org/wp-content/uploads/2023/05/230523-CTIA-Messaging-Principles-and-Best-Practices-FINAL.pdf';
const TWILIO_STOP_FILTERING = 'https://help.twilio.com/articles/223134027';
const TWILIO_ADVANCED_OPT_OUT = 'https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out';
const TWILIO_PROXY = 'https://www.twilio.com/docs/proxy/opt-out-keywords';
const TWILIO_CANADA = 'https://support.twilio.com/hc/en-us/articles/223181928';
const TWILIO_SPANISH_SHORT_CODE =
  'https://www.twilio.com/help/faq/short-codes/what-are-the-requirements-for-a-spanish-language-short-code';
const TELNYX = 'https://developers.telnyx.com/docs/messaging/messages/advanced-opt-in-out';
const AWS_OPT_OUT = 'https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html';
const AWS_CA_FRENCH = 'https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-rcs-launch-ca-french.md';
const CWTA_VIA_INFOBIP =
  'https://support.infobip.com/docs/essentials/usa-and-canada-compliance/canadian-mandatory-keyword-responses';
const BRAZE_KEYWORDS =
  'https://www.braze.com/docs/user_guide/channels/sms_mms_and_rcs/message_features_and_optimization/keyword_processing/optin_optout';
const BRAZE_FUZZY =
  'https://www.braze.com/docs/user_guide/channels/sms_mms_and_rcs/message_features_and_optimization/keyword_processing/fuzzy_opt_out/';
const BIRD =
  'https://docs.bird.com/applications/channels/channels/supported-channels/sms/concepts/opt-in-and-opt-out-compliance';
const AIVO = 'https://helpaivoes.aivohelp.com/search/gestion-de-opt-out-para-sms-y-whatsapp-en-engage';
const NOTIFYCAME = 'https://notifycame.com/page/funciones-de-sms';

export const KEYWORD_GROUPS: readonly KeywordGroup[] = Object.freeze<KeywordGroup[]>([
  {
    intent: 'opt_out',
    language: 'en',
    match: 'first_word',
    kind: 'published',
    entries: [
      'STOP', // FCC per-se list, CTIA, Twilio, Telnyx, AWS, Braze
      'STOPALL', // Twilio, Telnyx, Braze
      'STOP ALL', // Telnyx
      'UNSUBSCRIBE', // FCC, CTIA, Twilio, Telnyx, AWS, Braze
      'CANCEL', // FCC, CTIA, Twilio, Telnyx, AWS, Braze
      'END', // FCC, CTIA, Twilio, Telnyx, AWS, Braze
      'QUIT', // FCC, CTIA, Twilio, Telnyx, AWS, Braze
      'REVOKE', // FCC, Twilio
      'OPTOUT', // Twilio, AWS
      'OPT OUT', // FCC ("opt out")
      'OPT-OUT', // AWS
      'REMOVE', // AWS
      'UNSUB', // Twilio's Canadian STOP examples
    ],
    sources: [
      FCC_RULE,
      CTIA_PRINCIPLES,
      TWILIO_STOP_FILTERING,
      TWILIO_ADVANCED_OPT_OUT,
      TELNYX,
      AWS_OPT_OUT,
      BRAZE_KEYWORDS,
      TWILIO_CANADA,
    ],
  },
  {
    intent: 'opt_out',
    language: 'fr',
    match: 'first_word',
    kind: 'published',
    entries: [
      'ARRET', // AWS default list, CWTA mandatory keyword, Twilio Canada, Bird
      'ARRÊT', // the same word with its accent; normalises to ARRET
      'ARRETE', // Twilio Proxy
      'ARRÊTE',
      'ARRETT', // Twilio Proxy
      'TD', // AWS default list (Canadian French)
    ],
    sources: [AWS_OPT_OUT, CWTA_VIA_INFOBIP, TWILIO_CANADA, TWILIO_PROXY, BIRD],
  },
  {
    intent: 'opt_out',
    language: 'es',
    match: 'first_word',
    kind: 'published',
    entries: [
      'ALTO', // Twilio's Spanish-language short-code requirements (carrier guidelines)
      'PARAR', // Aivo, Notifycame
      'DETENER', // Bird, Aivo
      'CANCELAR', // Aivo, Notifycame
      'BAJA', // Aivo, Notifycame
      'DESUSCRIBIR', // Aivo
    ],
    sources: [TWILIO_SPANISH_SHORT_CODE, BIRD, AIVO, NOTIFYCAME],
  },
  {
    // STOP misspellings are matched with STOP's own rules (see STOP_FAMILY), except STP: mid-message it is French
    // for "please" ("s'il te plaît"), so it counts only as the whole message or the first word.
    intent: 'opt_out',
    language: 'en',
    match: 'first_word',
    kind: 'variant',
    entries: ['STPO', 'SOTP', 'STP', ...UNSUBSCRIBE_MISSPELLINGS, 'CANCLE', 'CANSEL'],
    sources: [FCC_RULE, CTIA_PRINCIPLES],
  },
  {
    // Opt-out words with hardly any other meaning in a reply to a business text. STOP is not here: it has its own
    // small grammar (negations, idioms, unclear uses) in classify-inbound.ts.
    intent: 'opt_out',
    language: 'en',
    match: 'anywhere',
    kind: 'published',
    entries: [
      'STOPALL',
      'UNSUBSCRIBE',
      'UNSUBSCRIBED', // "I already unsubscribed": the lead believes they are out
      'UNSUB',
      'OPTOUT',
      'OPT OUT',
      'REVOKE',
      'CEASE', // "cease and desist", "cease all contact"
      ...UNSUBSCRIBE_MISSPELLINGS,
    ],
    sources: [FCC_RULE, CTIA_PRINCIPLES, TWILIO_STOP_FILTERING],
  },
  {
    intent: 'opt_out',
    language: 'en',
    match: 'whole_message',
    kind: 'plain_language',
    entries: ['goodbye', 'bye bye'], // Braze's own fuzzy opt-out example; as the whole reply only
    sources: [BRAZE_FUZZY, FCC_RULE],
  },
  {
    intent: 'opt_out',
    language: 'en',
    match: 'anywhere',
    kind: 'plain_language',
    entries: [
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
      'opt me out', // CTIA §5.1.3's own example, "please opt me out"
      'opted out',
      'opting out',
      'put a stop to',
      'put an end to',
      // Telling us not to contact them (the negation grammar in classify-inbound.ts covers the longer forms).
      // Apostrophes are dropped before matching, so "dont" here also matches "don't" and "don’t".
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
      'not interested', // to a sales text this withdraws consent; a false one is safe
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
      'leave me alone', // also Braze's fuzzy opt-out example
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
    ],
    sources: [FCC_RULE, FCC_24_24, CTIA_PRINCIPLES, BRAZE_FUZZY],
  },
  {
    intent: 'opt_out',
    language: 'es',
    match: 'first_word',
    kind: 'plain_language',
    entries: ['NO MÁS', 'BASTA', 'YA BASTA', 'DAR DE BAJA', 'DARME DE BAJA', 'DESUSCRIBIRME', 'DESUSCRÍBANME'],
    sources: [FCC_RULE, AIVO],
  },
  {
    intent: 'opt_out',
    language: 'es',
    match: 'anywhere',
    kind: 'plain_language',
    entries: [
      // Unsubscribing in so many words.
      'darme de baja',
      'dar de baja',
      'denme de baja',
      'me doy de baja',
      'quiero la baja',
      'desuscribirme',
      'desuscríbanme',
      'cancelar suscripción',
      'cancelar mi suscripción',
      // "Stop sending me ..."
      'dejen de enviarme',
      'deja de enviarme',
      'dejen de mandarme',
      'deja de mandarme',
      'dejen de escribirme',
      'deja de escribirme',
      'dejen de llamarme',
      'deja de llamarme',
      'dejen de molestarme',
      'deja de molestarme',
      // "Don't write/send/call me."
      'no me escriban',
      'no me escribas',
      'no me envíen',
      'no me envíes',
      'no me manden',
      'no me mandes',
      'no me contacten',
      'no me contactes',
      'no me llamen',
      'no me molesten',
      // "No more messages", "I don't want to receive ...".
      'no más mensajes',
      'no más textos',
      'no más sms',
      'no quiero recibir',
      'ya no quiero recibir',
      'no quiero más mensajes',
      'ya no quiero mensajes',
      // "Delete me / take me off your list."
      'bórrenme',
      'bórrame',
      'borren mi número',
      'elimínenme',
      'eliminen mi número',
      'sáquenme de',
      'sácame de',
      'quítenme de',
      'quítame de',
      // Not interested, wrong number, leave me alone.
      'no me interesa',
      'no estoy interesado',
      'no estoy interesada',
      'número equivocado',
      'nunca me suscribí',
      'déjenme en paz',
      'déjame en paz',
    ],
    sources: [FCC_RULE, FCC_24_24, AIVO],
  },
  {
    intent: 'opt_out',
    language: 'fr',
    match: 'first_word',
    kind: 'plain_language',
    entries: ['ARRÊTEZ', 'DÉSABONNER', 'DÉSABONNEZ-MOI', 'DÉSINSCRIRE', 'DÉSINSCRIVEZ-MOI'],
    sources: [FCC_RULE, CWTA_VIA_INFOBIP],
  },
  {
    intent: 'opt_out',
    language: 'fr',
    match: 'anywhere',
    kind: 'plain_language',
    entries: [
      // Unsubscribing in so many words (CWTA's ARRET reply says "vous avez été désabonné").
      'désabonner',
      'désabonnez',
      'désabonnement',
      'me désabonne',
      'désinscrire',
      'désinscrivez',
      'désinscription',
      // "Stop writing/sending to me."
      "arrêtez de m'écrire",
      "arrête de m'écrire",
      "arrêtez de m'envoyer",
      "arrête de m'envoyer",
      'arrêtez de me contacter',
      "arrêtez de m'appeler",
      'arrêtez les messages',
      'arrêtez les sms',
      'arrêt des messages',
      'arrêt des sms',
      // "No longer receive", "don't write to me any more".
      'ne plus recevoir',
      'ne veux plus recevoir',
      'ne veux plus de messages',
      "ne m'écrivez plus",
      "ne m'envoyez plus",
      'ne me contactez plus',
      "ne m'appelez plus",
      // "Take me off", wrong number, not interested, leave me alone.
      'retirez-moi',
      'retirez mon numéro',
      'supprimez-moi',
      'supprimez mon numéro',
      'effacez mon numéro',
      'mauvais numéro',
      'pas intéressé',
      'pas intéressée',
      'laissez-moi tranquille',
      'fichez-moi la paix',
    ],
    sources: [FCC_RULE, FCC_24_24, CWTA_VIA_INFOBIP],
  },
  {
    // Whole message only: consent must be unambiguous, a false opt-in is a violation.
    intent: 'opt_in',
    language: 'en',
    match: 'whole_message',
    kind: 'published',
    entries: ['START', 'YES', 'UNSTOP'], // Twilio and Braze: all three; Telnyx and AWS toll-free: START, UNSTOP
    sources: [TWILIO_STOP_FILTERING, BRAZE_KEYWORDS, TELNYX, AWS_OPT_OUT],
  },
  {
    intent: 'opt_in',
    language: 'es',
    match: 'whole_message',
    kind: 'published',
    entries: [
      'COMENZAR', // Notifycame
      'INICIAR', // Aivo
      'ALTA', // Notifycame
      'SUSCRIBIR', // Aivo
      'SUSCRIBIRME', // Notifycame
    ],
    sources: [NOTIFYCAME, AIVO],
  },
  {
    intent: 'opt_in',
    language: 'fr',
    match: 'whole_message',
    kind: 'published',
    entries: ['NONARRET'], // Bird
    sources: [BIRD],
  },
  {
    intent: 'help',
    language: 'en',
    match: 'whole_message',
    kind: 'published',
    entries: ['HELP', 'INFO'], // INFO is also one of the five CWTA mandatory keywords
    sources: [TWILIO_STOP_FILTERING, BRAZE_KEYWORDS, TELNYX, CWTA_VIA_INFOBIP],
  },
  {
    intent: 'help',
    language: 'es',
    match: 'whole_message',
    kind: 'published',
    entries: ['AYUDA'], // Twilio's Spanish short-code requirements, Bird
    sources: [TWILIO_SPANISH_SHORT_CODE, BIRD],
  },
  {
    intent: 'help',
    language: 'fr',
    match: 'whole_message',
    kind: 'published',
    entries: ['AIDE'], // CWTA mandatory keyword, AWS Canadian French, Twilio Canada, Bird
    sources: [CWTA_VIA_INFOBIP, AWS_CA_FRENCH, TWILIO_CANADA, BIRD],
  },
]);
