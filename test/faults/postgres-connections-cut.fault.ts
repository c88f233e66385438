import { setTimeout as sleep } from 'node:timers/promises';
import knexFactory from 'knex';
import { describeFaultTest } from './fault-run';

const MIN_CUTS = 6;
const MAX_CUTS = 10;

describeFaultTest({
  title: 'fault F3: Postgres connections terminated mid-run',
  expectation: 'keeps invariants 1-7 and sends every text exactly once when every connection to the database is cut',
  system: { name: 'f3-postgres-cut' },
  fault: 'F3 Postgres connections cut',
  inject: async (system, { random, isLoadDone, log }) => {
    const database = new URL(system.db.url).pathname.slice(1);
    const adminUrl = new URL(system.db.url);
    adminUrl.pathname = '/postgres';
    const admin = knexFactory({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
    try {
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
    } finally {
      await admin.destroy();
    }
  },
});
