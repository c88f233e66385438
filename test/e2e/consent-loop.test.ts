import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FOOTER } from '../../src/consent/footer';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

const countFooter = (text: string) => text.split(FOOTER).length - 1;

describe('consent loop, end to end', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const queue = (leadId: string, phone: string, body: string, key = account.agentKey) =>
    system.api('POST', '/v1/messages', { key, body: { leadId, phone, body } });

  it('sends the opt-in first and holds the message when the lead is new', async () => {
    const phone = system.newLeadPhone();

    const response = await queue('lead-new-1', phone, 'Hi Dana, the house on Elm St is available.');

    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.equal(response.body.status, 'held');
    assert.equal(response.body.optIn, 'sent');
    const sent = system.sandbox.sent({ to: phone });
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /Reply START/);
    assert.ok(sent[0]!.text.endsWith(FOOTER));
    assert.equal(countFooter(sent[0]!.text), 1);
    assert.doesNotMatch(sent[0]!.text, /Elm St/);
  });

  it('releases held messages in order with the footer exactly once when the number replies START', async () => {
    const phone = system.newLeadPhone();
    const bodies = ['first text', 'second text', 'third text'];
    for (const body of bodies) assert.equal((await queue('lead-start-1', phone, body)).body.status, 'held');

    const reply = await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });

    assert.equal(reply.status, 200);
    const leadTexts = await waitFor('three released texts', () => {
      const texts = system.sandbox.sent({ to: phone }).filter((m) => /text\n/.test(m.text));
      return texts.length === 3 ? texts : undefined;
    });
    assert.deepEqual(
      leadTexts.map((m) => m.text),
      bodies.map((b) => `${b}\n${FOOTER}`),
    );
    for (const m of system.sandbox.sent({ to: phone })) assert.equal(countFooter(m.text), 1, m.text);
    const history = await system.api('GET', '/v1/leads/lead-start-1/messages', { key: account.agentKey });
    assert.equal(history.status, 200);
    assert.equal(history.body.optIn, 'accepted');
    const outbound = history.body.messages.filter((m: { kind: string }) => m.kind === 'lead');
    await waitFor('statuses delivered', async () => {
      const h = await system.api('GET', '/v1/leads/lead-start-1/messages', { key: account.agentKey });
      return (
        h.body.messages.filter((m: { kind: string; status: string }) => m.kind === 'lead' && m.status === 'delivered')
          .length === 3
      );
    });
    assert.equal(outbound.length, 3);
  });

  it('puts the number on Do Not Contact, confirms once and blocks later sends when the number replies STOP', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-stop-1', phone, 'held before stop');
    const before = system.sandbox.sent({ to: phone }).length;

    const reply = await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });

    assert.equal(reply.status, 200);
    const dnc = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phone)}`, {
      key: account.agentKey,
    });
    assert.equal(dnc.body.isOnDoNotContact, true, 'Do Not Contact committed before the webhook answered');
    const confirmations = await waitFor('one opt-out confirmation', () => {
      const after = system.sandbox.sent({ to: phone }).slice(before);
      return after.length === 1 ? after : undefined;
    });
    assert.match(confirmations[0]!.text, /unsubscribed/);
    const blocked = await queue('lead-stop-1', phone, 'after stop');
    assert.equal(blocked.body.status, 'blocked');
    assert.equal(blocked.body.optIn, 'rejected');
    const consent = await system.api('GET', '/v1/leads/lead-stop-1/consent', { key: account.agentKey });
    assert.equal(consent.body.status, 'rejected');
    assert.ok(
      consent.body.events.some(
        (e: { eventType: string; rawText: string }) => e.eventType === 'opted_out' && e.rawText === 'STOP',
      ),
    );
    const history = await system.api('GET', '/v1/leads/lead-stop-1/messages', { key: account.agentKey });
    const held = history.body.messages.find((m: { body: string }) => m.body.startsWith('held before stop'));
    assert.equal(held.status, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(system.sandbox.sent({ to: phone }).length, before + 1, 'nothing but the confirmation after STOP');
  });
});
