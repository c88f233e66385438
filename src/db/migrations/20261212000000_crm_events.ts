import type { Knex } from 'knex';

/**
 * Events pushed to a CRM's endpoints (docs/events.md).
 *
 * - event_endpoints: an account's HTTPS endpoints, each with its Standard Webhooks secret (and the previous one for
 *   24 hours after a rotation), and its health.
 * - crm_events: one row per event, written by the triggers below in the same transaction as the change itself, so no
 *   code path can change a lead's opt-in, a text's status or the Do Not Contact list without its event, and no event
 *   exists for a change that rolled back. An event is kept only while the account has a live endpoint.
 *   `dispatched_at` is set once the relay (src/events/event-relay.ts) has handed it to each endpoint's delivery.
 * - event_deliveries: one row per (endpoint, event): its state, attempts and the last answer.
 *
 * What becomes an event:
 * - lead.consent.changed: lead_consents.status changes. The source is the ledger row the same transaction wrote
 *   for that lead just before (outbox-repository.ts recordConsentChange writes the ledger first).
 * - message.status.changed: an outbound text enters a state a CRM acts on: held, scheduled, sent, delivered,
 *   failed, blocked, cancelled, expired. `queued` (the CRM's own request) and `sending` (a claim inside one
 *   activity) are internal and not pushed.
 * - do_not_contact.changed: a row added to or removed from do_not_contact (by its one writer,
 *   src/db/do-not-contact.ts); a removal's source is that of its ledger row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('event_endpoints', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('url').notNullable();
    t.text('description');
    t.text('secret').notNullable();
    t.text('previous_secret');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.timestamp('failing_since', { useTz: true });
    t.timestamp('last_success_at', { useTz: true });
    t.timestamp('last_failure_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw('create index event_endpoints_live on event_endpoints (account_id) where deleted_at is null');

  await knex.schema.createTable('crm_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('webhook_id').notNullable().unique();
    t.uuid('account_id').notNullable().references('accounts.id').onDelete('cascade');
    t.text('phone_key').notNullable();
    t.text('type').notNullable();
    t.jsonb('data').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('dispatched_at', { useTz: true });
  });
  await knex.raw('create index crm_events_undispatched on crm_events (id) where dispatched_at is null');

  await knex.schema.createTable('event_deliveries', (t) => {
    t.uuid('endpoint_id').notNullable().references('event_endpoints.id').onDelete('cascade');
    t.bigInteger('event_id').notNullable().references('crm_events.id').onDelete('cascade');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('last_attempt_at', { useTz: true });
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['endpoint_id', 'event_id']);
    // Retention and the cascade from crm_events find an event's deliveries by the event alone.
    t.index(['event_id']);
  });
  await knex.raw(
    `alter table event_deliveries add constraint event_deliveries_status_check
       check (status in ('pending', 'delivered', 'failed', 'cancelled'))`,
  );

  await knex.raw(`
    -- Whether the account has a live endpoint: checked first by every trigger, so an account without one (most, and
    -- the benchmark's) pays one index probe a change and nothing more.
    create function crm_events_wanted(p_account uuid) returns boolean language sql stable as $$
      select exists (select 1 from event_endpoints where account_id = p_account and deleted_at is null)
    $$;

    create function crm_event_record(p_account uuid, p_phone_key text, p_type text, p_data jsonb)
      returns void language plpgsql as $$
    begin
      insert into crm_events (webhook_id, account_id, phone_key, type, data)
        values ('msg_' || replace(gen_random_uuid()::text, '-', ''), p_account, p_phone_key, p_type, p_data);
    end $$;

    create function crm_events_lead_consent() returns trigger language plpgsql as $$
    declare
      v_source text;
      v_previous text := coalesce(old.status, 'not_sent');
    begin
      if new.status is null or new.status = v_previous or not crm_events_wanted(new.account_id) then
        return null;
      end if;
      select source into v_source from consent_events
        where account_id = new.account_id and lead_id = new.lead_id and phone = new.phone
        order by id desc limit 1;
      perform crm_event_record(new.account_id, new.phone_key, 'lead.consent.changed', jsonb_build_object(
        'leadId', new.lead_id, 'phone', new.phone, 'status', new.status, 'previousStatus', v_previous,
        'reason', new.reason, 'source', coalesce(v_source, 'system')));
      return null;
    end $$;

    create function crm_events_message_status() returns trigger language plpgsql as $$
    begin
      if new.direction <> 'outbound' or new.status not in
           ('held', 'scheduled', 'sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired') then
        return null;
      end if;
      if tg_op = 'UPDATE' and new.status = old.status then return null; end if;
      if not crm_events_wanted(new.account_id) then return null; end if;
      perform crm_event_record(new.account_id, new.phone_key, 'message.status.changed', jsonb_build_object(
        'messageId', new.id, 'leadId', new.lead_id, 'kind', new.kind, 'status', new.status,
        'reason', new.reason, 'sendAt', case when new.status = 'scheduled' then new.send_at end));
      return null;
    end $$;

    create function crm_events_do_not_contact_added() returns trigger language plpgsql as $$
    begin
      if not crm_events_wanted(new.account_id) then return null; end if;
      perform crm_event_record(new.account_id, new.phone_key, 'do_not_contact.changed',
        jsonb_build_object('phone', new.phone, 'change', 'added', 'source', new.source));
      return null;
    end $$;

    create function crm_events_do_not_contact_removed() returns trigger language plpgsql as $$
    declare
      v_source text;
    begin
      if not crm_events_wanted(old.account_id) then return null; end if;
      select source into v_source from consent_events
        where account_id = old.account_id and phone = old.phone and event_type = 'do_not_contact_removed'
        order by id desc limit 1;
      perform crm_event_record(old.account_id, old.phone_key, 'do_not_contact.changed',
        jsonb_build_object('phone', old.phone, 'change', 'removed', 'source', coalesce(v_source, 'operator')));
      return null;
    end $$;

    create trigger lead_consents_crm_event after insert or update of status on lead_consents
      for each row execute function crm_events_lead_consent();
    create trigger messages_crm_event after insert or update of status on messages
      for each row execute function crm_events_message_status();
    create trigger do_not_contact_added_crm_event after insert on do_not_contact
      for each row execute function crm_events_do_not_contact_added();
    -- Deferred to the commit: the list's writer deletes the row before it writes the removal's ledger row, which
    -- carries the removal's source.
    create constraint trigger do_not_contact_removed_crm_event after delete on do_not_contact
      deferrable initially deferred for each row execute function crm_events_do_not_contact_removed();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger if exists do_not_contact_removed_crm_event on do_not_contact;
    drop trigger if exists do_not_contact_added_crm_event on do_not_contact;
    drop trigger if exists messages_crm_event on messages;
    drop trigger if exists lead_consents_crm_event on lead_consents;
    drop function if exists crm_events_do_not_contact_removed();
    drop function if exists crm_events_do_not_contact_added();
    drop function if exists crm_events_message_status();
    drop function if exists crm_events_lead_consent();
    drop function if exists crm_event_record(uuid, text, text, jsonb);
    drop function if exists crm_events_wanted(uuid);
  `);
  await knex.schema.dropTableIfExists('event_deliveries');
  await knex.schema.dropTableIfExists('crm_events');
  await knex.schema.dropTableIfExists('event_endpoints');
}
