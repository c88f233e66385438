import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phoneKeyOf } from '../../src/phone';
import { getConsentStateQuery, smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { startFaultSystemPerFile, type FaultSystem } from '../support/fault-system';
import { PHONE_HASH_KEY, waitFor, type TestAccount } from '../support/system';
import { inboundBody, postWebhook } from '../support/webhooks';

/** Posts an inbound webhook until it is answered 2xx, as Vonage retries 5xx; returns every status it got. */
async function deliverUntilAccepted(apiUrl: string, body: unknown): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const { status } = await postWebhook(apiUrl, '/webhooks/vonage/inbound', body);
    statuses.push(status);
    if (status >= 200 && status < 300) return statuses;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never accepted: ${statuses.join(', ')}`);
}

describe('inbound webhook redeliveries', () => {
  let system: FaultSystem;
  let account: TestAccount;
  startFaultSystemPerFile({ name: 'inbound-redelivery-races' }, (started) => ({ system, account } = started));

  it('answers 200 to every copy when Vonage delivers one START several times at once', async () => {
    const copies = 4;
    const statuses: number[] = [];

    for (let round = 0; round < 5; round += 1) {
      const body = inboundBody({ from: `+1212555017${round}`, to: account.senderNumber, text: 'START' });
      const answers = await Promise.all(
        Array.from({ length: copies }, () => postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body)),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }

    assert.deepEqual(
      statuses.filter((status) => status !== 200),
      [],
      'a redelivered message_uuid changes nothing and answers 200 (README, HTTP interface)',
    );
  });

  it('does not put a number back on Do Not Contact when a STOP is redelivered after the START that followed it', async () => {
    const phone = '+12125550181';
    const workflowId = smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY));
    const state = () => system.client.workflow.getHandle(workflowId).query(getConsentStateQuery);
    const queued = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-redelivered-stop', phone, body: 'First text' },
    });
    assert.equal(queued.body.status, 'held');
    const stop = inboundBody({ from: phone, to: account.senderNumber, text: 'STOP' });
    // The STOP's first delivery is committed and signalled, then marking it signalled fails (the connection drops):
    // the webhook answers 503 and Vonage will redeliver it.
    await system.db.knex.raw(`
      create function fail_mark_signaled() returns trigger language plpgsql as $$
      begin raise exception 'connection lost (simulated)' using errcode = '08006'; end $$;
      create trigger fail_mark_signaled before update on webhook_events for each row
        when (new.provider_message_id = '${stop.message_uuid}') execute function fail_mark_signaled();
    `);
    const firstDelivery = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', stop);
    await system.db.knex.raw('drop trigger fail_mark_signaled on webhook_events; drop function fail_mark_signaled()');
    await waitFor('the STOP reached the workflow', async () => (await state()).isOptedOut);
    await deliverUntilAccepted(system.apiUrl, inboundBody({ from: phone, to: account.senderNumber, text: 'START' }));
    await waitFor('the START re-subscribed the number', async () => !(await state()).isOptedOut);

    await deliverUntilAccepted(system.apiUrl, stop);
    await waitFor('the redelivery was handled', async () => (await state()).eventsHandled >= 4);
    const afterwards = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-redelivered-stop', phone, body: 'Second text' },
    });

    assert.equal(firstDelivery.status, 503, 'the first delivery asked Vonage to retry');
    const entry = await system.db.knex('do_not_contact').where({ account_id: account.accountId, phone }).first();
    const ledger = await system.db
      .knex('consent_events')
      .where({ account_id: account.accountId, phone })
      .orderBy('id')
      .pluck('event_type');
    assert.deepEqual(
      {
        isOnDoNotContact: entry !== undefined,
        secondText: afterwards.body.status,
        isOptedOut: (await state()).isOptedOut,
      },
      { isOnDoNotContact: false, secondText: 'sent', isOptedOut: false },
      `the START is the number's latest word; ledger: ${ledger.join(', ')}`,
    );
  });
});
