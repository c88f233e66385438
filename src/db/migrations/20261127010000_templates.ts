import type { Knex } from 'knex';

/** SMS Text templates (the seed's "send a SMS Text template") and which template a message came from. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_templates', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('name').notNullable();
    t.text('body').notNullable();
    t.timestamps(true, true);
    t.unique(['account_id', 'name']);
  });
  await knex.schema.alterTable('messages', (t) => {
    t.uuid('template_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('template_id');
  });
  await knex.schema.dropTableIfExists('sms_templates');
}
