import { after, before, describe, it } from 'node:test';
import { startFaultSystem, type FaultSystem } from '../support/fault-system';
import { FAULT_TEST_TIMEOUT_MS, reportAndAssert, runFaultScenario } from './fault-run';

describe('fault F5: webhooks redelivered, out of order, racing new sends', () => {
  let system: FaultSystem;

  before(async () => {
    system = await startFaultSystem({ name: 'f5-webhook-redelivery' });
    await system.spawnWorker({ waitUntilPolling: true });
  });
  after(async () => {
    await system?.close();
  });

  it(
    'keeps invariants 1-7 and sends every text exactly once when each reply arrives three times, late and racing sends',
    { timeout: FAULT_TEST_TIMEOUT_MS },
    async () => {
      // The driver itself injects this fault: every START/STOP is delivered three times (all at once, one after
      // another, or once now and twice after later events), numbers reply in a shuffled order, and the follow-up
      // texts of a number are queued while its replies are being delivered.
      const result = await runFaultScenario(system, {
        fault: 'F5 webhooks redelivered',
        redeliver: true,
        inject: async ({ loadDone }) => {
          await loadDone;
          return {};
        },
      });

      reportAndAssert(result);
    },
  );
});
