import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import knexFactory from 'knex';
import { startFaultSystem, type FaultSystem } from '../support/fault-system';
import { FAULT_TEST_TIMEOUT_MS, reportAndAssert, runFaultScenario } from './fault-run';

const MIN_CUTS = 6;
const MAX_CUTS = 10;

describe('fault F3: Postgres connections terminated mid-run', () => {
  let system: FaultSystem;

  before(async () => {
    system = await startFaultSystem({ name: 'f3-postgres-cut' });
    await system.spawnWorker({ waitUntilPolling: true });
  });
  after(async () => {
    await system?.close();
  });

  it(
    'keeps invariants 1-7 and sends every text exactly once when every connection to the database is cut',
    { timeout: FAULT_TEST_TIMEOUT_MS },
    async () => {
      const database = new URL(system.db.url).pathname.slice(1);
      const adminUrl = new URL(system.db.url);
      adminUrl.pathname = '/postgres';
      const admin = knexFactory({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });

      const result = await runFaultScenario(system, {
        fault: 'F3 Postgres connections cut',
        inject: async ({ random, isLoadDone, log }) => {
          // Every backend of the test database dies at once: the API's, the worker's (work and lock pools) and the
          // test's own; each pool must notice and reconnect.
          let cuts = 0;
          let backends = 0;
          while ((cuts < MIN_CUTS || !isLoadDone()) && cuts < MAX_CUTS) {
            await sleep(2_000 + random() * 3_000);
            const { rows } = await admin.raw(
              'select pg_terminate_backend(pid) as killed from pg_stat_activity where datname = ? and pid <> pg_backend_pid()',
              [database],
            );
            cuts += 1;
            backends += (rows as { killed: boolean }[]).filter((row) => row.killed).length;
            log(`terminated ${rows.length} backends`);
          }
          return { connectionCuts: cuts, backendsTerminated: backends };
        },
      });
      await admin.destroy();

      reportAndAssert(result);
    },
  );
});
