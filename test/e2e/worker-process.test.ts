import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import { FOOTER } from '../../src/consent/footer';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

/**
 * The worker as its own process (src/worker.ts), stopped in the middle of releasing a number's held texts: killed
 * outright, or asked to stop. Either way the next worker must send the rest exactly once, in order.
 */
describe('worker process stopped during a release', () => {
  let system: TestSystem;
  let account: TestAccount;
  let worker: ChildProcess | undefined;

  before(async () => {
    system = await startSystem({ inProcessWorker: false });
    account = await system.createAccount();
  });
  afterEach(async () => {
    // Each test counts what its own workers sent; a worker left over from the previous test would send too.
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
    worker = undefined;
  });
  after(async () => {
    await system?.close();
  });

  /** Queues `bodies` for a new lead on a new number; each is held behind the opt-in. */
  async function queueHeld(leadId: string, bodies: string[]): Promise<string> {
    const phone = system.newLeadPhone();
    for (const body of bodies) {
      const queued = await system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body } });
      assert.equal(queued.body.status, 'held', JSON.stringify(queued.body));
    }
    return phone;
  }

  /**
   * Starts a worker process, holds `bodies` for a new lead, then makes every send take `sendDelayMs` at the
   * provider; `leadTexts` lists what the number has received of the texts starting with `prefix`.
   */
  async function heldBehindSlowProvider(leadId: string, bodies: string[], prefix: string, sendDelayMs: number) {
    worker = system.spawnWorker();
    const phone = await queueHeld(leadId, bodies);
    system.sandbox.setFault({ mode: 'slow', delayMs: sendDelayMs });
    const leadTexts = () => system.sandbox.sent({ to: phone }).filter((m) => m.text.startsWith(prefix));
    return { phone, leadTexts };
  }

  it('sends every held message exactly once when the worker is SIGKILLed mid-release and restarted', async () => {
    const heldCount = 8;
    const bodies = Array.from({ length: heldCount }, (_, i) => `held message ${i + 1} of ${heldCount}`);
    // Each send takes 700 ms at the "provider", so the kill lands while a send is in flight.
    const { phone, leadTexts } = await heldBehindSlowProvider('lead-crash', bodies, 'held message', 700);

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('two released texts', () => leadTexts().length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const killed = new Promise((resolve) => worker!.once('exit', resolve));
    worker!.kill('SIGKILL');
    await killed;
    const sentAtKill = leadTexts().length;
    system.sandbox.setFault(null);
    worker = system.spawnWorker();
    const released = await waitFor(
      'every held message released',
      () => {
        const texts = leadTexts();
        return texts.length >= heldCount ? texts : undefined;
      },
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));

    assert.ok(sentAtKill < heldCount, 'the worker died before the release finished');
    assert.equal(leadTexts().length, heldCount, 'no duplicates');
    assert.deepEqual(
      released.map((m) => m.text),
      bodies.map((b) => `${b}\n${FOOTER}`),
      'in order, each with the footer once',
    );
    await waitFor('every row sent or delivered with a provider id', async () => {
      const rows = await system.db
        .knex('messages')
        .where({ account_id: account.accountId, lead_id: 'lead-crash', kind: 'lead' })
        .whereIn('status', ['sent', 'delivered'])
        .whereNotNull('provider_message_id');
      return rows.length === heldCount;
    });
  });

  it('finishes the in-flight send on SIGTERM, exits cleanly, and a new worker sends the rest exactly once', async () => {
    const heldCount = 6;
    const bodies = Array.from({ length: heldCount }, (_, i) => `drain message ${i + 1}`);
    const { phone, leadTexts } = await heldBehindSlowProvider('lead-drain', bodies, 'drain message', 800);

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('first released text', () => leadTexts().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
    worker!.kill('SIGTERM');
    const exitCode = await exited;
    const sentByFirstWorker = leadTexts().length;
    system.sandbox.setFault(null);
    const unfinished = await system.db
      .knex('messages')
      .where({ account_id: account.accountId, lead_id: 'lead-drain', status: 'sending' });
    worker = system.spawnWorker();
    await waitFor('all released', () => leadTexts().length >= heldCount, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    assert.equal(exitCode, 0, 'the worker drained and exited cleanly');
    assert.equal(unfinished.length, 0, 'no send was left half-done by the shutdown');
    assert.ok(sentByFirstWorker >= 2 && sentByFirstWorker < heldCount, `drained mid-release (${sentByFirstWorker})`);
    assert.deepEqual(
      leadTexts().map((m) => m.text.split('\n')[0]),
      bodies,
      'every message exactly once, in order',
    );
  });
});
