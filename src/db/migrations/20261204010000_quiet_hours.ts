import type { Knex } from 'knex';

/**
 * Quiet hours (docs/quiet-hours.md):
 * - each account has a sending window in the recipient's local time (default 08:00-21:00, never wider) and
 *   optional no-send weekdays;
 * - a lead may carry the IANA time zone and US state the CRM knows from its address; they win over the number's
 *   area code;
 * - a text due outside the window is `scheduled`, with the instant its window opens in `send_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.text('sending_window_start').notNullable().defaultTo('08:00');
    t.text('sending_window_end').notNullable().defaultTo('21:00');
    t.jsonb('no_send_days').notNullable().defaultTo('[]');
  });
  await knex.schema.alterTable('lead_consents', (t) => {
    t.text('time_zone');
    t.text('state');
  });
  await knex.schema.alterTable('messages', (t) => {
    t.timestamp('send_at', { useTz: true });
  });
  await knex.raw('alter table messages drop constraint messages_status_check');
  await knex.raw(
    `alter table messages add constraint messages_status_check check (status in
       ('queued', 'held', 'scheduled', 'sending', 'sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired',
        'received'))`,
  );
  // The re-plan after a window change looks up an account's scheduled texts.
  await knex.raw(
    "create index messages_scheduled_by_account on messages (account_id, phone) where status = 'scheduled'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists messages_scheduled_by_account');
  await knex.raw("update messages set status = 'queued' where status = 'scheduled'");
  await knex.raw('alter table messages drop constraint messages_status_check');
  await knex.raw(
    `alter table messages add constraint messages_status_check check (status in
       ('queued', 'held', 'sending', 'sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired', 'received'))`,
  );
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('send_at');
  });
  await knex.schema.alterTable('lead_consents', (t) => {
    t.dropColumn('time_zone');
    t.dropColumn('state');
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('sending_window_start');
    t.dropColumn('sending_window_end');
    t.dropColumn('no_send_days');
  });
}
