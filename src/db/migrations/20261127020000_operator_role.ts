import type { Knex } from 'knex';

/**
 * An `operator` key: for the people who run the service, not for a tenant. Only it may decrypt Temporal payloads
 * through /v1/codec, because a payload does not say which account it belongs to; a tenant's admin must never read
 * another tenant's numbers and texts. Operator keys are refused on every tenant route.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table api_keys drop constraint api_keys_role_check');
  await knex.raw(
    `alter table api_keys add constraint api_keys_role_check check (role in ('admin', 'agent', 'operator'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from api_keys where role = 'operator'`);
  await knex.raw('alter table api_keys drop constraint api_keys_role_check');
  await knex.raw(`alter table api_keys add constraint api_keys_role_check check (role in ('admin', 'agent'))`);
}
