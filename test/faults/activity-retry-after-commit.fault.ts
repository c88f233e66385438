import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsentStore } from '../../activities';
import { startFaultSystemPerFile, type FaultSystem } from '../support/fault-system';
import type { TestAccount } from '../support/system';

/**
 * The narrowest form of a fault the suite meets under F1, F2 and F3: an activity's transaction commits, then the
 * attempt fails before Temporal records its result (the worker is SIGKILLed, Temporal restarts, the connection
 * drops while the COMMIT's answer is on the way). Temporal retries the activity; the retry must carry on as the
 * first attempt would have. Here the first attempt of recordQueuedMessage throws right after its commit.
 */
describe('activity retried after its first attempt committed', () => {
  let system: FaultSystem;
  let account: TestAccount;
  const failedOnce = new Set<string>();
  startFaultSystemPerFile(
    {
      name: 'activity-retry-after-commit',
      worker: {
        wrapStore: (store) =>
          Object.assign(Object.create(store) as ConsentStore, {
            async recordQueuedMessage(input: Parameters<ConsentStore['recordQueuedMessage']>[0]) {
              const result = await store.recordQueuedMessage(input);
              if (!failedOnce.has(input.messageId)) {
                failedOnce.add(input.messageId);
                throw new Error('connection lost after COMMIT (simulated)');
              }
              return result;
            },
          }),
      },
    },
    (started) => ({ system, account } = started),
  );

  it('holds the text behind a fresh opt-in when recordQueuedMessage is retried after its commit', async () => {
    const phone = '+12125550142';

    const response = await fetch(`${system.apiUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.agentKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leadId: 'lead-retried', phone, body: 'The house on Elm St is available.' }),
    });
    const answer = (await response.json()) as { messageId: string; status: string; duplicate: boolean };

    const row = await system.db.knex('messages').where({ id: answer.messageId }).first('status');
    assert.deepEqual(
      { http: response.status, status: answer.status, duplicate: answer.duplicate, row: row?.status },
      { http: 202, status: 'held', duplicate: false, row: 'held' },
      'a retried recordQueuedMessage must not turn the request into a duplicate of itself',
    );
    assert.equal(system.sandbox.sent({ to: phone }).length, 1, 'the opt-in went out');
  });
});
