import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  classifyInbound,
  type InboundClassification,
  type InboundIntent,
  type KeywordOverrides,
} from '../../workflows/classify-inbound';

type Rule = InboundClassification['rule'];

/** One real-world reply: what it must classify as, optionally by which rule, and why when it is borderline. */
interface Row {
  text: string;
  intent: InboundIntent;
  rule?: Rule;
  matched?: string;
  why?: string;
}

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
  {
    text: 'Stop by tomorrow',
    intent: 'opt_out',
    rule: 'first_word',
    why: 'first word is STOP; a false opt-out is safe, the lead can reply START',
  },
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
  {
    text: "Yes, I'll stop by at 5",
    intent: 'opt_out',
    rule: 'phrase',
    why: 'contains STOP; most revocations put STOP mid-sentence, a missed one is a violation',
  },
  { text: "Don't stop", intent: 'opt_out', rule: 'phrase', why: 'contains STOP; we do not parse negation' },
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
      if (row.intent === 'other') {
        assert.equal(result.rule, 'none');
        assert.equal(result.matched, undefined);
      } else {
        assert.notEqual(result.rule, 'none');
        assert.equal(typeof result.matched, 'string');
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
    assert.deepEqual([...DEFAULT_OPT_IN_KEYWORDS], ['START', 'YES', 'UNSTOP']);
    assert.deepEqual([...DEFAULT_HELP_KEYWORDS], ['HELP', 'INFO']);
  });

  it('refuses changes to the default lists when a caller tries to mutate them', () => {
    assert.throws(() => (DEFAULT_OPT_OUT_KEYWORDS as string[]).push('MAYBE'), TypeError);
    assert.throws(() => (DEFAULT_OPT_IN_KEYWORDS as string[]).push('MAYBE'), TypeError);
    assert.throws(() => (DEFAULT_HELP_KEYWORDS as string[]).push('MAYBE'), TypeError);
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
      { text: 'quiero la baja', keywords: spanish, intent: 'other', why: 'account keywords: whole or first word' },
      { text: 'ALTA', keywords: spanish, intent: 'opt_in', rule: 'keyword', matched: 'ALTA' },
      { text: 'alta!', keywords: spanish, intent: 'opt_in', rule: 'keyword' },
      { text: 'alta por favor', keywords: spanish, intent: 'other', why: 'opt-in is whole message only' },
      { text: 'Ayuda', keywords: spanish, intent: 'help', rule: 'keyword', matched: 'AYUDA' },
      { text: 'STOP', keywords: spanish, intent: 'opt_out', matched: 'STOP', why: 'account lists extend the defaults' },
      { text: 'START', keywords: spanish, intent: 'opt_in', why: 'account lists extend the defaults' },
      { text: 'BAJA', keywords: {}, intent: 'other', why: 'without the override BAJA is no keyword' },
      { text: 'ALTA', keywords: {}, intent: 'other', why: 'without the override ALTA is no keyword' },
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
      const malformed = { optOut: [42, null, 'BAJA'], optIn: 'ALTA' } as unknown as KeywordOverrides;

      assert.equal(classifyInbound('baja', malformed).intent, 'opt_out');
      assert.equal(classifyInbound('alta', malformed).intent, 'other');
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
  });
});
