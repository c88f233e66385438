import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Knex } from 'knex';
import { getConsentStateQuery, smsConsentWorkflowId, type LeadState } from '../../workflows/sms-consent.contract';
import { loadConfig, type Config } from '../config';
import { signalDoNotContactChanged } from '../consent/signal-number';
import {
  AccountsRepository,
  type A2pStatus,
  type AccountSummary,
  type ApiKeySummary,
  type Role,
} from '../db/accounts-repository';
import {
  decodeCursor,
  DoNotContactRepository,
  type DoNotContactEntry,
  type DoNotContactSource,
} from '../db/do-not-contact-repository';
import { createKnex, ensureDatabaseExists } from '../db/knex';
import { MessagesRepository, type ConsentEventView, type LeadConsentView } from '../db/messages-repository';
import { phoneKeyOf, toE164 } from '../phone';
import { connectClient } from '../temporal';

/**
 * Operator CLI (`npm run cli -- <command>`). Each command is a small exported function that returns a plain
 * object; only `main` prints. Results go to stdout as one JSON document (one line, or indented with --pretty),
 * errors to stderr with exit code 1. Every input is checked before the first write, so a mistake changes nothing.
 */

const A2P_STATUSES: readonly A2pStatus[] = ['unverified', 'pending', 'verified', 'failed'];
const ROLES: readonly Role[] = ['admin', 'agent', 'operator'];
/** What an operator may record as the way a number asked not to be contacted (`sms` only comes from a STOP reply). */
const OPERATOR_DNC_SOURCES = ['phone_call', 'email', 'web', 'operator'] as const;
type OperatorDoNotContactSource = (typeof OPERATOR_DNC_SOURCES)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';
const MAX_REASON_LENGTH = 500;
/** The ledger actor of changes made here; API changes record the key id instead. */
const CLI_ACTOR = 'cli';
/**
 * A query is answered by a worker; with none running the server keeps it waiting, so the CLI gives up after this
 * and still prints what Postgres knows.
 */
const QUERY_TIMEOUT_MS = 10_000;

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

/** The Temporal settings and the phone hash key the number lookups need. */
export interface NumberLookupSettings {
  temporal: Config['temporal'];
  phoneHashKey: string;
}

/** The number's workflow as Temporal sees it; `state` and `status` are missing when Temporal could not say. */
export interface WorkflowReport {
  workflowId: string;
  webUiUrl: string;
  /** Execution status, e.g. RUNNING. */
  status?: string;
  state?: { isOptedOut: boolean; heldCount: number; leads: Record<string, LeadState> };
  /** Why part of the report is missing. */
  note?: string;
}

/** What `consent --phone` prints: everything known about one number of an account. */
export interface NumberConsentReport {
  accountId: string;
  phone: string;
  leads: Omit<LeadConsentView, 'phone'>[];
  isOnDoNotContact: boolean;
  doNotContact: DoNotContactEntry | null;
  /** The number's last ledger events, oldest of them first. */
  events: ConsentEventView[];
  workflow: WorkflowReport;
}

/**
 * Looks up a number: its leads and their statuses, its Do Not Contact entry and last ledger events from Postgres,
 * then the live workflow state from Temporal. Temporal being down is not an error: the report says so in a note.
 */
export async function numberConsentCommand(
  knex: Knex,
  input: { accountId: string; phone: string; eventLimit: number },
  settings: NumberLookupSettings,
): Promise<NumberConsentReport> {
  const phone = parsePhone('--phone', input.phone);
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const messages = new MessagesRepository(knex);
  const leads = await messages.leadsByPhone(input.accountId, phone);
  const doNotContact = await new DoNotContactRepository(knex).find(input.accountId, phone);
  const events = await messages.phoneConsentEvents(input.accountId, phone, input.eventLimit);
  const workflowId = smsConsentWorkflowId(input.accountId, phoneKeyOf(phone, settings.phoneHashKey));
  return {
    accountId: input.accountId,
    phone,
    leads: leads.map(({ phone: _phone, ...lead }) => lead),
    isOnDoNotContact: doNotContact !== undefined,
    doNotContact: doNotContact ?? null,
    events,
    workflow: await describeWorkflow(settings.temporal, workflowId),
  };
}

async function describeWorkflow(temporal: Config['temporal'], workflowId: string): Promise<WorkflowReport> {
  const report: WorkflowReport = { workflowId, webUiUrl: webUiUrl(temporal, workflowId) };
  let client: Client;
  try {
    client = await connectClient(temporal);
  } catch (error) {
    return {
      ...report,
      note: `Temporal is unreachable at ${temporal.address} (${errorMessage(error)}); only what Postgres knows is shown`,
    };
  }
  try {
    const handle = client.workflow.getHandle(workflowId);
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        return {
          ...report,
          note: 'no workflow for this number yet: it starts with the first text, reply or Do Not Contact change',
        };
      }
      throw error;
    }
    try {
      const state = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
        handle.query(getConsentStateQuery),
      );
      return {
        ...report,
        status,
        state: { isOptedOut: state.isOptedOut, heldCount: state.held.length, leads: state.leads },
      };
    } catch (error) {
      return {
        ...report,
        status,
        note: `the workflow did not answer its state query (is a worker running?): ${errorMessage(error)}`,
      };
    }
  } catch (error) {
    return { ...report, note: `could not describe the workflow: ${errorMessage(error)}` };
  } finally {
    await client.connection.close();
  }
}

/** The workflow's page in the Temporal Web UI. */
export function webUiUrl(temporal: { uiUrl: string; namespace: string }, workflowId: string): string {
  const base = temporal.uiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** What `dnc add` asks for, already checked. */
export interface DoNotContactAddition {
  phone: string;
  source: OperatorDoNotContactSource;
  reason?: string;
}

/** Checks `dnc add` input without touching the database or Temporal. */
export function validateDoNotContactAddition(input: {
  phone: string;
  source: string;
  reason?: string;
}): DoNotContactAddition {
  const phone = parsePhone('--phone', input.phone);
  if (!(OPERATOR_DNC_SOURCES as readonly string[]).includes(input.source)) {
    throw new CliUsageError(`--source must be one of ${OPERATOR_DNC_SOURCES.join(', ')}`);
  }
  const reason = input.reason?.trim() || undefined;
  if (reason !== undefined && reason.length > MAX_REASON_LENGTH) {
    throw new CliUsageError(`--reason is ${reason.length} characters; at most ${MAX_REASON_LENGTH}`);
  }
  return { phone, source: input.source as OperatorDoNotContactSource, reason };
}

/**
 * Puts a number on the account's Do Not Contact list the way the API does: the list row and its ledger row, then
 * the signal that cancels the number's held texts. Temporal is reached before the write, so an unreachable
 * Temporal leaves nothing written; a signal that fails after the write is reported, and running the same command
 * again is safe (the entry stays, the signal is resent).
 */
export async function addDoNotContactCommand(
  knex: Knex,
  input: { accountId: string; phone: string; source: string; reason?: string },
  settings: NumberLookupSettings,
): Promise<{ phone: string; isNew: boolean; source: DoNotContactSource }> {
  const addition = validateDoNotContactAddition(input);
  await requireAccount(new AccountsRepository(knex), input.accountId);
  let client: Client;
  try {
    client = await connectClient(settings.temporal);
  } catch (error) {
    throw new CliUsageError(
      `could not reach Temporal at ${settings.temporal.address} (${errorMessage(error)}); nothing was written`,
    );
  }
  try {
    const phoneKey = phoneKeyOf(addition.phone, settings.phoneHashKey);
    const { isNew, entry } = await new DoNotContactRepository(knex).add(input.accountId, {
      ...addition,
      phoneKey,
      actor: CLI_ACTOR,
    });
    try {
      await signalDoNotContactChanged(
        client,
        { accountId: input.accountId, phone: addition.phone, phoneKey },
        {
          eventId: randomUUID(),
          change: 'added',
          source: addition.source,
          reason: addition.reason,
          actor: CLI_ACTOR,
          occurredAt: new Date().toISOString(),
        },
      );
    } catch (error) {
      throw new CliUsageError(
        `${addition.phone} is on the Do Not Contact list (texts to it are blocked), but its workflow was not told, ` +
          `so held texts are not cancelled yet: ${errorMessage(error)}. Run the same command again to retry.`,
      );
    }
    return { phone: entry.phone, isNew, source: entry.source };
  } finally {
    await client.connection.close();
  }
}

/** Whether a number is on the account's Do Not Contact list, and the entry when it is. */
export async function checkDoNotContactCommand(
  knex: Knex,
  input: { accountId: string; phone: string },
): Promise<{ phone: string; isOnDoNotContact: boolean; entry: DoNotContactEntry | null }> {
  const phone = parsePhone('--phone', input.phone);
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const entry = await new DoNotContactRepository(knex).find(input.accountId, phone);
  return { phone, isOnDoNotContact: entry !== undefined, entry: entry ?? null };
}

/** One page of the account's Do Not Contact list, newest first. */
export async function listDoNotContactCommand(
  knex: Knex,
  input: { accountId: string; limit: number; cursor?: string },
): Promise<{ accountId: string; items: DoNotContactEntry[]; nextCursor: string | null }> {
  if (input.cursor !== undefined && decodeCursor(input.cursor) === undefined) {
    throw new CliUsageError('--cursor is not a cursor printed by dnc list');
  }
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const page = await new DoNotContactRepository(knex).list(input.accountId, input);
  return { accountId: input.accountId, items: page.items, nextCursor: page.nextCursor ?? null };
}

/** Every account. */
export async function listAccountsCommand(knex: Knex): Promise<{ accounts: AccountSummary[] }> {
  return { accounts: await new AccountsRepository(knex).listAccounts() };
}

/** The account's API keys: id, role, prefix and dates, never the key or its hash. */
export async function listKeysCommand(
  knex: Knex,
  input: { accountId: string },
): Promise<{ accountId: string; keys: ApiKeySummary[] }> {
  const accounts = new AccountsRepository(knex);
  await requireAccount(accounts, input.accountId);
  return { accountId: input.accountId, keys: await accounts.listApiKeys(input.accountId) };
}

/** Revokes an API key; the API refuses it from the next request on. */
export async function revokeKeyCommand(
  knex: Knex,
  input: { keyId: string },
): Promise<{ keyId: string; accountId: string; revokedAt: string; wasAlreadyRevoked: boolean }> {
  const revoked = UUID.test(input.keyId) ? await new AccountsRepository(knex).revokeApiKey(input.keyId) : undefined;
  if (revoked === undefined) throw new CliUsageError(`no API key with id "${input.keyId}"`);
  return revoked;
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

function parsePhone(option: string, raw: string): string {
  const phone = toE164(raw);
  if (phone === undefined) {
    throw new CliUsageError(`${option} "${raw}" is not a valid phone number; give it in E.164 form, e.g. +14155550123`);
  }
  return phone;
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

function printJson(value: unknown, options: { pretty?: boolean }): void {
  console.log(options.pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value));
}

/** Help text shown after the options: what the command prints, example invocations, then any notes. */
function helpAfter(help: { prints?: string; examples: string[]; notes?: string }): string {
  const prints = help.prints ? `\nPrints: ${help.prints}\n` : '';
  const examples = help.examples.map((line) => `  $ npm run cli -- ${line}`).join('\n');
  return `${prints}\nExamples:\n${examples}\n${help.notes ? `\n${help.notes}\n` : ''}`;
}

/** A `--pretty` flag: every command prints one JSON document, on one line unless asked to indent it. */
const prettyOption = () => new Option('--pretty', 'indent the JSON for reading');

/** Commander parser for `--limit`-style options. */
function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`give a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

function buildProgram(): Command {
  const program = new Command('cli')
    .description('sms-consent operator commands (npm run cli -- <command> --help)')
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      helpAfter({
        examples: [
          'account list',
          'consent --account "$ACCOUNT_ID" --phone +14155550123 --pretty',
          'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source phone_call',
          'dnc --help',
        ],
        notes:
          'Every command prints one JSON document on stdout (indented with --pretty); errors go to stderr, exit 1.',
      }),
    );

  const account = program
    .command('account')
    .description('accounts: create, list')
    .addHelpText(
      'after',
      helpAfter({ examples: ['account create --name "Acme Homes" --sender +12015550100', 'account list'] }),
    );
  account
    .command('create')
    .description('create an account and its first admin API key')
    .requiredOption('--name <name>', 'account name, used in the default templates')
    .requiredOption('--sender <e164>', "the account's Vonage number in E.164 form, e.g. +12015550100")
    .addOption(
      new Option('--a2p <status>', 'A2P 10DLC registration status').choices(A2P_STATUSES).default('unverified'),
    )
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{accountId, apiKey, role, senderNumber}; the API key is shown only this once',
        examples: [
          'account create --name "Acme Homes" --sender +12015550100',
          'account create --name "Acme Homes" --sender +12015550100 --a2p verified',
        ],
      }),
    )
    .action(async (options: { name: string; sender: string; a2p: A2pStatus; pretty?: boolean }) => {
      // Validate before touching the database, so a typo creates nothing (not even the database).
      validateAccountInput(options);
      const created = await withDatabase({ migrate: true }, (knex) =>
        createAccountCommand(knex, { name: options.name, sender: options.sender, a2pStatus: options.a2p }),
      );
      printJson(created, options);
    });
  account
    .command('list')
    .description('list every account')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{accounts: [{id, name, senderNumber, a2pStatus, createdAt}]}, oldest first',
        examples: ['account list', 'account list --pretty'],
      }),
    )
    .action(async (options: { pretty?: boolean }) => {
      printJson(await withDatabase({}, (knex) => listAccountsCommand(knex)), options);
    });

  const key = program
    .command('key')
    .description('API keys: create, list, revoke')
    .addHelpText(
      'after',
      helpAfter({
        examples: [
          'key create --account "$ACCOUNT_ID" --role agent',
          'key list --account "$ACCOUNT_ID"',
          'key revoke --key-id "$KEY_ID"',
        ],
      }),
    );
  key
    .command('create')
    .description('create an API key for an account')
    .requiredOption('--account <id>', 'account id')
    .addOption(
      new Option('--role <role>', 'admin changes settings; agent sends and reads').choices(ROLES).makeOptionMandatory(),
    )
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{keyId, apiKey, role}; the API key is shown only this once',
        examples: [
          'key create --account "$ACCOUNT_ID" --role agent',
          'key create --account "$ACCOUNT_ID" --role admin',
        ],
      }),
    )
    .action(async (options: { account: string; role: Role; pretty?: boolean }) => {
      printJson(
        await withDatabase({}, (knex) => createKeyCommand(knex, { accountId: options.account, role: options.role })),
        options,
      );
    });
  key
    .command('list')
    .description("list an account's API keys, never the keys or their hashes")
    .requiredOption('--account <id>', 'account id')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{accountId, keys: [{keyId, role, prefix, label, createdAt, revokedAt}]}, oldest first',
        examples: ['key list --account "$ACCOUNT_ID" --pretty'],
      }),
    )
    .action(async (options: { account: string; pretty?: boolean }) => {
      printJson(await withDatabase({}, (knex) => listKeysCommand(knex, { accountId: options.account })), options);
    });
  key
    .command('revoke')
    .description('revoke an API key; the API refuses it from the next request on')
    .requiredOption('--key-id <id>', 'the keyId printed by key create or key list')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{keyId, accountId, revokedAt, wasAlreadyRevoked}; revoking twice is harmless',
        examples: ['key revoke --key-id "$KEY_ID"'],
      }),
    )
    .action(async (options: { keyId: string; pretty?: boolean }) => {
      printJson(await withDatabase({}, (knex) => revokeKeyCommand(knex, { keyId: options.keyId })), options);
    });

  program
    .command('consent')
    .description("look up a lead's or a number's consent")
    .requiredOption('--account <id>', 'account id')
    .addOption(new Option('--lead <id>', 'a lead: its consent on its current number and its ledger events'))
    .addOption(
      new Option(
        '--phone <e164>',
        'a number: its leads, Do Not Contact entry, last ledger events and live workflow state',
      ).conflicts('lead'),
    )
    .addOption(
      new Option('--events <n>', 'with --phone: how many of the last ledger events to show')
        .argParser(wholeNumber(1, 500))
        .default(20),
    )
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints:
          'with --lead, {accountId, leadId, phone, status, reason, optInMessageId, updatedAt, events};\n' +
          '  with --phone, {accountId, phone, leads, isOnDoNotContact, doNotContact, events,\n' +
          '  workflow: {workflowId, webUiUrl, status, state: {isOptedOut, heldCount, leads}, note}}',
        examples: [
          'consent --account "$ACCOUNT_ID" --lead lead-42',
          'consent --account "$ACCOUNT_ID" --phone +14155550123 --pretty',
          'consent --account "$ACCOUNT_ID" --phone +14155550123 --events 50',
        ],
        notes:
          'The workflow state needs Temporal (TEMPORAL_ADDRESS) and a running worker. Without them the rest is\n' +
          'still printed, workflow.note says what is missing, and the exit code is 0.',
      }),
    )
    .action(async (options: { account: string; lead?: string; phone?: string; events: number; pretty?: boolean }) => {
      const { lead, phone } = options;
      if (phone !== undefined) {
        parsePhone('--phone', phone);
        const { temporal, phoneHashKey } = loadConfig();
        const report = await withDatabase({}, (knex) =>
          numberConsentCommand(
            knex,
            { accountId: options.account, phone, eventLimit: options.events },
            { temporal, phoneHashKey },
          ),
        );
        printJson(report, options);
      } else if (lead !== undefined) {
        printJson(
          await withDatabase({}, (knex) => leadConsentCommand(knex, { accountId: options.account, leadId: lead })),
          options,
        );
      } else {
        throw new CliUsageError('give --lead <id> or --phone <e164>');
      }
    });

  const dnc = program
    .command('dnc')
    .description("the account's Do Not Contact list: add, check, list")
    .addHelpText(
      'after',
      helpAfter({
        examples: [
          'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source email --reason "asked by email"',
          'dnc check --account "$ACCOUNT_ID" --phone +14155550123',
          'dnc list --account "$ACCOUNT_ID" --limit 100',
        ],
      }),
    );
  dnc
    .command('add')
    .description('put a number on Do Not Contact, as the API does')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--phone <e164>', 'the number, in E.164 form, e.g. +14155550123')
    .addOption(
      new Option('--source <source>', 'how the person asked not to be contacted')
        .choices(OPERATOR_DNC_SOURCES)
        .makeOptionMandatory(),
    )
    .option('--reason <text>', `why, in the person's words if possible (at most ${MAX_REASON_LENGTH} characters)`)
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{phone, isNew, source}; isNew is false when the number was already listed (source is then the first)',
        examples: [
          'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source phone_call --reason "asked on a call"',
          'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source operator',
        ],
        notes:
          "Needs Postgres and Temporal (TEMPORAL_ADDRESS): the workflow cancels the number's held texts.\n" +
          'If Temporal is unreachable, nothing is written. Running the same command twice is safe.',
      }),
    )
    .action(async (options: { account: string; phone: string; source: string; reason?: string; pretty?: boolean }) => {
      const input = {
        accountId: options.account,
        phone: options.phone,
        source: options.source,
        reason: options.reason,
      };
      validateDoNotContactAddition(input);
      const { temporal, phoneHashKey } = loadConfig();
      printJson(
        await withDatabase({}, (knex) => addDoNotContactCommand(knex, input, { temporal, phoneHashKey })),
        options,
      );
    });
  dnc
    .command('check')
    .description('say whether a number is on Do Not Contact')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--phone <e164>', 'the number, in E.164 form, e.g. +14155550123')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{phone, isOnDoNotContact, entry: {phone, source, reason, actor, createdAt} or null}',
        examples: ['dnc check --account "$ACCOUNT_ID" --phone +14155550123'],
      }),
    )
    .action(async (options: { account: string; phone: string; pretty?: boolean }) => {
      parsePhone('--phone', options.phone);
      printJson(
        await withDatabase({}, (knex) =>
          checkDoNotContactCommand(knex, { accountId: options.account, phone: options.phone }),
        ),
        options,
      );
    });
  dnc
    .command('list')
    .description('list Do Not Contact entries, newest first')
    .requiredOption('--account <id>', 'account id')
    .addOption(new Option('--limit <n>', 'entries per page').argParser(wholeNumber(1, 500)).default(50))
    .option('--cursor <cursor>', 'the nextCursor of the previous page')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: '{accountId, items: [{phone, source, reason, actor, createdAt}], nextCursor (null on the last page)}',
        examples: [
          'dnc list --account "$ACCOUNT_ID"',
          'dnc list --account "$ACCOUNT_ID" --limit 500 --cursor "$NEXT_CURSOR"',
        ],
      }),
    )
    .action(async (options: { account: string; limit: number; cursor?: string; pretty?: boolean }) => {
      printJson(
        await withDatabase({}, (knex) =>
          listDoNotContactCommand(knex, { accountId: options.account, limit: options.limit, cursor: options.cursor }),
        ),
        options,
      );
    });

  program
    .command('sandbox')
    .description('drive the built-in Vonage sandbox (development only)')
    .addHelpText('after', helpAfter({ examples: ['sandbox reply --from +14155550123 --to +12015550100 --text START'] }))
    .command('reply')
    .description("text an account's number from a lead's number through the sandbox")
    .requiredOption('--from <e164>', "the lead's number")
    .requiredOption('--to <e164>', "the account's sender number")
    .requiredOption('--text <text>', 'the message, e.g. START, STOP or HELP')
    .option('--sandbox-url <url>', 'base URL of the running sandbox (default: http://127.0.0.1:$SANDBOX_PORT)')
    .addOption(prettyOption())
    .addHelpText(
      'after',
      helpAfter({
        prints: "the sandbox's answer",
        examples: [
          'sandbox reply --from +14155550123 --to +12015550100 --text START',
          'sandbox reply --from +14155550123 --to +12015550100 --text STOP --sandbox-url http://127.0.0.1:3100',
        ],
      }),
    )
    .action(async (options: { from: string; to: string; text: string; sandboxUrl?: string; pretty?: boolean }) => {
      const sandboxUrl = options.sandboxUrl ?? `http://127.0.0.1:${loadConfig().sandboxPort}`;
      printJson(await sandboxReplyCommand({ ...options, sandboxUrl }), options);
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
