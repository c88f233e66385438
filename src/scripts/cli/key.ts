import { type Command, Option } from 'commander';
import type { Knex } from 'knex';
import { AccountsRepository, type ApiKeySummary, type Role } from '../../db/accounts-repository';
import { CliUsageError, helpAfter, printsJson, requireAccount, UUID, withDatabase } from './shared';

const ROLES: readonly Role[] = ['admin', 'agent', 'operator'];

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

/** `key create`, `key list` and `key revoke`. */
export function addKeyCommands(program: Command): void {
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

  printsJson(
    key
      .command('create')
      .description('create an API key for an account')
      .requiredOption('--account <id>', 'account id')
      .addOption(
        new Option('--role <role>', 'admin changes settings; agent sends and reads')
          .choices(ROLES)
          .makeOptionMandatory(),
      ),
    {
      prints: '{keyId, apiKey, role}; the API key is shown only this once',
      examples: ['key create --account "$ACCOUNT_ID" --role agent', 'key create --account "$ACCOUNT_ID" --role admin'],
    },
    (options: { account: string; role: Role }) =>
      withDatabase({}, (knex) => createKeyCommand(knex, { accountId: options.account, role: options.role })),
  );

  printsJson(
    key
      .command('list')
      .description("list an account's API keys, never the keys or their hashes")
      .requiredOption('--account <id>', 'account id'),
    {
      prints: '{accountId, keys: [{keyId, role, prefix, label, createdAt, revokedAt}]}, oldest first',
      examples: ['key list --account "$ACCOUNT_ID" --pretty'],
    },
    (options: { account: string }) => withDatabase({}, (knex) => listKeysCommand(knex, { accountId: options.account })),
  );

  printsJson(
    key
      .command('revoke')
      .description('revoke an API key; the API refuses it from the next request on')
      .requiredOption('--key-id <id>', 'the keyId printed by key create or key list'),
    {
      prints: '{keyId, accountId, revokedAt, wasAlreadyRevoked}; revoking twice is harmless',
      examples: ['key revoke --key-id "$KEY_ID"'],
    },
    (options: { keyId: string }) => withDatabase({}, (knex) => revokeKeyCommand(knex, { keyId: options.keyId })),
  );
}
