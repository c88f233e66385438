import type { Knex } from 'knex';

/**
 * Unclear replies and answers in the lead's language (docs/keywords.md):
 * - `clarification` is a new outbound kind: the one text that answers a reply the classifier cannot settle;
 * - each account has a clarification text (existing accounts get the default, written with their name);
 * - `texts_by_language` holds an account's texts in other languages, `{ "es": { "help-reply": "…" } }`; a reply
 *   answers in the lead's language when the account has that text, in English otherwise.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table messages drop constraint messages_kind_check');
  await knex.raw(
    `alter table messages add constraint messages_kind_check check (kind in
       ('lead', 'opt_in', 'opt_out_confirmation', 'opt_in_confirmation', 'help_reply', 'clarification', 'inbound'))`,
  );
  await knex.schema.alterTable('accounts', (t) => {
    t.text('clarification_template');
    t.jsonb('texts_by_language').notNullable().defaultTo('{}');
  });
  // The same words as src/consent/default-templates.ts at the time of this migration; a migration never imports
  // application code, which keeps changing after it ran.
  await knex.raw(
    `update accounts set clarification_template = name || ': we were not sure what you meant. ' ||
       'Reply STOP to stop texts from us, or START to keep getting them.'`,
  );
  await knex.raw('alter table accounts alter column clarification_template set not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('clarification_template');
    t.dropColumn('texts_by_language');
  });
  await knex.raw("delete from messages where kind = 'clarification'");
  await knex.raw('alter table messages drop constraint messages_kind_check');
  await knex.raw(
    `alter table messages add constraint messages_kind_check check (kind in
       ('lead', 'opt_in', 'opt_out_confirmation', 'opt_in_confirmation', 'help_reply', 'inbound'))`,
  );
}
