import knexFactory, { type Knex } from 'knex';
import { createKnex, migrateToLatest } from '../../src/db/knex';

const BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The `messages` columns tests read back to check what the service stored. */
export interface MessageRow {
  id: string;
  account_id: string;
  lead_id: string | null;
  phone: string;
  kind: string;
  status: string;
  reason: string | null;
  idempotency_key: string | null;
  provider_message_id: string | null;
}

/** A fresh, migrated database for one test file, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  knex: Knex;
  drop(): Promise<void>;
}

/** Creates `sms_consent_test_<pid>_<n>` on the local Postgres and migrates it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sms_consent_test_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  await migrateToLatest(url.toString());
  const knex = createKnex({ databaseUrl: url.toString(), poolMax: 10 });
  return {
    url: url.toString(),
    knex,
    async drop() {
      await knex.destroy();
      const adminUrl = new URL(BASE_URL);
      adminUrl.pathname = '/postgres';
      const admin = knexFactory({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
      try {
        await admin.raw(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.destroy();
      }
    },
  };
}
