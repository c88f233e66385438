import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type Command, Option } from 'commander';
import type { Knex } from 'knex';
import { loadConfig } from '../../config';
import { signalDoNotContactChanged } from '../../consent/signal-number';
import { AccountsRepository } from '../../db/accounts-repository';
import {
  decodeCursor,
  DoNotContactRepository,
  type DoNotContactEntry,
  type DoNotContactSource,
} from '../../db/do-not-contact-repository';
import { phoneKeyOf } from '../../phone';
import { connectClient } from '../../temporal';
import {
  CliUsageError,
  errorMessage,
  helpAfter,
  parsePhone,
  printsJson,
  requireAccount,
  wholeNumber,
  withDatabase,
  type NumberLookupSettings,
} from './shared';

/** What an operator may record as the way a number asked not to be contacted (`sms` only comes from a STOP reply). */
const OPERATOR_DNC_SOURCES = ['phone_call', 'email', 'web', 'operator'] as const;
type OperatorDoNotContactSource = (typeof OPERATOR_DNC_SOURCES)[number];
const MAX_REASON_LENGTH = 500;
/** The ledger actor of changes made here; API changes record the key id instead. */
const CLI_ACTOR = 'cli';

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

/** `dnc add`, `dnc check` and `dnc list`. */
export function addDoNotContactCommands(program: Command): void {
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

  printsJson(
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
      .option('--reason <text>', `why, in the person's words if possible (at most ${MAX_REASON_LENGTH} characters)`),
    {
      prints: '{phone, isNew, source}; isNew is false when the number was already listed (source is then the first)',
      examples: [
        'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source phone_call --reason "asked on a call"',
        'dnc add --account "$ACCOUNT_ID" --phone +14155550123 --source operator',
      ],
      notes:
        "Needs Postgres and Temporal (TEMPORAL_ADDRESS): the workflow cancels the number's held texts.\n" +
        'If Temporal is unreachable, nothing is written. Running the same command twice is safe.',
    },
    async (options: { account: string; phone: string; source: string; reason?: string }) => {
      const input = {
        accountId: options.account,
        phone: options.phone,
        source: options.source,
        reason: options.reason,
      };
      validateDoNotContactAddition(input);
      const { temporal, phoneHashKey } = loadConfig();
      return withDatabase({}, (knex) => addDoNotContactCommand(knex, input, { temporal, phoneHashKey }));
    },
  );

  printsJson(
    dnc
      .command('check')
      .description('say whether a number is on Do Not Contact')
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--phone <e164>', 'the number, in E.164 form, e.g. +14155550123'),
    {
      prints: '{phone, isOnDoNotContact, entry: {phone, source, reason, actor, createdAt} or null}',
      examples: ['dnc check --account "$ACCOUNT_ID" --phone +14155550123'],
    },
    async (options: { account: string; phone: string }) => {
      parsePhone('--phone', options.phone);
      return withDatabase({}, (knex) =>
        checkDoNotContactCommand(knex, { accountId: options.account, phone: options.phone }),
      );
    },
  );

  printsJson(
    dnc
      .command('list')
      .description('list Do Not Contact entries, newest first')
      .requiredOption('--account <id>', 'account id')
      .addOption(new Option('--limit <n>', 'entries per page').argParser(wholeNumber(1, 500)).default(50))
      .option('--cursor <cursor>', 'the nextCursor of the previous page'),
    {
      prints: '{accountId, items: [{phone, source, reason, actor, createdAt}], nextCursor (null on the last page)}',
      examples: [
        'dnc list --account "$ACCOUNT_ID"',
        'dnc list --account "$ACCOUNT_ID" --limit 500 --cursor "$NEXT_CURSOR"',
      ],
    },
    (options: { account: string; limit: number; cursor?: string }) =>
      withDatabase({}, (knex) =>
        listDoNotContactCommand(knex, { accountId: options.account, limit: options.limit, cursor: options.cursor }),
      ),
  );
}
