import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { FOOTER } from '../../src/consent/footer';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

const HELD_COUNT = 8;

describe('worker crash during release', () => {
  let system: TestSystem;
  let account: TestAccount;
  let worker: ChildProcess | undefined;

  before(async () => {
    system = await startSystem({ inProcessWorker: false });
    account = await system.createAccount();
  });
  after(async () => {
    worker?.kill('SIGKILL');
    await system?.close();
  });

  it('sends every held message exactly once when the worker is SIGKILLed mid-release and restarted', async () => {
    worker = system.spawnWorker();
    const phone = system.newLeadPhone();
    const bodies = Array.from({ length: HELD_COUNT }, (_, i) => `held message ${i + 1} of ${HELD_COUNT}`);
    for (const body of bodies) {
      const queued = await system.api('POST', '/v1/messages', {
        key: account.agentKey,
        body: { leadId: 'lead-crash', phone, body },
      });
      assert.equal(queued.body.status, 'held', JSON.stringify(queued.body));
    }
    // Each send now takes 700 ms at the "provider", so the kill lands while a send is in flight.
    system.sandbox.setFault({ mode: 'slow', delayMs: 700 });
    const isLeadText = (text: string) => text.startsWith('held message');

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor(
      'two released texts',
      () => system.sandbox.sent({ to: phone }).filter((m) => isLeadText(m.text)).length >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 350));
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker!.once('exit', resolve));
    const sentAtKill = system.sandbox.sent({ to: phone }).filter((m) => isLeadText(m.text)).length;
    system.sandbox.setFault(null);
    worker = system.spawnWorker();

    const released = await waitFor(
      'every held message released',
      () => {
        const texts = system.sandbox.sent({ to: phone }).filter((m) => isLeadText(m.text));
        return texts.length >= HELD_COUNT ? texts : undefined;
      },
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));

    assert.ok(sentAtKill < HELD_COUNT, 'the worker died before the release finished');
    const finalTexts = system.sandbox.sent({ to: phone }).filter((m) => isLeadText(m.text));
    assert.equal(finalTexts.length, HELD_COUNT, 'no duplicates');
    assert.deepEqual(
      released.map((m) => m.text),
      bodies.map((b) => `${b}\n${FOOTER}`),
      'in order, each with the footer once',
    );
    const rows = await system.db
      .knex('messages')
      .where({ account_id: account.accountId, lead_id: 'lead-crash', kind: 'lead' })
      .select('status', 'provider_message_id');
    assert.equal(rows.length, HELD_COUNT);
    await waitFor('every row sent or delivered with a provider id', async () => {
      const current = await system.db
        .knex('messages')
        .where({ account_id: account.accountId, lead_id: 'lead-crash', kind: 'lead' })
        .whereIn('status', ['sent', 'delivered'])
        .whereNotNull('provider_message_id');
      return current.length === HELD_COUNT;
    });
  });
});
