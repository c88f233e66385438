import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config';
import { createKnex, migrateToLatest, migrationConfig } from '../db/knex';

/**
 * Database migrations: `latest` (creates the database when missing), `rollback` (the last batch) and
 * `make <name>` (a new TypeScript migration in src/db/migrations). npm scripts: db:migrate, db:rollback,
 * db:new-migration.
 */

/** Runs every pending migration, creating the database first when it does not exist. */
export async function migrateLatest(databaseUrl: string): Promise<void> {
  await migrateToLatest(databaseUrl);
}

/** Rolls back the most recent batch; returns the migrations it undid. */
export async function rollbackLastBatch(databaseUrl: string): Promise<string[]> {
  const knex = createKnex({ databaseUrl, poolMax: 1 });
  try {
    const [, undone] = (await knex.migrate.rollback()) as [number, string[]];
    return undone;
  } finally {
    await knex.destroy();
  }
}

/** Writes an up/down skeleton named `<UTC timestamp>_<name>.ts`; returns its path. */
export function makeMigration(name: string, directory = migrationDirectory(), now = new Date()): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new Error(`invalid migration name "${name}": use snake_case letters, digits and underscores`);
  }
  const prefix = nextTimestamp(directory, now);
  const file = path.join(directory, `${prefix}_${name}.ts`);
  writeFileSync(file, migrationSkeleton(`${prefix}_${name}`), { flag: 'wx' });
  return file;
}

function migrationDirectory(): string {
  const directory = migrationConfig().directory;
  if (typeof directory !== 'string') throw new Error('the migration directory must be a single path');
  // Under dist/ the migrations are compiled copies; new ones belong with the sources.
  return directory.replace(`${path.sep}dist${path.sep}src${path.sep}`, `${path.sep}src${path.sep}`);
}

/**
 * knex runs migrations in file-name order, so a new file must sort after every existing one even when the
 * newest existing prefix is ahead of this machine's clock (a teammate's clock, or a hand-picked date).
 */
function nextTimestamp(directory: string, now: Date): string {
  const latest = readdirSync(directory)
    .map((file) => /^(\d{14})_/.exec(file)?.[1])
    .filter((prefix): prefix is string => prefix !== undefined)
    .sort()
    .at(-1);
  const fromClock = formatTimestamp(now);
  if (latest === undefined || fromClock > latest) return fromClock;
  return formatTimestamp(new Date(parseTimestamp(latest).getTime() + 1000));
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

function parseTimestamp(prefix: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(prefix) ?? [];
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

// The bodies throw so that an unwritten skeleton can never be recorded as applied.
function migrationSkeleton(migrationName: string): string {
  return `import type { Knex } from 'knex';

/** ${migrationName}: say why this change is needed. */
export async function up(knex: Knex): Promise<void> {
  throw new Error('${migrationName}: up() is not written yet');
}

export async function down(knex: Knex): Promise<void> {
  throw new Error('${migrationName}: down() is not written yet');
}
`;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('db-migrate')
    .description('Postgres schema migrations (DATABASE_URL)')
    .exitOverride()
    .showHelpAfterError();
  program
    .command('latest')
    .description('create the database if missing, then run every pending migration')
    .action(async () => {
      const { databaseUrl } = loadConfig();
      await migrateLatest(databaseUrl);
      console.log(`migrated ${redactUrl(databaseUrl)} to the latest schema`);
    });
  program
    .command('rollback')
    .description('undo the most recent batch of migrations')
    .action(async () => {
      const { databaseUrl } = loadConfig();
      const undone = await rollbackLastBatch(databaseUrl);
      console.log(undone.length === 0 ? 'nothing to roll back' : `rolled back: ${undone.join(', ')}`);
    });
  program
    .command('make')
    .description('write a new migration skeleton in src/db/migrations')
    .argument('<name>', 'snake_case description, e.g. add_lead_notes')
    .action((name: string) => {
      console.log(path.relative(process.cwd(), makeMigration(name)));
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander already printed its own message (and --help exits through here with code 0).
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}

function redactUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '';
  return url.toString();
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    console.error(`db-migrate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
