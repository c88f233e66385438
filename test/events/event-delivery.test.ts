import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { crmEventSchema } from '../../src/events/event-catalogue';
import { EventEndpointsRepository } from '../../src/db/event-endpoints-repository';
import { EVENT_RETENTION_DAYS } from '../../src/events/event-relay';
import { phoneKeyOf } from '../../src/phone';
import { eventDeliveryWorkflowId } from '../../workflows/event-delivery.contract';
import { startEventReceiver, type EventReceiver } from '../support/event-receiver';
import { writeHistoryFile } from '../support/temporal-cli';
import { apiOk, PHONE_HASH_KEY, waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

/*
 * Pushed events end to end (docs/events.md): a real API, worker, Temporal dev server and Postgres, and a receiver
 * that verifies every delivery with the published `standardwebhooks` package.
 */

const webhookIdsOf = async (system: TestSystem, accountId: string, phoneKey?: string): Promise<string[]> =>
  (
    await system.db
      .knex('crm_events')
      .where({ account_id: accountId, ...(phoneKey ? { phone_key: phoneKey } : {}) })
      .orderBy('id')
      .select('webhook_id')
  ).map((row: { webhook_id: string }) => row.webhook_id);

describe('events pushed to a CRM endpoint', () => {
  let system: TestSystem;
  let account: TestAccount;
  let receiver: EventReceiver;
  startSystemPerFile((started) => ({ system, account } = started));
  before(async () => {
    receiver = await startEventReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const register = async (key: string, url: string) =>
    apiOk(system, 'POST', '/v1/event-endpoints', key, { url, description: 'CRM under test' });

  it('delivers opt-in → START → delivered → STOP as verified events in order, after the endpoint first answered 500', async () => {
    const endpoint = await register(account.adminKey, receiver.url);
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    receiver.secrets = [endpoint.secret];
    receiver.answer = () => 500;
    const phone = system.newLeadPhone();

    await apiOk(system, 'POST', '/v1/messages', account.agentKey, {
      leadId: 'lead-ev-1',
      phone,
      body: 'Elm St is open',
    });
    const failing = await waitFor(
      'the endpoint marked failing',
      async () => {
        const view = await apiOk(system, 'GET', `/v1/event-endpoints/${endpoint.id}`, account.adminKey);
        return view.health === 'failing' ? view : undefined;
      },
      60_000,
    );
    assert.ok(failing.consecutiveFailures >= 3);
    const whileDown = await apiOk(system, 'GET', `/v1/event-endpoints/${endpoint.id}/deliveries`, account.adminKey);
    assert.ok(whileDown.deliveries.some((d: { lastStatusCode: number }) => d.lastStatusCode === 500));
    receiver.answer = () => 204;

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('the released text delivered', async () => {
      const history = await apiOk(system, 'GET', '/v1/leads/lead-ev-1/messages', account.agentKey);
      return history.messages.some(
        (m: { kind: string; status: string }) => m.kind === 'lead' && m.status === 'delivered',
      );
    });
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitFor('the lead rejected', async () => {
      const consent = await apiOk(system, 'GET', '/v1/leads/lead-ev-1/consent', account.agentKey);
      return consent.status === 'rejected';
    });

    const expected = await waitFor(
      'every event acknowledged',
      async () => {
        const ids = await webhookIdsOf(system, account.accountId);
        const acknowledged = new Set(receiver.acknowledged().map((a) => a.webhookId));
        return ids.length > 0 && ids.every((id) => acknowledged.has(id)) ? ids : undefined;
      },
      90_000,
    );
    const acknowledged = receiver.acknowledged();
    // In order, and once each: nothing was lost on the way, so nothing is delivered twice.
    assert.deepEqual(
      acknowledged.map((a) => a.webhookId),
      expected,
    );
    for (const attempt of receiver.attempts) assert.equal(attempt.verifiedWith, 0, 'every delivery verifies');
    const refusedIds = new Set(receiver.attempts.filter((a) => a.answered === 500).map((a) => a.webhookId));
    assert.ok(refusedIds.size > 0);
    for (const id of refusedIds) assert.ok(expected.includes(id), 'a retry carries the same webhook-id');

    const events = acknowledged.map((a) => crmEventSchema.parse(a.body));
    const consent = events.flatMap((e) => (e.type === 'lead.consent.changed' ? [e.data] : []));
    assert.deepEqual(
      consent.map((c) => [c.leadId, c.previousStatus, c.status]),
      [
        ['lead-ev-1', 'not_sent', 'sent'],
        ['lead-ev-1', 'sent', 'accepted'],
        ['lead-ev-1', 'accepted', 'rejected'],
      ],
    );
    assert.equal(consent[2]!.source, 'sms');
    assert.equal(consent[0]!.phone, phone);
    const leadText = events.flatMap((e) =>
      e.type === 'message.status.changed' && e.data.kind === 'lead' ? [e.data.status] : [],
    );
    assert.deepEqual(leadText, ['held', 'sent', 'delivered']);
    const optIn = events.flatMap((e) =>
      e.type === 'message.status.changed' && e.data.kind === 'opt_in' ? [e.data.status] : [],
    );
    assert.deepEqual(optIn.slice(0, 2), ['sent', 'delivered']);
    const list = events.flatMap((e) => (e.type === 'do_not_contact.changed' ? [e.data] : []));
    assert.deepEqual(list, [{ phone, change: 'added', source: 'sms' }]);

    const healthy = await apiOk(system, 'GET', `/v1/event-endpoints/${endpoint.id}`, account.adminKey);
    assert.equal(healthy.health, 'healthy');
    assert.equal(healthy.failingSince, null);
    const label = process.env.RECORD_EVENT_HISTORY;
    if (label) {
      const workflowId = eventDeliveryWorkflowId(endpoint.id, phoneKeyOf(phone, PHONE_HASH_KEY));
      console.log(`wrote ${await writeHistoryFile(`event-delivery-retried.${label}`, system.env.address, workflowId)}`);
    }
    await apiOk(system, 'DELETE', `/v1/event-endpoints/${endpoint.id}`, account.adminKey);
  });

  it('gives an account only its own events, signs with both secrets during a rotation, and replays by webhook-id', async () => {
    const other = await system.createAccount();
    const otherReceiver = await startEventReceiver();
    try {
      const endpoint = await register(other.adminKey, otherReceiver.url);
      otherReceiver.secrets = [endpoint.secret];
      const before = receiver.attempts.length;
      const phone = system.newLeadPhone();
      await apiOk(system, 'POST', '/v1/messages', other.agentKey, { leadId: 'lead-ev-2', phone, body: 'hello' });
      const first = await waitFor('the other account’s events', async () => {
        const ids = await webhookIdsOf(system, other.accountId);
        const got = new Set(otherReceiver.acknowledged().map((a) => a.webhookId));
        return ids.length >= 3 && ids.every((id) => got.has(id)) ? ids : undefined;
      });
      assert.equal(receiver.attempts.length, before, 'the first account’s endpoint received nothing of the other');
      const mine = new Set(await webhookIdsOf(system, account.accountId));
      assert.ok(otherReceiver.attempts.every((a) => !mine.has(a.webhookId)));

      const rotated = await apiOk(system, 'POST', `/v1/event-endpoints/${endpoint.id}/rotate-secret`, other.adminKey);
      assert.notEqual(rotated.secret, endpoint.secret);
      otherReceiver.secrets = [rotated.secret];
      await apiOk(system, 'POST', '/v1/messages', other.agentKey, {
        leadId: 'lead-ev-3',
        phone: system.newLeadPhone(),
        body: 'hi',
      });
      const signedTwice = await waitFor('a delivery after the rotation', () =>
        otherReceiver.attempts.find((a) => !first.includes(a.webhookId)),
      );
      assert.equal(signedTwice.verifiedWith, 0);
      assert.equal(signedTwice.signature.split(' ').length, 2);
      // The old secret still verifies it, alone: a receiver that has not switched yet loses nothing.
      const headers = {
        'webhook-id': signedTwice.webhookId,
        'webhook-timestamp': signedTwice.timestamp,
        'webhook-signature': signedTwice.signature,
      };
      assert.doesNotThrow(() => new Webhook(endpoint.secret).verify(JSON.stringify(signedTwice.body), headers));

      const replayed = await apiOk(system, 'POST', `/v1/event-endpoints/${endpoint.id}/replay`, other.adminKey, {
        webhookIds: [first[0]],
      });
      assert.equal(replayed.replayed, 1);
      await waitFor(
        'the replayed event',
        () => otherReceiver.acknowledged().filter((a) => a.webhookId === first[0]).length === 2,
      );
      const deliveries = await apiOk(system, 'GET', `/v1/event-endpoints/${endpoint.id}/deliveries`, other.adminKey);
      const replayedRow = deliveries.deliveries.find((d: { webhookId: string }) => d.webhookId === first[0]);
      assert.equal(replayedRow.status, 'delivered');
      assert.equal(replayedRow.attempts, 2);
    } finally {
      await otherReceiver.close();
    }
  });

  it('refuses what is not an endpoint: a bad URL, an agent key, an unknown or malformed id', async () => {
    const bad = await system.api('POST', '/v1/event-endpoints', {
      key: account.adminKey,
      body: { url: 'ftp://crm.example.com/hooks' },
    });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.details), /body\.url/);
    const agent = await system.api('GET', '/v1/event-endpoints', { key: account.agentKey });
    assert.equal(agent.status, 403);
    const unknown = await system.api('GET', '/v1/event-endpoints/3f0c1b9e-8a2d-4c6e-9f7a-1b2c3d4e5f60', {
      key: account.adminKey,
    });
    assert.equal(unknown.status, 404);
    const malformed = await system.api('DELETE', '/v1/event-endpoints/not-a-uuid', { key: account.adminKey });
    assert.equal(malformed.status, 400);
  });

  it('stops pushing to a deleted endpoint, and keeps no events while an account has none', async () => {
    const lonely = await system.createAccount();
    await apiOk(system, 'POST', '/v1/messages', lonely.agentKey, {
      leadId: 'lead-ev-4',
      phone: system.newLeadPhone(),
      body: 'hi',
    });
    assert.deepEqual(await webhookIdsOf(system, lonely.accountId), []);
  });

  it('forgets events past their retention, except one whose delivery is still pending', async () => {
    const ids = await webhookIdsOf(system, account.accountId);
    assert.ok(ids.length >= 2, 'the first test left delivered events');
    const knex = system.db.knex;
    await knex('crm_events')
      .where({ account_id: account.accountId })
      .update({ occurred_at: knex.raw("now() - interval '31 days'") });
    const kept = await knex('crm_events').where({ webhook_id: ids[0] }).first('id');
    await knex('event_deliveries').where({ event_id: kept.id }).update({ status: 'pending' });

    await new EventEndpointsRepository(knex).deleteEventsOlderThan(EVENT_RETENTION_DAYS);

    assert.deepEqual(await webhookIdsOf(system, account.accountId), [ids[0]]);
  });
});
