import type { Knex } from 'knex';

/** The console polls an account's newest texts every 2 s (GET /v1/messages): an index makes that a short scan. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.index(['account_id', 'created_at'], 'messages_account_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropIndex(['account_id', 'created_at'], 'messages_account_created_at_index');
  });
}
