import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  classifyInbound,
  type InboundClassification,
  type InboundIntent,
  type KeywordOverrides,
} from '../../workflows/classify-inbound';
import { KEYWORD_GROUPS } from '../../workflows/inbound-keywords';

type Rule = InboundClassification['rule'];

/**
 * One real-world reply: what it must classify as, optionally by which rule and in which language, why when it is
 * borderline, and where the case comes from (a provider's list or example, the FCC rule, or issue #11).
 */
interface Row {
  text: string;
  intent: InboundIntent;
  rule?: Rule;
  matched?: string;
  language?: InboundClassification['language'];
  why?: string;
  source?: string;
}

// Short names for the sources in docs/keywords.md.
const AWS = 'AWS End User Messaging required opt-out keywords';
const BIRD = 'Bird compliance keywords';
const BRAZE_FUZZY = 'Braze fuzzy opt-out';
const CTIA = 'CTIA Messaging Principles §5.1.3';
const CWTA = 'CWTA mandatory keywords (Infobip)';
const FCC = '47 CFR 64.1200(a)(10)';
const ISSUE = 'issue #11';
const AIVO = 'Aivo opt-out keywords';
const NOTIFYCAME = 'Notifycame SMS keywords';
const TWILIO_CANADA = 'Twilio Canadian mandatory keywords';
const TWILIO_PROXY = 'Twilio Proxy opt-out keywords';
const TWILIO_SPANISH = 'Twilio Spanish-language short codes';
const STOP2QUIT = 'carriers\' "stop2quit" example (US Legal Forms)';

const replies: Row[] = [
  // Opt-out keywords as the whole message, with the punctuation, emoji and spacing people add.
  { text: 'STOP', intent: 'opt_out', rule: 'keyword', matched: 'STOP' },
  { text: 'stop', intent: 'opt_out', rule: 'keyword' },
  { text: 'Stop.', intent: 'opt_out', rule: 'keyword' },
  { text: 'STOP!!!', intent: 'opt_out', rule: 'keyword' },
  { text: '"STOP"', intent: 'opt_out', rule: 'keyword' },
  { text: '(stop)', intent: 'opt_out', rule: 'keyword' },
  { text: '*STOP*', intent: 'opt_out', rule: 'keyword' },
  { text: '...stop...', intent: 'opt_out', rule: 'keyword' },
  { text: '  stop  \n', intent: 'opt_out', rule: 'keyword', why: 'trimmed' },
  { text: '\tSTOP\r\n', intent: 'opt_out', rule: 'keyword', why: 'trimmed' },
  { text: 'STOP 🛑', intent: 'opt_out', rule: 'keyword', why: 'emoji dropped' },
  { text: '🛑STOP🛑', intent: 'opt_out', rule: 'keyword', why: 'emoji dropped' },
  { text: 'Stop 😡😡😡', intent: 'opt_out', rule: 'keyword', why: 'emoji dropped' },
  { text: 'STOP 👎🏽', intent: 'opt_out', rule: 'keyword', why: 'emoji with skin-tone modifier dropped' },
  { text: '\u200bSTOP\u200b', intent: 'opt_out', rule: 'keyword', why: 'zero-width spaces dropped' },
  { text: 'S\u200bTOP', intent: 'opt_out', rule: 'keyword', why: 'zero-width space inside the word dropped' },
  { text: 'ＳＴＯＰ', intent: 'opt_out', rule: 'keyword', why: 'full-width letters, NFKC' },
  { text: '𝐒𝐓𝐎𝐏', intent: 'opt_out', rule: 'keyword', why: 'mathematical bold letters, NFKC' },
  { text: 'ⓈⓉⓄⓅ', intent: 'opt_out', rule: 'keyword', why: 'circled letters, NFKC' },
  { text: 'StopAll', intent: 'opt_out', rule: 'keyword', matched: 'STOPALL' },
  { text: 'stop all', intent: 'opt_out', rule: 'keyword', matched: 'STOP ALL' },
  { text: 'Unsubscribe', intent: 'opt_out', rule: 'keyword', matched: 'UNSUBSCRIBE' },
  { text: 'cancel', intent: 'opt_out', rule: 'keyword', matched: 'CANCEL' },
  { text: 'END', intent: 'opt_out', rule: 'keyword', matched: 'END' },
  { text: 'Quit!', intent: 'opt_out', rule: 'keyword', matched: 'QUIT' },
  { text: 'revoke', intent: 'opt_out', rule: 'keyword', matched: 'REVOKE' },
  { text: 'OptOut', intent: 'opt_out', rule: 'keyword', matched: 'OPTOUT' },
  { text: 'opt out', intent: 'opt_out', rule: 'keyword', matched: 'OPT OUT' },
  { text: 'Opt-Out', intent: 'opt_out', rule: 'keyword', why: 'hyphen becomes a space: same words as OPT OUT' },
  { text: 'opt_out', intent: 'opt_out', rule: 'keyword' },
  { text: 'REMOVE', intent: 'opt_out', rule: 'keyword', matched: 'REMOVE' },
  { text: 'Arrêt', intent: 'opt_out', rule: 'keyword', matched: 'ARRET', why: 'Canadian French; accent stripped' },
  { text: 'arret', intent: 'opt_out', rule: 'keyword', matched: 'ARRET', why: 'Canadian French' },
  { text: 'TD', intent: 'opt_out', rule: 'keyword', matched: 'TD', why: 'Canadian French (AWS default list)' },
  { text: 'Stop stop stop', intent: 'opt_out', rule: 'first_word' },

  // Letter-spacing.
  { text: 'S T O P', intent: 'opt_out', rule: 'keyword', matched: 'STOP' },
  { text: 's t o p', intent: 'opt_out', rule: 'keyword' },
  { text: 's.t.o.p', intent: 'opt_out', rule: 'keyword' },
  { text: 'S-T-O-P', intent: 'opt_out', rule: 'keyword' },
  { text: 'S.T.O.P.', intent: 'opt_out', rule: 'keyword' },
  { text: 'S T O P please', intent: 'opt_out', rule: 'first_word', why: 'letter-spaced run joined, then first word' },
  { text: 'Q U I T', intent: 'opt_out', rule: 'keyword', matched: 'QUIT' },
  { text: 'e n d', intent: 'opt_out', rule: 'keyword', matched: 'END' },
  { text: 'U N S U B S C R I B E', intent: 'opt_out', rule: 'keyword', matched: 'UNSUBSCRIBE' },
  { text: 'T. D.', intent: 'opt_out', rule: 'keyword', why: 'a whole message of single letters is joined' },

  // Elongations and misspellings: a missed opt-out is a violation, a false one is safe.
  { text: 'STOPPPPP', intent: 'opt_out', rule: 'keyword', matched: 'STOP', why: 'repeated letters ignored' },
  { text: 'stoooooop', intent: 'opt_out', rule: 'keyword', matched: 'STOP', why: 'repeated letters ignored' },
  { text: 'Stopp', intent: 'opt_out', rule: 'keyword', matched: 'STOP', why: 'repeated letters ignored' },
  {
    text: 'stoop',
    intent: 'opt_out',
    rule: 'keyword',
    matched: 'STOP',
    why: 'a doubled-letter STOP typo wins over the porch',
  },
  { text: 'Cancell', intent: 'opt_out', rule: 'keyword', matched: 'CANCEL', why: 'repeated letters ignored' },
  { text: 'unsubscibe', intent: 'opt_out', rule: 'keyword', matched: 'UNSUBSCIBE', why: 'listed misspelling' },
  { text: 'Unsubcribe', intent: 'opt_out', rule: 'keyword', why: 'listed misspelling' },
  { text: 'unsuscribe me', intent: 'opt_out', rule: 'first_word', why: 'listed misspelling as the first word' },
  { text: 'stpo', intent: 'opt_out', rule: 'keyword', why: 'listed transposition' },
  { text: 'Sotp', intent: 'opt_out', rule: 'keyword', why: 'listed transposition' },
  { text: 'STP', intent: 'opt_out', rule: 'keyword', why: 'listed dropped letter' },
  { text: 'cancle', intent: 'opt_out', rule: 'keyword', why: 'listed misspelling' },
  { text: 'how do I unsubscibe', intent: 'opt_out', rule: 'phrase', why: 'UNSUBSCRIBE misspellings count anywhere' },

  // A message whose first word is an opt-out keyword.
  { text: 'Stop please', intent: 'opt_out', rule: 'first_word', matched: 'STOP' },
  { text: 'STOP!!! NOW', intent: 'opt_out', rule: 'first_word' },
  { text: 'stop it', intent: 'opt_out', rule: 'first_word' },
  { text: 'Stop texting me', intent: 'opt_out', rule: 'first_word' },
  { text: 'cancel my subscription', intent: 'opt_out', rule: 'first_word', matched: 'CANCEL' },
  { text: 'End it', intent: 'opt_out', rule: 'first_word', matched: 'END' },
  { text: 'Quit messaging me', intent: 'opt_out', rule: 'first_word', matched: 'QUIT' },
  { text: 'Remove me from your list', intent: 'opt_out', rule: 'first_word', matched: 'REMOVE' },
  { text: 'Unsubscribe me please', intent: 'opt_out', rule: 'first_word' },
  { text: 'opt-out now', intent: 'opt_out', rule: 'first_word' },
  { text: 'Revoke my consent', intent: 'opt_out', rule: 'first_word' },
  { text: 'Please cancel', intent: 'opt_out', rule: 'first_word', why: '"please" is skipped before the first word' },
  { text: 'pls remove', intent: 'opt_out', rule: 'first_word', why: '"pls" is skipped before the first word' },
  { text: 'Hi, end', intent: 'opt_out', rule: 'first_word', why: 'a greeting is skipped before the first word' },
  { text: 'Stop by tomorrow', intent: 'other', why: 'changed for #11: "stop by" is a visit, not a revocation' },
  {
    text: 'Cancel my appointment for Friday',
    intent: 'opt_out',
    rule: 'first_word',
    why: 'first word is CANCEL; we cannot tell it from "cancel these texts"',
  },
  { text: 'End of the day works for me', intent: 'opt_out', rule: 'first_word', why: 'first word is END' },

  // STOP and other unambiguous opt-out words anywhere in the message.
  { text: 'please stop', intent: 'opt_out', rule: 'first_word', matched: 'STOP', why: '"please" is skipped' },
  { text: 'PLEASE STOP TEXTING ME', intent: 'opt_out', rule: 'first_word', why: '"please" is skipped' },
  { text: 'Can you stop sending these?', intent: 'opt_out', rule: 'phrase' },
  { text: 'how do I unsubscribe?', intent: 'opt_out', rule: 'phrase', matched: 'UNSUBSCRIBE' },
  { text: 'I want to opt out', intent: 'opt_out', rule: 'phrase', matched: 'OPT OUT' },
  { text: "I'd like to opt-out of these", intent: 'opt_out', rule: 'phrase' },
  { text: 'I already unsubscribed', intent: 'opt_out', rule: 'phrase', matched: 'UNSUBSCRIBED' },
  { text: 'I revoke consent to be texted', intent: 'opt_out', rule: 'phrase', matched: 'REVOKE' },
  { text: 'Cease and desist', intent: 'opt_out', rule: 'phrase', matched: 'CEASE' },
  { text: "Yes, I'll stop by at 5", intent: 'other', why: 'changed for #11: "stop by" is a visit' },
  { text: "Don't stop", intent: 'other', why: 'changed for #11: a negated STOP is not a revocation' },
  { text: 'Help me stop these', intent: 'opt_out', rule: 'phrase', why: 'contains STOP; opt-out wins over HELP' },
  { text: 'START STOP', intent: 'opt_out', rule: 'phrase', why: 'opt-out wins over opt-in' },
  { text: 'yes stop', intent: 'opt_out', rule: 'phrase', why: 'opt-out wins over opt-in' },

  // Plain-language revocations (FCC reasonable-person rule).
  { text: 'Could you remove me', intent: 'opt_out', rule: 'phrase', matched: 'remove me' },
  { text: 'take me off', intent: 'opt_out', rule: 'phrase', matched: 'take me off' },
  { text: 'Take me off your list!', intent: 'opt_out', rule: 'phrase', matched: 'take me off' },
  { text: 'Can you take my number off', intent: 'opt_out', rule: 'phrase', matched: 'take my number off' },
  { text: "don't text me", intent: 'opt_out', rule: 'phrase', matched: 'dont text' },
  { text: 'Don’t text me', intent: 'opt_out', rule: 'phrase', why: 'curly apostrophe dropped like a straight one' },
  { text: 'dont txt me', intent: 'opt_out', rule: 'phrase' },
  { text: 'do not text me again', intent: 'opt_out', rule: 'phrase', matched: 'do not text' },
  { text: 'DO NOT CONTACT ME', intent: 'opt_out', rule: 'phrase', matched: 'do not contact' },
  { text: "Don't call me", intent: 'opt_out', rule: 'phrase', why: 'reads as "leave me alone" in a reply' },
  { text: 'Never text me again', intent: 'opt_out', rule: 'phrase' },
  { text: 'leave me alone', intent: 'opt_out', rule: 'phrase', matched: 'leave me alone' },
  { text: 'Leave me alone!!', intent: 'opt_out', rule: 'phrase' },
  { text: 'No more texts', intent: 'opt_out', rule: 'phrase', matched: 'no more texts' },
  { text: 'No more messages please', intent: 'opt_out', rule: 'phrase' },
  { text: 'Way too many texts', intent: 'opt_out', rule: 'phrase', why: 'complaining of volume is a revocation' },
  { text: "I don't want these messages", intent: 'opt_out', rule: 'phrase' },
  { text: 'wrong number', intent: 'opt_out', rule: 'phrase', matched: 'wrong number' },
  { text: 'You have the wrong number', intent: 'opt_out', rule: 'phrase' },
  { text: 'Wrong person, sorry', intent: 'opt_out', rule: 'phrase' },
  { text: 'I never signed up for this', intent: 'opt_out', rule: 'phrase', matched: 'never signed up' },
  { text: "I didn't sign up for this", intent: 'opt_out', rule: 'phrase' },
  { text: 'Please opt me out', intent: 'opt_out', rule: 'phrase', matched: 'opt me out', why: 'CTIA example' },
  { text: 'Not interested', intent: 'opt_out', rule: 'phrase', why: 'withdraws consent to sales texts' },
  { text: "I'm not interested, thanks", intent: 'opt_out', rule: 'phrase' },
  { text: 'No longer interested', intent: 'opt_out', rule: 'phrase' },
  { text: 'Delete my number', intent: 'opt_out', rule: 'phrase' },
  { text: 'lose my number', intent: 'opt_out', rule: 'phrase' },
  { text: 'I withdraw my consent', intent: 'opt_out', rule: 'phrase' },
  { text: 'I do not consent to these texts', intent: 'opt_out', rule: 'phrase' },
  { text: 'go away', intent: 'opt_out', rule: 'phrase' },
  { text: 'this is spam', intent: 'opt_out', rule: 'phrase', matched: 'spam' },
  { text: "I'm going to block this number", intent: 'opt_out', rule: 'phrase' },
  { text: 'Who gave you my number? Remove me', intent: 'opt_out', rule: 'phrase', matched: 'remove me' },

  // Opt-in: START, YES, UNSTOP as the whole message only.
  { text: 'START', intent: 'opt_in', rule: 'keyword', matched: 'START' },
  { text: 'start', intent: 'opt_in', rule: 'keyword' },
  { text: 'Start.', intent: 'opt_in', rule: 'keyword' },
  { text: 'YES', intent: 'opt_in', rule: 'keyword', matched: 'YES' },
  { text: 'Yes!', intent: 'opt_in', rule: 'keyword' },
  { text: 'yes 👍', intent: 'opt_in', rule: 'keyword', why: 'emoji dropped' },
  { text: 'Ｙｅｓ', intent: 'opt_in', rule: 'keyword', why: 'full-width letters, NFKC' },
  { text: 'UNSTOP', intent: 'opt_in', rule: 'keyword', matched: 'UNSTOP', why: 'UNSTOP is not the word STOP' },
  { text: 'unstop', intent: 'opt_in', rule: 'keyword' },
  { text: 'S T A R T', intent: 'opt_in', rule: 'keyword', why: 'letter-spacing joined' },
  { text: 'yes please', intent: 'other', why: 'opt-in is whole message only: a false opt-in is a violation' },
  { text: 'Yes I will be there at 5', intent: 'other', why: 'an answer to a question, not consent' },
  { text: 'Start over', intent: 'other', why: 'opt-in is whole message only' },
  { text: 'Yesss', intent: 'other', why: 'opt-in matches exactly; elongation is forgiven for opt-out only' },
  { text: 'Y', intent: 'other', why: 'not a keyword' },
  { text: 'Please start', intent: 'other', why: 'politeness words are skipped for opt-out only' },

  // HELP: HELP, INFO as the whole message only.
  { text: 'HELP', intent: 'help', rule: 'keyword', matched: 'HELP' },
  { text: 'help', intent: 'help', rule: 'keyword' },
  { text: 'Help?', intent: 'help', rule: 'keyword' },
  { text: 'INFO', intent: 'help', rule: 'keyword', matched: 'INFO' },
  { text: 'info.', intent: 'help', rule: 'keyword' },
  { text: 'help me', intent: 'other', why: 'HELP is whole message only' },
  { text: 'More info please', intent: 'other', why: 'INFO is whole message only' },

  // Ordinary replies.
  { text: 'Thanks!', intent: 'other' },
  { text: 'ok', intent: 'other' },
  { text: 'See you at 5', intent: 'other' },
  { text: 'What time is the showing?', intent: 'other' },
  { text: 'Who is this?', intent: 'other', why: 'a question, not a revocation' },
  { text: 'No', intent: 'other', why: 'an answer; before opt-in nothing is sent anyway' },
  { text: 'No thanks', intent: 'other', why: 'declines an offer, not texting; before opt-in nothing is sent anyway' },
  { text: 'Stopped by your office today', intent: 'other', why: '"stopped" is not the word STOP' },
  { text: 'Any nonstop flights?', intent: 'other', why: '"nonstop" is not the word STOP' },
  { text: 'I need to cancel my appointment', intent: 'other', why: 'CANCEL counts only as the first word' },
  { text: 'At the end of the month', intent: 'other', why: 'END counts only as the first word' },
  { text: 'Can you remove the late fee?', intent: 'other', why: 'REMOVE counts only first or as "remove me"' },
  { text: 'remote work is fine', intent: 'other', why: 'no edit-distance matching: "remote" is not REMOVE' },
  { text: '12345', intent: 'other' },

  // Empty, whitespace-only, punctuation-only, emoji-only.
  { text: '', intent: 'other', rule: 'none' },
  { text: '   ', intent: 'other', rule: 'none' },
  { text: '\n\t\r\n', intent: 'other', rule: 'none' },
  { text: '!!!', intent: 'other', rule: 'none' },
  { text: '👍', intent: 'other', rule: 'none' },
  { text: '😀😀😀', intent: 'other', rule: 'none' },
  { text: '🛑', intent: 'other', rule: 'none', why: 'emoji-only is other, even the stop sign (brief)' },
  { text: '\u200b\u200d\ufeff', intent: 'other', rule: 'none', why: 'invisible characters only' },

  // Other scripts: no crash, other unless they match.
  { text: '停止', intent: 'other', why: 'no default keywords in Chinese; accounts can add them' },
  { text: '你好，请问几点？', intent: 'other' },
  { text: 'توقف', intent: 'other', why: 'no default keywords in Arabic' },
  { text: 'مرحبا، شكرا لك', intent: 'other' },
  { text: 'стоп', intent: 'other', why: 'no default keywords in Russian' },
  { text: 'Привет, спасибо!', intent: 'other' },
  { text: 'नमस्ते', intent: 'other' },
  { text: 'STOP 停止', intent: 'opt_out', rule: 'first_word', why: 'the Latin STOP matches' },
  { text: 'пожалуйста stop', intent: 'opt_out', rule: 'phrase', why: 'the Latin STOP matches' },
  { text: 'unsub', intent: 'opt_out', rule: 'keyword', matched: 'UNSUB', language: 'en', source: TWILIO_CANADA },

  // Spanish opt-out keywords, whole message and first word.
  { text: 'ALTO', intent: 'opt_out', rule: 'keyword', matched: 'ALTO', language: 'es', source: TWILIO_SPANISH },
  { text: 'Alto por favor', intent: 'opt_out', rule: 'first_word', language: 'es', source: TWILIO_SPANISH },
  { text: 'PARAR', intent: 'opt_out', rule: 'keyword', matched: 'PARAR', language: 'es', source: AIVO },
  { text: 'CANCELAR', intent: 'opt_out', rule: 'keyword', matched: 'CANCELAR', language: 'es', source: AIVO },
  { text: 'Cancelar', intent: 'opt_out', rule: 'keyword', language: 'es', source: AIVO, why: "Aivo's example" },
  { text: 'BAJA', intent: 'opt_out', rule: 'keyword', matched: 'BAJA', language: 'es', source: NOTIFYCAME },
  { text: 'Detener', intent: 'opt_out', rule: 'keyword', matched: 'DETENER', language: 'es', source: BIRD },
  { text: 'desuscribir', intent: 'opt_out', rule: 'keyword', matched: 'DESUSCRIBIR', language: 'es', source: AIVO },
  { text: 'Hola, baja', intent: 'opt_out', rule: 'first_word', language: 'es', source: NOTIFYCAME },
  { text: 'No más', intent: 'opt_out', rule: 'keyword', matched: 'NO MÁS', language: 'es', source: ISSUE },
  { text: 'no mas', intent: 'opt_out', rule: 'keyword', language: 'es', source: ISSUE, why: 'accent optional' },
  { text: 'Basta ya!', intent: 'opt_out', rule: 'first_word', language: 'es', source: FCC },
  { text: 'Dar de baja', intent: 'opt_out', rule: 'keyword', matched: 'DAR DE BAJA', language: 'es', source: FCC },

  // Spanish plain-language revocations anywhere (FCC reasonable-means rule).
  { text: 'Dejen de enviarme mensajes', intent: 'opt_out', rule: 'phrase', language: 'es', source: ISSUE },
  {
    text: 'Bórrenme de su lista',
    intent: 'opt_out',
    rule: 'phrase',
    matched: 'bórrenme',
    language: 'es',
    source: ISSUE,
  },
  { text: 'Por favor no me escriban más', intent: 'opt_out', rule: 'phrase', language: 'es', source: ISSUE },
  { text: 'Ya no quiero recibir mensajes', intent: 'opt_out', rule: 'phrase', language: 'es', source: ISSUE },
  { text: 'Gracias pero no me interesa', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  { text: 'Número equivocado', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  { text: 'Quiero darme de baja', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  { text: 'deja de mandarme cosas', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  { text: 'sáquenme de esta lista', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  { text: 'Déjenme en paz', intent: 'opt_out', rule: 'phrase', language: 'es', source: FCC },
  {
    text: 'Envíe la palabra ALTO',
    intent: 'other',
    why: 'quoting the call to action: ALTO counts only as the whole message or the first word',
    source: TWILIO_SPANISH,
  },

  // French opt-out keywords and revocations.
  { text: 'ARRET', intent: 'opt_out', rule: 'keyword', matched: 'ARRET', language: 'fr', source: AWS },
  { text: 'Arrêt svp', intent: 'opt_out', rule: 'first_word', language: 'fr', source: CWTA },
  { text: 'ARRETE', intent: 'opt_out', rule: 'keyword', matched: 'ARRETE', language: 'fr', source: TWILIO_PROXY },
  { text: 'Arrête', intent: 'opt_out', rule: 'keyword', language: 'fr', source: TWILIO_PROXY },
  { text: 'ARRETT', intent: 'opt_out', rule: 'keyword', language: 'fr', source: TWILIO_PROXY },
  { text: 'td', intent: 'opt_out', rule: 'keyword', matched: 'TD', language: 'fr', source: AWS },
  { text: 'Arrêtez!', intent: 'opt_out', rule: 'keyword', matched: 'ARRÊTEZ', language: 'fr', source: FCC },
  { text: "Arrêtez de m'écrire", intent: 'opt_out', rule: 'first_word', language: 'fr', source: ISSUE },
  { text: 'SVP arrêtez de m’écrire', intent: 'opt_out', rule: 'first_word', language: 'fr', source: ISSUE },
  { text: 'Je veux me désabonner', intent: 'opt_out', rule: 'phrase', language: 'fr', source: ISSUE },
  { text: 'Désabonnez-moi', intent: 'opt_out', rule: 'keyword', language: 'fr', source: CWTA },
  { text: 'Je ne veux plus recevoir vos SMS', intent: 'opt_out', rule: 'phrase', language: 'fr', source: ISSUE },
  { text: 'Merci de ne plus recevoir ces messages', intent: 'opt_out', rule: 'phrase', language: 'fr', source: ISSUE },
  { text: 'Mauvais numéro', intent: 'opt_out', rule: 'phrase', language: 'fr', source: FCC },
  { text: 'Laissez-moi tranquille', intent: 'opt_out', rule: 'phrase', language: 'fr', source: FCC },

  // Opt-in and HELP in Spanish and French: whole message only.
  { text: 'COMENZAR', intent: 'opt_in', rule: 'keyword', matched: 'COMENZAR', language: 'es', source: NOTIFYCAME },
  { text: 'Alta', intent: 'opt_in', rule: 'keyword', matched: 'ALTA', language: 'es', source: NOTIFYCAME },
  { text: 'Iniciar', intent: 'opt_in', rule: 'keyword', matched: 'INICIAR', language: 'es', source: AIVO },
  { text: 'suscribir', intent: 'opt_in', rule: 'keyword', matched: 'SUSCRIBIR', language: 'es', source: AIVO },
  { text: 'NONARRET', intent: 'opt_in', rule: 'keyword', matched: 'NONARRET', language: 'fr', source: BIRD },
  { text: 'Sí', intent: 'other', why: 'no published list has SÍ; a false opt-in is a violation', source: ISSUE },
  { text: 'comenzar mañana', intent: 'other', why: 'opt-in is whole message only', source: ISSUE },
  { text: 'AYUDA', intent: 'help', rule: 'keyword', matched: 'AYUDA', language: 'es', source: TWILIO_SPANISH },
  { text: 'Aide', intent: 'help', rule: 'keyword', matched: 'AIDE', language: 'fr', source: CWTA },
  { text: 'INFO', intent: 'help', rule: 'keyword', language: 'en', source: CWTA },
  { text: 'ayuda con mi cuenta', intent: 'other', why: 'HELP is whole message only', source: ISSUE },

  // Revocations the old rules missed (issue #11).
  {
    text: 'Do not EVER contact me again',
    intent: 'opt_out',
    rule: 'phrase',
    matched: 'do not … contact',
    language: 'en',
    source: ISSUE,
  },
  { text: 'do not send', intent: 'opt_out', rule: 'phrase', matched: 'do not send', language: 'en', source: ISSUE },
  { text: 'stop2quit', intent: 'opt_out', rule: 'first_word', matched: 'STOP', language: 'en', source: STOP2QUIT },
  { text: 'STOP2END', intent: 'opt_out', rule: 'first_word', language: 'en', source: STOP2QUIT },
  { text: "Don't you dare text me", intent: 'opt_out', rule: 'phrase', matched: "don't … text", source: FCC },
  { text: "I don't want you to message me", intent: 'opt_out', rule: 'phrase', source: FCC },
  { text: 'never call me again', intent: 'opt_out', rule: 'phrase', source: FCC },
  { text: 'stop texting', intent: 'opt_out', rule: 'first_word', matched: 'STOP', source: ISSUE },
  { text: 'Stop bothering me', intent: 'opt_out', rule: 'first_word', source: FCC },
  { text: 'I said STOP', intent: 'opt_out', rule: 'phrase', source: FCC, why: 'STOP at the end of the sentence' },
  { text: 'Make it stop', intent: 'opt_out', rule: 'phrase', source: FCC },
  { text: 'Please stop. Thanks', intent: 'opt_out', rule: 'first_word', source: CTIA },
  {
    text: 'stop them from texting me',
    intent: 'opt_out',
    rule: 'first_word',
    source: FCC,
    why: 'prevent + contact verb',
  },
  {
    text: "Don't. Stop texting me.",
    intent: 'opt_out',
    rule: 'phrase',
    source: ISSUE,
    why: 'the negation is in another sentence',
  },
  { text: 'Put a stop to these texts', intent: 'opt_out', rule: 'phrase', matched: 'put a stop to', source: FCC },
  { text: 'Goodbye', intent: 'opt_out', rule: 'keyword', matched: 'goodbye', source: BRAZE_FUZZY },
  { text: "Don't stop by, just remove me", intent: 'opt_out', rule: 'phrase', matched: 'remove me', source: FCC },
  { text: "don't stop texting me, but wrong number", intent: 'opt_out', rule: 'phrase', source: FCC },

  // Negated and idiomatic STOPs: ordinary replies (issue #11).
  { text: 'Can you stop by tomorrow?', intent: 'other', why: 'stop by = visit', source: ISSUE },
  { text: 'bus stop', intent: 'other', why: 'noun', source: ISSUE },
  { text: "I can't stop smiling", intent: 'other', why: 'negated', source: ISSUE },
  {
    text: 'Count me in! We have got to STOP this terrible bill from passing!!',
    intent: 'other',
    why: 'stop X from Y-ing = prevent; "count me in" is no opt-in keyword',
    source: ISSUE,
  },
  { text: "Please don't stop", intent: 'other', why: 'negated', source: ISSUE },
  { text: 'Never stop learning', intent: 'other', why: 'negated', source: ISSUE },
  {
    text: "Don't ever stop sending me deals!",
    intent: 'other',
    why: 'negated, double negation is no revocation',
    source: ISSUE,
  },
  { text: "I couldn't stop laughing", intent: 'other', why: 'negated', source: ISSUE },
  { text: "I'll stop in around noon", intent: 'other', why: 'stop in = visit', source: ISSUE },
  { text: 'Can we stop over on Sunday?', intent: 'other', why: 'stop over = visit', source: ISSUE },
  { text: 'Is there a pit stop on the way', intent: 'other', why: 'noun', source: ISSUE },
  { text: 'The next stop is Main St', intent: 'other', why: 'noun', source: ISSUE },
  { text: 'We drove non-stop', intent: 'other', why: 'noun', source: ISSUE },
  { text: "It's a one stop shop", intent: 'other', why: 'noun', source: ISSUE },
  { text: 'Turn left at the stop sign', intent: 'other', why: 'compound noun', source: ISSUE },
  { text: 'sitting on the stoop', intent: 'other', why: '"the stoop" squeezes to "the stop", a noun', source: ISSUE },
  { text: 'Sorry, this is my stop', intent: 'other', why: 'noun', source: ISSUE },
  { text: 'Merci, appelle-moi stp', intent: 'other', why: 'STP mid-message is French "please"', source: ISSUE },

  // STOPs no rule settles: unclear, so the service pauses and asks once.
  { text: 'stop the car', intent: 'unclear', rule: 'first_word', matched: 'STOP', language: 'en', source: ISSUE },
  {
    text: 'We need to stop the project',
    intent: 'unclear',
    rule: 'phrase',
    matched: 'STOP',
    language: 'en',
    source: ISSUE,
  },
  { text: 'stop worrying', intent: 'unclear', rule: 'first_word', language: 'en', source: ISSUE },
  { text: "Stop worrying, I'll be there", intent: 'unclear', rule: 'first_word', source: ISSUE },
  { text: 'Where should we stop for lunch?', intent: 'unclear', rule: 'phrase', source: ISSUE },
  { text: 'Stop at the bank first', intent: 'unclear', rule: 'first_word', source: ISSUE },
  { text: 'yes, stop the car', intent: 'unclear', why: 'unclear wins over opt-in words', source: ISSUE },
  { text: 'help, stop the car', intent: 'unclear', why: 'unclear wins over HELP words', source: ISSUE },
  {
    text: 'stop the car and remove me',
    intent: 'opt_out',
    rule: 'phrase',
    why: 'opt-out wins over unclear',
    source: ISSUE,
  },
];

describe('classifyInbound', () => {
  it('has at least 100 real-world replies in its table', () => {
    assert.ok(replies.length >= 100, `only ${replies.length} rows`);
  });

  for (const row of replies) {
    const condition = row.why ? ` (${row.why})` : '';
    it(`classifies as ${row.intent} when the text is ${JSON.stringify(row.text)}${condition}`, () => {
      const result = classifyInbound(row.text);

      assert.equal(result.intent, row.intent);
      if (row.rule !== undefined) assert.equal(result.rule, row.rule);
      if (row.matched !== undefined) assert.equal(result.matched, row.matched);
      if (row.language !== undefined) assert.equal(result.language, row.language);
      if (row.intent === 'other') {
        assert.equal(result.rule, 'none');
        assert.equal(result.matched, undefined);
        assert.equal(result.language, undefined);
      } else {
        assert.notEqual(result.rule, 'none');
        assert.equal(typeof result.matched, 'string');
        assert.ok(result.language !== undefined, 'every default entry has a language');
      }
    });
  }

  const caseForms = (keyword: string): string[] => [
    keyword.toUpperCase(),
    keyword.toLowerCase(),
    keyword.charAt(0).toUpperCase() + keyword.slice(1).toLowerCase(),
    [...keyword].map((character, index) => (index % 2 ? character.toUpperCase() : character.toLowerCase())).join(''),
  ];
  const keywordSets: [InboundIntent, readonly string[]][] = [
    ['opt_out', DEFAULT_OPT_OUT_KEYWORDS],
    ['opt_in', DEFAULT_OPT_IN_KEYWORDS],
    ['help', DEFAULT_HELP_KEYWORDS],
  ];
  for (const [intent, keywords] of keywordSets) {
    it(`classifies every default ${intent} keyword as ${intent} when it is the whole message in any case form`, () => {
      for (const keyword of keywords) {
        for (const form of caseForms(keyword)) {
          for (const text of [form, `${form}.`, `${form}!!!`, ` ${form} `, `${form} 🙏`]) {
            const result = classifyInbound(text);
            assert.equal(result.intent, intent, `${JSON.stringify(text)} → ${result.intent}`);
            assert.equal(result.rule, 'keyword', JSON.stringify(text));
          }
        }
      }
    });
  }

  it('classifies every default opt-out keyword as opt_out when it is the first word in any case form', () => {
    for (const keyword of DEFAULT_OPT_OUT_KEYWORDS) {
      for (const form of caseForms(keyword)) {
        const text = `${form}, thanks for nothing`;
        const result = classifyInbound(text);
        assert.equal(result.intent, 'opt_out', JSON.stringify(text));
        assert.equal(result.rule, 'first_word', JSON.stringify(text));
      }
    }
  });

  it('classifies opt-in and help keywords as other when they are not the whole message', () => {
    for (const keyword of [...DEFAULT_OPT_IN_KEYWORDS, ...DEFAULT_HELP_KEYWORDS]) {
      for (const text of [`${keyword} please`, `ok ${keyword}`, `${keyword} I guess`]) {
        assert.equal(classifyInbound(text).intent, 'other', JSON.stringify(text));
      }
    }
  });

  it('includes the FCC, CTIA and carrier keywords in the default lists', () => {
    for (const keyword of ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE']) {
      assert.ok(DEFAULT_OPT_OUT_KEYWORDS.includes(keyword), keyword);
    }
    for (const keyword of ['OPTOUT', 'OPT OUT', 'OPT-OUT', 'REMOVE', 'ARRET', 'TD']) {
      assert.ok(DEFAULT_OPT_OUT_KEYWORDS.includes(keyword), keyword);
    }
    for (const keyword of ['ALTO', 'PARAR', 'CANCELAR', 'BAJA', 'DETENER', 'ARRETE', 'ARRETT']) {
      assert.ok(DEFAULT_OPT_OUT_KEYWORDS.includes(keyword), keyword);
    }
    // Changed for #11: the defaults now hold the Spanish and French keywords too.
    for (const keyword of ['START', 'YES', 'UNSTOP', 'COMENZAR', 'ALTA', 'NONARRET']) {
      assert.ok(DEFAULT_OPT_IN_KEYWORDS.includes(keyword), keyword);
    }
    assert.deepEqual([...DEFAULT_HELP_KEYWORDS], ['HELP', 'INFO', 'AYUDA', 'AIDE']);
  });

  it('refuses changes to the default lists when a caller tries to mutate them', () => {
    assert.throws(() => (DEFAULT_OPT_OUT_KEYWORDS as string[]).push('MAYBE'), TypeError);
    assert.throws(() => (DEFAULT_OPT_IN_KEYWORDS as string[]).push('MAYBE'), TypeError);
    assert.throws(() => (DEFAULT_HELP_KEYWORDS as string[]).push('MAYBE'), TypeError);
  });

  describe('keyword table', () => {
    it('names at least one source for every group when the table is audited', () => {
      for (const group of KEYWORD_GROUPS) {
        assert.ok(group.sources.length > 0, JSON.stringify(group.entries.slice(0, 3)));
        for (const source of group.sources) assert.match(source, /^https:\/\//);
      }
    });

    it('classifies every default entry with its group language when it is sent as its group allows', () => {
      for (const group of KEYWORD_GROUPS) {
        for (const entry of group.entries) {
          const result = classifyInbound(entry);

          assert.equal(result.intent, group.intent, `${entry} → ${result.intent}`);
          if (group.match !== 'anywhere' || result.rule === 'phrase')
            assert.equal(result.language, group.language, entry);
        }
      }
    });

    it('classifies every Spanish and French keyword as its intent when it is the whole message in any case form', () => {
      const foreign = KEYWORD_GROUPS.filter((group) => group.language !== 'en' && group.match !== 'anywhere');
      for (const group of foreign) {
        for (const entry of group.entries) {
          for (const form of caseForms(entry)) {
            const result = classifyInbound(`${form}!`);
            assert.equal(result.intent, group.intent, form);
            assert.equal(result.language, group.language, form);
          }
        }
      }
    });

    it('leaves the language out when an account keyword matched', () => {
      const result = classifyInbound('salir', { optOut: ['SALIR'] });

      assert.deepEqual(result, { intent: 'opt_out', matched: 'SALIR', rule: 'keyword' });
    });
  });

  describe('properties', () => {
    const stopForms = fc.constantFrom('STOP', 'stop', 'Stop', 'S T O P', 'stooop', 'ＳＴＯＰ');
    const decoration = fc.constantFrom('', '!', '!!!', '.', ' 🛑', ' 😡😡', '\n', ' ...');

    it('classifies STOP as opt_out when it is alone with any punctuation or emoji around it', () => {
      fc.assert(
        fc.property(stopForms, decoration, decoration, (stop, before, after) => {
          assert.equal(classifyInbound(`${before.trim()}${stop}${after}`).intent, 'opt_out');
        }),
      );
    });

    it('classifies a negated STOP as other when nothing else in the text revokes', () => {
      const negation = fc.constantFrom("don't", 'do not', 'never', "can't", 'cannot', "couldn't", 'Don’t');
      const tail = fc.constantFrom('', ' smiling', ' believing', ' by', ' now!', ' the music');
      fc.assert(
        fc.property(negation, stopForms, tail, (not, stop, rest) => {
          assert.equal(classifyInbound(`${not} ${stop}${rest}`).intent, 'other');
        }),
      );
    });

    it('never throws and gives a language exactly when the intent is not other for any string', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
          const result = classifyInbound(text);
          assert.equal(result.language === undefined, result.intent === 'other');
          assert.deepEqual(classifyInbound(text), result);
        }),
        { numRuns: 500 },
      );
    });

    it('classifies an opt-out phrase as opt_out when any ordinary text surrounds it', () => {
      const phrase = fc.constantFrom(
        'remove me',
        'wrong number',
        'dejen de enviarme',
        'ne plus recevoir',
        'do not send',
      );
      const filler = fc.constantFrom('', 'hi', 'ok thanks,', 'por favor', 'merci', 'see you at 5.');
      fc.assert(
        fc.property(filler, phrase, filler, (before, revocation, after) => {
          assert.equal(classifyInbound(`${before} ${revocation} ${after}`).intent, 'opt_out');
        }),
      );
    });
  });

  describe('with account keywords', () => {
    const spanish: KeywordOverrides = { optOut: ['BAJA', 'DAR DE BAJA'], optIn: ['ALTA'], help: ['AYUDA'] };
    const accountRows: {
      text: string;
      keywords: KeywordOverrides;
      intent: InboundIntent;
      rule?: Rule;
      matched?: string;
      why?: string;
    }[] = [
      { text: 'BAJA', keywords: spanish, intent: 'opt_out', rule: 'keyword', matched: 'BAJA' },
      { text: 'baja.', keywords: spanish, intent: 'opt_out', rule: 'keyword', matched: 'BAJA' },
      { text: 'Bajaaa', keywords: spanish, intent: 'opt_out', rule: 'keyword', why: 'repeated letters ignored' },
      { text: 'B A J A', keywords: spanish, intent: 'opt_out', rule: 'keyword', why: 'letter-spacing joined' },
      { text: 'Baja por favor', keywords: spanish, intent: 'opt_out', rule: 'first_word', matched: 'BAJA' },
      { text: 'Dar de baja', keywords: spanish, intent: 'opt_out', rule: 'keyword', matched: 'DAR DE BAJA' },
      { text: 'dar de baja ya', keywords: spanish, intent: 'opt_out', rule: 'first_word', matched: 'DAR DE BAJA' },
      {
        text: 'quiero la baja',
        keywords: spanish,
        intent: 'opt_out',
        rule: 'phrase',
        why: 'changed for #11: a default Spanish revocation phrase',
      },
      { text: 'ALTA', keywords: spanish, intent: 'opt_in', rule: 'keyword', matched: 'ALTA' },
      { text: 'alta!', keywords: spanish, intent: 'opt_in', rule: 'keyword' },
      { text: 'alta por favor', keywords: spanish, intent: 'other', why: 'opt-in is whole message only' },
      { text: 'Ayuda', keywords: spanish, intent: 'help', rule: 'keyword', matched: 'AYUDA' },
      { text: 'STOP', keywords: spanish, intent: 'opt_out', matched: 'STOP', why: 'account lists extend the defaults' },
      { text: 'START', keywords: spanish, intent: 'opt_in', why: 'account lists extend the defaults' },
      { text: 'BAJA', keywords: {}, intent: 'opt_out', why: 'changed for #11: BAJA is a default Spanish keyword' },
      { text: 'ALTA', keywords: {}, intent: 'opt_in', why: 'changed for #11: ALTA is a default Spanish keyword' },
      { text: 'quiero salir', keywords: {}, intent: 'other', why: 'without an override "salir" is no keyword' },
      { text: 'salir', keywords: { optOut: ['SALIR'] }, intent: 'opt_out', why: 'account keywords have no language' },
      {
        text: 'стоп',
        keywords: { optOut: ['СТОП'] },
        intent: 'opt_out',
        rule: 'keyword',
        why: 'Cyrillic, case-folded',
      },
      { text: '退订', keywords: { optOut: ['退订'] }, intent: 'opt_out', rule: 'keyword', why: 'Chinese' },
      { text: 'توقف', keywords: { optOut: ['توقف'] }, intent: 'opt_out', rule: 'keyword', why: 'Arabic' },
      { text: 'END', keywords: { optIn: ['END'] }, intent: 'opt_out', why: 'opt-out wins over an account opt-in' },
      { text: 'baja', keywords: { optIn: ['BAJA'], optOut: ['BAJA'] }, intent: 'opt_out', why: 'opt-out wins' },
      { text: 'hello', keywords: { optOut: ['!!!', '🛑', '   '] }, intent: 'other', why: 'empty keywords ignored' },
      { text: '🛑', keywords: { optOut: ['🛑'] }, intent: 'other', why: 'emoji keywords normalise to nothing' },
    ];

    for (const row of accountRows) {
      const condition = row.why ? ` (${row.why})` : '';
      it(`classifies as ${row.intent} when the text is ${JSON.stringify(row.text)} and the account keywords are ${JSON.stringify(row.keywords)}${condition}`, () => {
        const result = classifyInbound(row.text, row.keywords);

        assert.equal(result.intent, row.intent);
        if (row.rule !== undefined) assert.equal(result.rule, row.rule);
        if (row.matched !== undefined) assert.equal(result.matched, row.matched);
      });
    }

    it('ignores malformed account keywords when a settings row holds non-strings or non-arrays', () => {
      const malformed = { optOut: [42, null, 'SALIR'], optIn: 'ENTRAR' } as unknown as KeywordOverrides;

      assert.equal(classifyInbound('salir', malformed).intent, 'opt_out');
      assert.equal(classifyInbound('entrar', malformed).intent, 'other');
      assert.equal(classifyInbound('hello', malformed).intent, 'other');
    });
  });

  describe('robustness', () => {
    it('returns other instead of throwing when the text is not a string at run time', () => {
      for (const text of [undefined, null, 42, {}, []]) {
        assert.deepEqual(classifyInbound(text as unknown as string), { intent: 'other', rule: 'none' });
      }
    });

    it('returns other when the text holds lone surrogates or control characters', () => {
      assert.equal(classifyInbound('\ud800\udfff\ud83d').intent, 'other');
      assert.equal(classifyInbound('\u0000\u0007\u001b').intent, 'other');
    });

    it('classifies a long concatenated message quickly when STOP is at the very end', () => {
      const text = `${'Thanks for the info about the house on Main Street. '.repeat(30)}STOP`;
      const started = performance.now();

      assert.equal(classifyInbound(text).intent, 'opt_out');
      assert.ok(performance.now() - started < 200);
    });

    it('returns the same answer when called twice with the same input', () => {
      for (const { text } of replies) assert.deepEqual(classifyInbound(text), classifyInbound(text));
    });

    it('imports nothing but relative modules when the workflow sandbox loads it', () => {
      const source = readFileSync(join(__dirname, '../../workflows/classify-inbound.ts'), 'utf8');
      const specifiers = [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map(
        (match) => match[1] ?? '',
      );

      for (const specifier of specifiers) assert.ok(specifier.startsWith('.'), `imports ${specifier}`);
    });

    it('imports nothing at all when the keyword tables and the grammar word lists are loaded', () => {
      for (const file of ['inbound-keywords.ts', 'reply-grammar.ts']) {
        const source = readFileSync(join(__dirname, '../../workflows', file), 'utf8');

        assert.doesNotMatch(source, /^\s*import\s|require\(|import\(/m, file);
      }
    });
  });
});
