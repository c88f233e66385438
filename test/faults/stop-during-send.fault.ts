import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { SandboxFault } from '../../src/sandbox/sandbox';
import { startFaultSystemPerFile, type FaultSystem } from '../support/fault-system';
import { waitFor, type TestAccount } from '../support/system';
import { inboundBody, postWebhook } from '../support/webhooks';

const VONAGE_TIMEOUT_MS = 4_000;
const ALLOWED_AFTER_STOP = new Set(['opt_out_confirmation', 'help_reply']);

/**
 * Invariant 2 says a send that passed the gate finishes before a STOP is acknowledged: the send holds the number's
 * advisory lock through the Vonage call and the STOP webhook takes it before committing Do Not Contact. These tests
 * break the lock holder while a send is at the provider and check what reaches the number after the STOP's 200.
 */
describe('STOP while a send is at the provider', () => {
  let system: FaultSystem;
  let account: TestAccount;
  startFaultSystemPerFile(
    { name: 'stop-during-send', vonageTimeoutMs: VONAGE_TIMEOUT_MS },
    (started) => ({ system, account } = started),
  );

  /** Queues a text (opt-in out, text held), replies START, and resolves once the confirmation is at the provider. */
  async function startSendingTo(phone: string, leadId: string, providerFault: SandboxFault): Promise<void> {
    const queued = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId, phone, body: 'The house on Elm St is available.' },
    });
    assert.equal(queued.body.status, 'held');
    system.sandbox.setFault(providerFault);
    await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', {
      ...inboundBody({ from: phone, to: account.senderNumber, text: 'START' }),
    });
    await waitFor(
      'the opt-in confirmation is being sent',
      async () =>
        (await system.db
          .knex('messages')
          .where({ account_id: account.accountId, phone, kind: 'opt_in_confirmation', status: 'sending' })
          .first()) !== undefined,
      30_000,
    );
  }

  /** Posts STOP until 2xx; returns when it was answered. */
  async function stopAnsweredAt(phone: string): Promise<number> {
    const body = inboundBody({ from: phone, to: account.senderNumber, text: 'STOP' });
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { status } = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body);
      if (status === 200) return Date.now();
      await sleep(100);
    }
    throw new Error('STOP never answered 200');
  }

  async function kindsAfter(phone: string, answeredAt: number): Promise<string[]> {
    await sleep(VONAGE_TIMEOUT_MS + 4_000);
    const late = system.sandbox.sent({ to: phone }).filter((text) => Date.parse(text.receivedAt) > answeredAt);
    const kinds = await system.db
      .knex('messages')
      .whereIn(
        'id',
        late.map((text) => text.clientRef ?? ''),
      )
      .pluck('kind');
    return kinds.filter((kind: string) => !ALLOWED_AFTER_STOP.has(kind));
  }

  it('sends nothing but the confirmation after the STOP when the lock holder connection is cut mid-send', async () => {
    const phone = '+12125550191';
    await startSendingTo(phone, 'lead-lock-cut', { mode: 'slow', delayMs: 2_500 });

    // The lock's session dies while the send is at the provider; the send carries on regardless.
    const { rows } = await system.db.knex.raw(
      `select pg_terminate_backend(l.pid) as killed from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and d.datname = current_database() and l.pid <> pg_backend_pid()`,
    );
    const answeredAt = await stopAnsweredAt(phone);
    const textsAfterStop = await kindsAfter(phone, answeredAt);
    system.sandbox.setFault(null);

    assert.ok(rows.length > 0, 'a lock holder was cut');
    assert.deepEqual(textsAfterStop, [], 'invariant 2: texts that reached the number after its STOP was answered');
  });

  it('sends nothing but the confirmation after the STOP when the provider takes a send after our client timed out', async () => {
    const phone = '+12125550192';
    await startSendingTo(phone, 'lead-late-accept', { mode: 'slow', delayMs: VONAGE_TIMEOUT_MS + 2_500, remaining: 1 });

    await sleep(VONAGE_TIMEOUT_MS + 500);
    const answeredAt = await stopAnsweredAt(phone);
    const textsAfterStop = await kindsAfter(phone, answeredAt);

    assert.deepEqual(textsAfterStop, [], 'invariant 2: texts that reached the number after its STOP was answered');
  });
});
