import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { footprintOf, startSystemPerFile } from '../support/system-per-file';
import { grpcFailure } from '../support/grpc-failure';
import { inboundBody, postWebhook } from '../support/webhooks';

describe('inbound webhook', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const footprint = (phone: string) => footprintOf(system, account.accountId, phone);
  const queue = (leadId: string, phone: string, body: string) =>
    system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body } });

  const refusals: { name: string; expected: number; options: Parameters<typeof postWebhook>[3]; tamper?: boolean }[] = [
    { name: 'signed with another secret', expected: 401, options: { secret: 'not-the-secret-at-all-0123456' } },
    { name: 'stale (iat 10 minutes old)', expected: 401, options: { issuedAt: new Date(Date.now() - 10 * 60_000) } },
    { name: 'body changed after signing', expected: 401, options: {}, tamper: true },
    { name: 'unsigned', expected: 503, options: { unsigned: true } },
    {
      name: 'signed with alg none',
      expected: 401,
      options: {
        token: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
          JSON.stringify({ iat: Math.floor(Date.now() / 1000) }),
        ).toString('base64url')}.`,
      },
    },
  ];

  for (const refusal of refusals) {
    it(`refuses a STOP with ${refusal.expected} and changes nothing when it is ${refusal.name}`, async () => {
      const phone = system.newLeadPhone();
      const body = inboundBody({ from: phone, to: account.senderNumber, text: 'STOP' });
      const options = refusal.tamper ? { sendRaw: JSON.stringify({ ...body, text: 'START' }) } : refusal.options;

      const response = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body, options);

      assert.equal(response.status, refusal.expected, JSON.stringify(response.body));
      assert.deepEqual(await footprint(phone), { messages: 0, dnc: 0, ledger: 0 });
      assert.equal(system.sandbox.sent({ to: phone }).length, 0);
    });
  }

  it('answers 400 and changes nothing when the signed body is malformed', async () => {
    const phone = system.newLeadPhone();

    const notJson = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', '{"channel":"sms",');
    const missingFields = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', {
      channel: 'sms',
      from: phone.slice(1),
      text: 'STOP',
    });

    assert.equal(notJson.status, 400);
    assert.equal(missingFields.status, 400);
    assert.match(JSON.stringify(missingFields.body), /message_uuid/);
    assert.deepEqual(await footprint(phone), { messages: 0, dnc: 0, ledger: 0 });
  });

  it('has one effect when the same STOP message_uuid is delivered three times', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-dup-1', phone, 'hello');
    const body = inboundBody({ from: phone, to: account.senderNumber, text: 'STOP' });

    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body));

    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    await waitFor('the opt-out confirmation', () =>
      system.sandbox.sent({ to: phone }).some((m) => /unsubscribed/.test(m.text)),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const confirmations = system.sandbox.sent({ to: phone }).filter((m) => /unsubscribed/.test(m.text));
    assert.equal(confirmations.length, 1);
    const inbound = await system.db.knex('messages').where({ provider_message_id: body.message_uuid });
    assert.equal(inbound.length, 1);
    const optedOut = await system.db
      .knex('consent_events')
      .where({ account_id: account.accountId, phone, event_type: 'opted_out' })
      .whereNull('lead_id');
    assert.equal(optedOut.length, 1);
    const dncAdds = await system.db
      .knex('consent_events')
      .where({ account_id: account.accountId, phone, event_type: 'do_not_contact_added' });
    assert.equal(dncAdds.length, 1);
  });

  it('sends one confirmation for two different STOPs from the same number', async () => {
    const phone = system.newLeadPhone();

    const first = await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    const second = await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'unsubscribe' });

    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await waitFor('the opt-out confirmation', () => system.sandbox.sent({ to: phone }).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(system.sandbox.sent({ to: phone }).length, 1);
  });

  it('answers 200 and ignores a text to a number no account owns', async () => {
    const phone = system.newLeadPhone();

    const response = await postWebhook(
      system.apiUrl,
      '/webhooks/vonage/inbound',
      inboundBody({ from: phone, to: '+12025550000', text: 'STOP' }),
    );

    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ignored');
  });

  it('answers 503 so Vonage retries when Temporal is unreachable, and nothing is lost on the retry', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-503', phone, 'hi');
    const body = inboundBody({ from: phone, to: account.senderNumber, text: 'START' });
    const realSignalWithStart = system.client.workflow.signalWithStart.bind(system.client.workflow);
    system.client.workflow.signalWithStart = async () => {
      throw grpcFailure(14, 'UNAVAILABLE: connection refused');
    };

    let first;
    try {
      first = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body);
    } finally {
      system.client.workflow.signalWithStart = realSignalWithStart;
    }
    const retry = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body);

    assert.equal(first.status, 503);
    assert.equal(retry.status, 200);
    const consent = await waitFor('the lead accepted', async () => {
      const c = await system.api('GET', '/v1/leads/lead-503/consent', { key: account.agentKey });
      return c.body.status === 'accepted' ? c : undefined;
    });
    assert.equal(consent.body.status, 'accepted');
  });

  it('still opts the number out when the STOP carries a NUL character', async () => {
    const phone = system.newLeadPhone();

    const response = await postWebhook(
      system.apiUrl,
      '/webhooks/vonage/inbound',
      inboundBody({ from: phone, to: account.senderNumber, text: 'STOP\u0000' }),
    );

    assert.equal(response.status, 200);
    assert.equal(response.body.intent, 'opt_out');
    const dnc = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phone)}`, {
      key: account.agentKey,
    });
    assert.equal(dnc.body.isOnDoNotContact, true);
  });
});
