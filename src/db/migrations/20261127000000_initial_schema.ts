import type { Knex } from 'knex';

/**
 * The system of record. Workflows orchestrate; every fact a user or a regulator needs lives here.
 *
 * consent_events is the evidence ledger: append-only, enforced by a trigger that refuses UPDATE, DELETE and
 * TRUNCATE, so not even a bug in our own code can rewrite consent history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('sender_number').notNullable().unique();
    t.text('a2p_status').notNullable().defaultTo('unverified');
    t.text('opt_in_template').notNullable();
    t.text('help_template').notNullable();
    t.text('opt_out_confirmation_template').notNullable();
    t.text('opt_in_confirmation_template').notNullable();
    t.bigInteger('hold_limit_seconds')
      .notNullable()
      .defaultTo(30 * 24 * 3600);
    t.jsonb('keywords').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });
  await knex.raw(
    `alter table accounts add constraint accounts_a2p_status_check
       check (a2p_status in ('unverified', 'pending', 'verified', 'failed'))`,
  );

  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('key_hash').notNullable().unique();
    t.text('key_prefix').notNullable();
    t.text('role').notNullable();
    t.text('label');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(`alter table api_keys add constraint api_keys_role_check check (role in ('admin', 'agent'))`);

  // Opt-in is per lead and number: a lead that changes number starts a new opt-in for the new number.
  await knex.schema.createTable('lead_consents', (t) => {
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('lead_id').notNullable();
    t.text('phone').notNullable();
    t.text('phone_key').notNullable();
    t.text('status');
    t.text('reason');
    t.uuid('opt_in_message_id');
    t.timestamps(true, true);
    t.primary(['account_id', 'lead_id', 'phone']);
    t.index(['account_id', 'phone']);
  });
  await knex.raw(
    `alter table lead_consents add constraint lead_consents_status_check
       check (status is null or status in ('not_sent', 'sent', 'accepted', 'rejected'))`,
  );

  await knex.schema.createTable('messages', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('lead_id');
    t.text('phone').notNullable();
    t.text('phone_key').notNullable();
    t.text('direction').notNullable();
    t.text('kind').notNullable();
    t.text('body').notNullable();
    t.text('status').notNullable();
    t.text('reason');
    t.text('provider_message_id').unique();
    t.text('idempotency_key');
    t.jsonb('provider_error');
    t.text('workflow_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('send_attempted_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.unique(['account_id', 'idempotency_key']);
    t.index(['account_id', 'lead_id', 'created_at']);
    t.index(['account_id', 'phone', 'created_at']);
  });
  await knex.raw(
    `alter table messages add constraint messages_direction_check check (direction in ('outbound', 'inbound'))`,
  );
  await knex.raw(
    `alter table messages add constraint messages_kind_check check (kind in
       ('lead', 'opt_in', 'opt_out_confirmation', 'opt_in_confirmation', 'help_reply', 'inbound'))`,
  );
  await knex.raw(
    `alter table messages add constraint messages_status_check check (status in
       ('queued', 'held', 'sending', 'sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired', 'received'))`,
  );

  await knex.schema.createTable('do_not_contact', (t) => {
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('phone').notNullable();
    t.text('phone_key').notNullable();
    t.text('source').notNullable();
    t.text('reason');
    t.text('actor');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'phone']);
  });

  await knex.schema.createTable('consent_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('event_key').notNullable().unique();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('phone');
    t.text('lead_id');
    t.text('event_type').notNullable();
    t.text('source').notNullable();
    t.text('raw_text');
    t.text('provider_message_id');
    t.text('opt_in_text');
    t.text('actor');
    t.uuid('message_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'phone', 'id']);
    t.index(['account_id', 'lead_id', 'id']);
  });
  await knex.raw(`
    create function consent_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'consent_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$;
  `);
  await knex.raw(`
    create trigger consent_events_no_update_delete before update or delete on consent_events
      for each row execute function consent_events_append_only();
    create trigger consent_events_no_truncate before truncate on consent_events
      for each statement execute function consent_events_append_only();
  `);

  // Every provider webhook we accepted, so a redelivery changes nothing. signaled_at is set once the workflow
  // has the event: a row without it is retried in full (the workflow dedupes by the same id).
  await knex.schema.createTable('webhook_events', (t) => {
    t.text('provider_message_id').notNullable();
    t.text('kind').notNullable();
    t.uuid('account_id');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('signaled_at', { useTz: true });
    t.primary(['kind', 'provider_message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_events');
  await knex.raw('drop trigger if exists consent_events_no_update_delete on consent_events');
  await knex.raw('drop trigger if exists consent_events_no_truncate on consent_events');
  await knex.schema.dropTableIfExists('consent_events');
  await knex.raw('drop function if exists consent_events_append_only()');
  await knex.schema.dropTableIfExists('do_not_contact');
  await knex.schema.dropTableIfExists('messages');
  await knex.schema.dropTableIfExists('lead_consents');
  await knex.schema.dropTableIfExists('api_keys');
  await knex.schema.dropTableIfExists('accounts');
}
