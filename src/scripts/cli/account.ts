import { type Command, Option } from 'commander';
import type { Knex } from 'knex';
import { AccountsRepository, type A2pStatus, type AccountSummary } from '../../db/accounts-repository';
import { toE164 } from '../../phone';
import { CliUsageError, helpAfter, printsJson, withDatabase } from './shared';

const A2P_STATUSES: readonly A2pStatus[] = ['unverified', 'pending', 'verified', 'failed'];
const UNIQUE_VIOLATION = '23505';

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

/** Every account. */
export async function listAccountsCommand(knex: Knex): Promise<{ accounts: AccountSummary[] }> {
  return { accounts: await new AccountsRepository(knex).listAccounts() };
}

/** `account create` and `account list`. */
export function addAccountCommands(program: Command): void {
  const account = program
    .command('account')
    .description('accounts: create, list')
    .addHelpText(
      'after',
      helpAfter({ examples: ['account create --name "Acme Homes" --sender +12015550100', 'account list'] }),
    );

  printsJson(
    account
      .command('create')
      .description('create an account and its first admin API key')
      .requiredOption('--name <name>', 'account name, used in the default templates')
      .requiredOption('--sender <e164>', "the account's Vonage number in E.164 form, e.g. +12015550100")
      .addOption(
        new Option('--a2p <status>', 'A2P 10DLC registration status').choices(A2P_STATUSES).default('unverified'),
      ),
    {
      prints: '{accountId, apiKey, role, senderNumber}; the API key is shown only this once',
      examples: [
        'account create --name "Acme Homes" --sender +12015550100',
        'account create --name "Acme Homes" --sender +12015550100 --a2p verified',
      ],
    },
    async (options: { name: string; sender: string; a2p: A2pStatus }) => {
      // Validate before touching the database, so a typo creates nothing (not even the database).
      validateAccountInput(options);
      return withDatabase({ migrate: true }, (knex) =>
        createAccountCommand(knex, { name: options.name, sender: options.sender, a2pStatus: options.a2p }),
      );
    },
  );

  printsJson(
    account.command('list').description('list every account'),
    {
      prints: '{accounts: [{id, name, senderNumber, a2pStatus, createdAt}]}, oldest first',
      examples: ['account list', 'account list --pretty'],
    },
    () => withDatabase({}, (knex) => listAccountsCommand(knex)),
  );
}
