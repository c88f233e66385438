import { Command, CommanderError, Option } from 'commander';
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { AccountsRepository, type A2pStatus, type Role } from '../db/accounts-repository';
import { createKnex, ensureDatabaseExists } from '../db/knex';
import { MessagesRepository, type ConsentEventView, type LeadConsentView } from '../db/messages-repository';
import { toE164 } from '../phone';

/**
 * Operator CLI (`npm run cli -- <command>`). Each command is a small exported function that returns a plain
 * object, so tests call it directly; only `main` prints. Results go to stdout as one JSON line, errors to
 * stderr with exit code 1.
 */

const A2P_STATUSES: readonly A2pStatus[] = ['unverified', 'pending', 'verified', 'failed'];
const ROLES: readonly Role[] = ['admin', 'agent'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';

/** A mistake in the command line or its data: printed as is, without a stack trace. */
export class CliUsageError extends Error {}

/** What `account create` prints. */
export interface CreatedAccount {
  accountId: string;
  apiKey: string;
  role: 'admin';
  senderNumber: string;
}

/** Creates an account and its first admin API key (shown once; only its hash is stored). */
export async function createAccountCommand(
  knex: Knex,
  input: { name: string; sender: string; a2pStatus?: A2pStatus },
): Promise<CreatedAccount> {
  const { name, senderNumber } = validateAccountInput(input);
  // One transaction: an account without its admin key would be unreachable through the API.
  return knex.transaction(async (trx) => {
    const repository = new AccountsRepository(trx);
    let accountId: string;
    try {
      ({ id: accountId } = await repository.createAccount({ name, senderNumber, a2pStatus: input.a2pStatus }));
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new CliUsageError(`another account already uses sender number ${senderNumber}`);
      }
      throw error;
    }
    const { apiKey } = await repository.createApiKey(accountId, 'admin', 'created by cli account create');
    return { accountId, apiKey, role: 'admin' as const, senderNumber };
  });
}

/** Checks `account create` input without touching the database; returns the trimmed name and E.164 sender. */
export function validateAccountInput(input: { name: string; sender: string }): { name: string; senderNumber: string } {
  const name = input.name.trim();
  if (name.length === 0) throw new CliUsageError('--name must not be blank');
  const senderNumber = toE164(input.sender);
  if (senderNumber === undefined) {
    throw new CliUsageError(
      `--sender "${input.sender}" is not a valid phone number; give the account's Vonage number in E.164 form, e.g. +12015550100`,
    );
  }
  return { name, senderNumber };
}

/** Creates another API key for an existing account. */
export async function createKeyCommand(
  knex: Knex,
  input: { accountId: string; role: Role },
): Promise<{ keyId: string; apiKey: string; role: Role }> {
  const accounts = new AccountsRepository(knex);
  await requireAccount(accounts, input.accountId);
  const { keyId, apiKey } = await accounts.createApiKey(input.accountId, input.role, 'created by cli key create');
  return { keyId, apiKey, role: input.role };
}

/** What `consent` prints: the lead's opt-in on its current number and the ledger events behind it. */
export interface LeadConsentReport extends LeadConsentView {
  accountId: string;
  events: ConsentEventView[];
}

/** Looks up a lead's consent and its ledger events. */
export async function leadConsentCommand(
  knex: Knex,
  input: { accountId: string; leadId: string },
): Promise<LeadConsentReport> {
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const messages = new MessagesRepository(knex);
  const consent = await messages.leadConsent(input.accountId, input.leadId);
  if (consent === undefined) {
    throw new CliUsageError(`lead "${input.leadId}" has no consent record in account ${input.accountId}`);
  }
  const events = await messages.consentEvents(input.accountId, input.leadId);
  return { accountId: input.accountId, ...consent, events };
}

/** Asks the running Vonage sandbox to deliver an inbound SMS to our webhook, as a lead's phone would. */
export async function sandboxReplyCommand(input: {
  sandboxUrl: string;
  from: string;
  to: string;
  text: string;
}): Promise<unknown> {
  const from = toE164(input.from);
  if (from === undefined) throw new CliUsageError(`--from "${input.from}" is not a valid phone number`);
  const to = toE164(input.to);
  if (to === undefined) throw new CliUsageError(`--to "${input.to}" is not a valid phone number`);
  const url = new URL('/_sandbox/reply', input.sandboxUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to, text: input.text }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliUsageError(
      `could not reach the sandbox at ${url.origin} (is \`make start\` running?): ${errorMessage(error)}`,
    );
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    const detail = (body as { error?: unknown } | undefined)?.error ?? text;
    throw new CliUsageError(`the sandbox answered ${response.status}: ${String(detail)}`);
  }
  return body ?? text;
}

async function requireAccount(accounts: AccountsRepository, accountId: string): Promise<void> {
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
async function withDatabase<T>(options: { migrate?: boolean }, run: (knex: Knex) => Promise<T>): Promise<T> {
  const { databaseUrl } = loadConfig();
  const knex = createKnex({ databaseUrl, poolMax: 2 });
  try {
    if (options.migrate) await migrateIfNeeded(knex, databaseUrl);
    return await run(knex);
  } finally {
    await knex.destroy();
  }
}

function printJson(value: unknown): void {
  console.log(JSON.stringify(value));
}

function buildProgram(): Command {
  const program = new Command('cli')
    .description('sms-consent operator commands (npm run cli -- <command> --help)')
    .exitOverride()
    .showHelpAfterError();

  const account = program.command('account').description('accounts');
  account
    .command('create')
    .description('create an account and its first admin API key; prints {accountId, apiKey, role, senderNumber}')
    .requiredOption('--name <name>', 'account name, used in the default templates')
    .requiredOption('--sender <e164>', "the account's Vonage number in E.164 form, e.g. +12015550100")
    .addOption(
      new Option('--a2p <status>', 'A2P 10DLC registration status').choices(A2P_STATUSES).default('unverified'),
    )
    .action(async (options: { name: string; sender: string; a2p: A2pStatus }) => {
      // Validate before touching the database, so a typo creates nothing (not even the database).
      validateAccountInput(options);
      const created = await withDatabase({ migrate: true }, (knex) =>
        createAccountCommand(knex, { name: options.name, sender: options.sender, a2pStatus: options.a2p }),
      );
      printJson(created);
    });

  program
    .command('key')
    .description('API keys')
    .command('create')
    .description('create an API key for an account; prints {keyId, apiKey, role}')
    .requiredOption('--account <id>', 'account id')
    .addOption(
      new Option('--role <role>', 'admin changes settings; agent sends and reads').choices(ROLES).makeOptionMandatory(),
    )
    .action(async (options: { account: string; role: Role }) => {
      printJson(
        await withDatabase({}, (knex) => createKeyCommand(knex, { accountId: options.account, role: options.role })),
      );
    });

  program
    .command('consent')
    .description("print a lead's consent (status, number, reason) and its ledger events as JSON")
    .requiredOption('--lead <id>', 'lead id')
    .requiredOption('--account <id>', 'account id')
    .action(async (options: { lead: string; account: string }) => {
      printJson(
        await withDatabase({}, (knex) =>
          leadConsentCommand(knex, { accountId: options.account, leadId: options.lead }),
        ),
      );
    });

  program
    .command('sandbox')
    .description('drive the built-in Vonage sandbox')
    .command('reply')
    .description("send an SMS from a lead's phone to an account's number through the running sandbox")
    .requiredOption('--from <e164>', "the lead's number")
    .requiredOption('--to <e164>', "the account's sender number")
    .requiredOption('--text <text>', 'the message, e.g. START, STOP or HELP')
    .option('--sandbox-url <url>', 'base URL of the running sandbox (default: http://127.0.0.1:$SANDBOX_PORT)')
    .action(async (options: { from: string; to: string; text: string; sandboxUrl?: string }) => {
      const sandboxUrl = options.sandboxUrl ?? `http://127.0.0.1:${loadConfig().sandboxPort}`;
      printJson(await sandboxReplyCommand({ ...options, sandboxUrl }));
    });

  return program;
}

/** Parses argv and runs one command; never throws (errors become stderr + exit code 1). */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Commander printed its own message already; --help arrives here too, with exit code 0.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`error: ${error instanceof CliUsageError ? error.message : errorMessage(error)}`);
    process.exitCode = 1;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

if (require.main === module) void main(process.argv);
