import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FOOTER } from '../../src/consent/footer';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

// The account texts that answer a reply, per language, and the unclear-reply path, through the real stack:
// the API, a signed webhook from the sandbox, the workflow, Postgres and the Vonage SDK (docs/keywords.md).
const SPANISH_OPT_OUT = 'Acme Realty: se ha dado de baja y no recibirá más mensajes. Responda START para volver.';
const SPANISH_HELP =
  'Acme Realty: para ayuda llame al 555-0100. Pueden aplicarse tarifas de mensajes y datos. Responda ALTO para salir.';

describe('answers in the lead language, and unclear replies', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const setText = (name: string, language: string, template: string) =>
    system.api('PUT', `/v1/settings/${name}?language=${language}`, { key: account.adminKey, body: { template } });
  const queue = (leadId: string, phone: string, body: string) =>
    system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body } });
  const reply = (phone: string, text: string) => system.sandbox.reply({ from: phone, to: account.senderNumber, text });
  const sentTo = (phone: string) => system.sandbox.sent({ to: phone });
  const ledger = async (phone: string): Promise<{ eventType: string; rawText: string | null }[]> => {
    const response = await system.api('GET', `/v1/consent-events/export?phone=${encodeURIComponent(phone)}`, {
      key: account.agentKey,
    });
    return String(response.body)
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { eventType: string; rawText: string | null });
  };

  it('stores a Spanish text, reads it back, and says when a language falls back to the main text', async () => {
    const put = await setText('opt-out-confirmation', 'es', SPANISH_OPT_OUT);
    const spanish = await system.api('GET', '/v1/settings/opt-out-confirmation?language=es', {
      key: account.agentKey,
    });
    const french = await system.api('GET', '/v1/settings/opt-out-confirmation?language=fr', {
      key: account.agentKey,
    });

    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(spanish.body.template, SPANISH_OPT_OUT);
    assert.equal(spanish.body.isFallback, false);
    assert.equal(french.body.isFallback, true);
    assert.match(french.body.template, /unsubscribed/);
  });

  it('refuses with 400 a language it does not know, the opt-in template in another language, and a bad text', async () => {
    const unknownLanguage = await setText('help-reply', 'de', SPANISH_HELP);
    const optInTemplate = await setText('opt-in-template', 'es', 'Responda START. Pueden aplicarse tarifas.');
    const helpWithoutOptOut = await setText(
      'help-reply',
      'es',
      'Acme Realty: para ayuda llame al 555-0100. Pueden aplicarse tarifas de mensajes y datos.',
    );
    const removeMain = await system.api('DELETE', '/v1/settings/help-reply', { key: account.adminKey });
    const agentWrites = await system.api('PUT', '/v1/settings/help-reply?language=es', {
      key: account.agentKey,
      body: { template: SPANISH_HELP },
    });

    assert.equal(unknownLanguage.status, 400);
    assert.match(unknownLanguage.body.message, /language must be one of en, es, fr/);
    assert.equal(optInTemplate.status, 400);
    assert.match(optInTemplate.body.message, /no other languages/);
    assert.equal(helpWithoutOptOut.status, 400);
    assert.match(helpWithoutOptOut.body.message, /STOP/);
    assert.equal(removeMain.status, 400);
    assert.equal(agentWrites.status, 403);
  });

  it('confirms a Spanish STOP in Spanish, and a French one in English when the account has no French text', async () => {
    await setText('opt-out-confirmation', 'es', SPANISH_OPT_OUT);
    const spanishPhone = system.newLeadPhone();
    const frenchPhone = system.newLeadPhone();

    await reply(spanishPhone, 'ALTO');
    await reply(frenchPhone, 'ARRET');

    const spanish = await waitFor('Spanish confirmation', () => sentTo(spanishPhone)[0]);
    const french = await waitFor('French STOP confirmation', () => sentTo(frenchPhone)[0]);
    assert.equal(spanish.text, `${SPANISH_OPT_OUT}\n${FOOTER}`);
    assert.match(french.text, /you are unsubscribed/);
    const onList = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(spanishPhone)}`, {
      key: account.agentKey,
    });
    assert.equal(onList.body.isOnDoNotContact, true);
  });

  it('answers HELP in Spanish once the account has a Spanish HELP reply, and removes it again', async () => {
    const phone = system.newLeadPhone();
    await setText('help-reply', 'es', SPANISH_HELP);

    await reply(phone, 'AYUDA');
    const spanish = await waitFor('Spanish HELP', () => sentTo(phone)[0]);
    const removed = await system.api('DELETE', '/v1/settings/help-reply?language=es', { key: account.adminKey });
    await reply(phone, 'AYUDA');
    const english = await waitFor('English HELP', () => sentTo(phone)[1]);

    assert.equal(spanish.text, `${SPANISH_HELP}\n${FOOTER}`);
    assert.equal(removed.status, 204);
    assert.match(english.text, /for help/);
  });

  it('pauses an accepted lead texts on an unclear reply, asks once, and releases them in order on START', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-unclear', phone, 'first, held for START');
    await reply(phone, 'START');
    await waitFor('released', () => sentTo(phone).some((m) => m.text.startsWith('first, held for START')));

    await reply(phone, 'We need to stop the project');
    const clarification = await waitFor('clarification', () =>
      sentTo(phone).find((m) => /not sure what you meant/.test(m.text)),
    );
    const held = await queue('lead-unclear', phone, 'second, held by the pause');
    await reply(phone, 'We need to stop the project');
    const sentWhilePaused = sentTo(phone).length;

    assert.ok(clarification.text.endsWith(FOOTER));
    assert.equal(held.status, 202);
    assert.equal(held.body.status, 'held');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(sentTo(phone).length, sentWhilePaused, 'nothing more went out while paused, no second question');

    await reply(phone, 'START');
    await waitFor('released after the pause', () =>
      sentTo(phone).some((m) => m.text.startsWith('second, held by the pause')),
    );
    const events = await ledger(phone);
    const paused = events.find((event) => event.eventType === 'sends_paused');
    assert.equal(paused?.rawText, 'We need to stop the project');
    assert.ok(events.some((event) => event.eventType === 'sends_resumed'));
    const onList = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phone)}`, {
      key: account.agentKey,
    });
    assert.equal(onList.body.isOnDoNotContact, false, 'a pause is not an opt-out');
  });
});
