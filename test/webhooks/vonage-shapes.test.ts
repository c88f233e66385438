import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { toVonageNumber } from '../../src/phone';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';
import { postWebhook } from '../support/webhooks';
import { vonageFixtures, withEnds } from '../support/vonage-fixtures';

const INBOUND = '/webhooks/vonage/inbound';
const STATUS = '/webhooks/vonage/status';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every fixture is a body Vonage published. Its `to` (a UK drama number, an RCS agent, a Viber service id) is
// replaced by the account's sender number and its `from` by a fresh lead phone, so that each one reaches an account;
// Messenger bodies keep their ids, since a Messenger user has no phone number at all.
describe('vonage webhook shapes', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const queue = (leadId: string, phone: string, body: string) =>
    system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body } });
  const sentTo = (phone: string) => system.sandbox.sent({ to: phone });

  for (const { name, body } of vonageFixtures('inbound')) {
    const isMessenger = body.channel === 'messenger' || JSON.stringify(body.from).includes('"messenger"');
    it(`answers 2xx and ${isMessenger ? 'changes nothing' : 'stores the message'} when ${name} arrives`, async () => {
      const phone = system.newLeadPhone();
      const messageUuid = randomUUID();
      const ends = isMessenger ? {} : { to: toVonageNumber(account.senderNumber), from: toVonageNumber(phone) };

      const response = await postWebhook(system.apiUrl, INBOUND, withEnds(body, ends, messageUuid));

      assert.equal(response.status, 200, JSON.stringify(response.body));
      const stored = await system.db.knex('messages').where({ provider_message_id: messageUuid });
      if (isMessenger) {
        assert.deepEqual(response.body, { status: 'ignored', reason: 'not_a_phone_channel' });
        assert.equal(stored.length, 0);
      } else {
        assert.equal(response.body.status, 'accepted');
        assert.equal(stored.length, 1);
        assert.equal(stored[0].status, 'received');
        assert.equal(stored[0].phone, phone);
        assert.equal(stored[0].account_id, account.accountId);
      }
    });
  }

  for (const { name, body } of vonageFixtures('status')) {
    it(`applies ${name} to the text it reports on`, async () => {
      const phone = system.newLeadPhone();
      await queue(`lead-${name}`, phone, 'status shapes');
      const sent = await waitFor('the opt-in sent', () =>
        system.db
          .knex('messages')
          .where({ account_id: account.accountId, phone, direction: 'outbound' })
          .whereNotNull('provider_message_id')
          .first<{ id: string; provider_message_id: string } | undefined>('id', 'provider_message_id'),
      );
      const ends = { to: toVonageNumber(phone), from: toVonageNumber(account.senderNumber) };

      const response = await postWebhook(system.apiUrl, STATUS, withEnds(body, ends, sent.provider_message_id));

      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body, { status: 'applied' });
      const row = await system.db.knex('messages').where({ id: sent.id }).first('status');
      const expected = body.status === 'submitted' ? ['sent', 'delivered'] : ['delivered'];
      assert.ok(expected.includes(row.status), `${body.status} left the text ${row.status}`);
    });
  }

  const stops: { name: string; fixture: string; asStop: (body: Record<string, unknown>) => Record<string, unknown> }[] =
    [
      { name: 'an MMS', fixture: 'v1-mms-text', asStop: (body) => ({ ...body, text: 'STOP' }) },
      {
        name: 'an MMS picture caption',
        fixture: 'dotnet-mms-image',
        asStop: (body) => ({ ...body, image: { ...(body.image as object), caption: 'STOP' } }),
      },
      {
        name: 'the v0.1 format',
        fixture: 'v0.1-sms-text',
        asStop: (body) => ({
          ...body,
          message: { content: { type: 'text', text: 'STOP' }, sms: { num_messages: '1' } },
        }),
      },
    ];

  for (const stop of stops) {
    it(`opts the number out and cancels its held text when STOP arrives as ${stop.name}`, async () => {
      const phone = system.newLeadPhone();
      const leadId = `lead-stop-${stop.fixture}`;
      const queued = await queue(leadId, phone, 'held until START');
      assert.equal(queued.body.status, 'held');
      const published = vonageFixtures('inbound').find((fixture) => fixture.name === stop.fixture)!.body;
      const ends = { to: toVonageNumber(account.senderNumber), from: toVonageNumber(phone) };

      const response = await postWebhook(system.apiUrl, INBOUND, withEnds(stop.asStop(published), ends, randomUUID()));

      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body, { status: 'accepted', intent: 'opt_out' });
      const dnc = await system.db.knex('do_not_contact').where({ account_id: account.accountId, phone });
      assert.equal(dnc.length, 1);
      await waitFor('the opt-out confirmation', () => sentTo(phone).some((m) => /unsubscribed/.test(m.text)));
      const held = await waitFor('the held text cancelled', async () => {
        const history = await system.api('GET', `/v1/leads/${leadId}/messages`, { key: account.agentKey });
        const text = history.body.messages.find((m: { body: string }) => m.body.startsWith('held until START'));
        return text?.status === 'cancelled' ? text : undefined;
      });
      assert.equal(held.status, 'cancelled');
      await pause(500);
      assert.equal(sentTo(phone).filter((m) => /unsubscribed/.test(m.text)).length, 1);
      assert.ok(!sentTo(phone).some((m) => m.text.startsWith('held until START')), 'a cancelled text never goes out');
    });
  }
});
