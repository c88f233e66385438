import knexFactory, { type Knex } from 'knex';
import path from 'node:path';

/** Options for a knex connection pool; callers pass config pieces, this module never reads the environment. */
export interface DatabaseOptions {
  databaseUrl: string;
  poolMax?: number;
  /** How long an idle pooled connection is kept; knex's default (30 s) when absent. */
  idleTimeoutMs?: number;
}

/** Creates the one knex instance an entry point uses; migrations are found beside this file. */
export function createKnex(options: DatabaseOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: options.databaseUrl,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMillis: options.idleTimeoutMs } : {}),
    },
    migrations: migrationConfig(),
  });
}

/** Migration settings shared by the migrate script and tests; works from src/ (tsx) and dist/src/ (node). */
export function migrationConfig(): Knex.MigratorConfig {
  return {
    directory: path.join(__dirname, 'migrations'),
    loadExtensions: path.extname(__filename) === '.ts' ? ['.ts'] : ['.js'],
    tableName: 'knex_migrations',
  };
}

/**
 * Creates the database named in the URL when it does not exist yet (a fresh machine has only `postgres`),
 * then runs every pending migration.
 */
export async function migrateToLatest(databaseUrl: string): Promise<void> {
  await ensureDatabaseExists(databaseUrl);
  const knex = createKnex({ databaseUrl, poolMax: 1 });
  try {
    await knex.migrate.latest();
  } finally {
    await knex.destroy();
  }
}

/** Creates the database in `databaseUrl` if missing, connecting to the server's `postgres` database to do it. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error('database name must be letters, digits and underscores');
  url.pathname = '/postgres';
  const admin = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } });
  try {
    const found = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (found.rows.length === 0) {
      try {
        await admin.raw(`create database "${name}"`);
      } catch (error) {
        // Two processes may race to create it; "already exists" (42P04) means the other one won.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await admin.destroy();
  }
}
