import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../config';
import { AccountsRepository } from '../../db/accounts-repository';
import { createKnex, ensureDatabaseExists } from '../../db/knex';
import { toE164 } from '../../phone';

/**
 * What every command group of the operator CLI shares: the usage error, the checks every command makes before
 * its first write, the database connection of one command, and how a command prints its JSON and its help.
 */

/** A mistake in the command line or its data: printed as is, without a stack trace. */
export class CliUsageError extends Error {}

/** The Temporal settings and the phone hash key the number lookups need. */
export interface NumberLookupSettings {
  temporal: Config['temporal'];
  phoneHashKey: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parsePhone(option: string, raw: string): string {
  const phone = toE164(raw);
  if (phone === undefined) {
    throw new CliUsageError(`${option} "${raw}" is not a valid phone number; give it in E.164 form, e.g. +14155550123`);
  }
  return phone;
}

export async function requireAccount(accounts: AccountsRepository, accountId: string): Promise<void> {
  if (!UUID.test(accountId) || (await accounts.findById(accountId)) === undefined) {
    throw new CliUsageError(`no account with id "${accountId}"`);
  }
}

/**
 * Creates the database and runs the migrations only when some are pending, so that everyday commands never
 * take knex's migration lock (a second migrator would fail on it, e.g. while `make start` migrates).
 */
async function migrateIfNeeded(knex: Knex, databaseUrl: string): Promise<void> {
  await ensureDatabaseExists(databaseUrl);
  const [, pending] = (await knex.migrate.list()) as [unknown[], unknown[]];
  if (pending.length > 0) await knex.migrate.latest();
}

/** Opens a connection pool for one command and always closes it, so the process can exit. */
export async function withDatabase<T>(options: { migrate?: boolean }, run: (knex: Knex) => Promise<T>): Promise<T> {
  const { databaseUrl } = loadConfig();
  const knex = createKnex({ databaseUrl, poolMax: 2 });
  try {
    if (options.migrate) await migrateIfNeeded(knex, databaseUrl);
    return await run(knex);
  } finally {
    await knex.destroy();
  }
}

/** What a command's help says after its options. */
export interface CommandHelp {
  prints?: string;
  examples: string[];
  notes?: string;
}

/** Help text shown after the options: what the command prints, example invocations, then any notes. */
export function helpAfter(help: CommandHelp): string {
  const prints = help.prints ? `\nPrints: ${help.prints}\n` : '';
  const examples = help.examples.map((line) => `  $ npm run cli -- ${line}`).join('\n');
  return `${prints}\nExamples:\n${examples}\n${help.notes ? `\n${help.notes}\n` : ''}`;
}

/**
 * Finishes a command that prints one JSON document, on one line unless `--pretty` asks to indent it. The flag is
 * added after the command's own options, so it is listed last in the help.
 */
export function printsJson<Options>(
  command: Command,
  help: CommandHelp,
  run: (options: Options) => Promise<unknown>,
): Command {
  return command
    .addOption(new Option('--pretty', 'indent the JSON for reading'))
    .addHelpText('after', helpAfter(help))
    .action(async (options: Options & { pretty?: boolean }) => {
      const value = await run(options);
      console.log(options.pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value));
    });
}

/** Commander parser for `--limit`-style options. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`give a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
