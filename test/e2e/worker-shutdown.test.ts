import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

const HELD_COUNT = 6;

describe('worker graceful shutdown', () => {
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

  it('finishes the in-flight send on SIGTERM, exits cleanly, and a new worker sends the rest exactly once', async () => {
    worker = system.spawnWorker();
    const phone = system.newLeadPhone();
    const bodies = Array.from({ length: HELD_COUNT }, (_, i) => `drain message ${i + 1}`);
    for (const body of bodies) {
      const queued = await system.api('POST', '/v1/messages', {
        key: account.agentKey,
        body: { leadId: 'lead-drain', phone, body },
      });
      assert.equal(queued.body.status, 'held');
    }
    system.sandbox.setFault({ mode: 'slow', delayMs: 800 });
    const leadTexts = () => system.sandbox.sent({ to: phone }).filter((m) => m.text.startsWith('drain message'));

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('first released text', () => leadTexts().length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    const exitCode = await exited;
    const sentByFirstWorker = leadTexts().length;
    system.sandbox.setFault(null);
    const unfinished = await system.db
      .knex('messages')
      .where({ account_id: account.accountId, lead_id: 'lead-drain', status: 'sending' });
    worker = system.spawnWorker();
    await waitFor('all released', () => leadTexts().length >= HELD_COUNT, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    assert.equal(exitCode, 0, 'the worker drained and exited cleanly');
    assert.equal(unfinished.length, 0, 'no send was left half-done by the shutdown');
    assert.ok(sentByFirstWorker >= 2 && sentByFirstWorker < HELD_COUNT, `drained mid-release (${sentByFirstWorker})`);
    assert.deepEqual(
      leadTexts().map((m) => m.text.split('\n')[0]),
      bodies,
      'every message exactly once, in order',
    );
  });
});
