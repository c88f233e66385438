import type { Knex } from 'knex';

/**
 * The console's lead searches (src/db/lead-search-repository.ts): the account's recent leads, newest change first,
 * and leads by the start of their ID. A LIKE prefix uses a btree only with text_pattern_ops when the database's
 * collation is not C, so the prefix index names that operator class.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index lead_consents_recent on lead_consents (account_id, updated_at desc)');
  await knex.raw('create index lead_consents_lead_id_prefix on lead_consents (account_id, lead_id text_pattern_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists lead_consents_lead_id_prefix');
  await knex.raw('drop index if exists lead_consents_recent');
}
