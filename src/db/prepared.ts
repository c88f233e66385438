/*
 * Named statements: pg prepares a named statement once per connection, and Postgres parses and plans it once per
 * session instead of at every call. Used for the statements of the send path and of delivery receipts, which run
 * several times for every lead (docs/benchmarks.md).
 *
 * Only for a statement whose SQL never changes shape (pg refuses a name reused for other text) and that names its
 * columns: a prepared `select *` fails with "cached plan must not change result type" once a migration adds a
 * column, on every connection that prepared it before (a migration that changes a selected column's type does the
 * same, until those connections are recycled). A prepared statement lives with its session, like the sender's
 * number lock: workers and API replicas reach Postgres directly or through a pooler in session mode (README,
 * Scaling out).
 */

/** Anything knex can send with pg query options: a query builder or a raw statement. */
interface WithOptions {
  options(options: Readonly<Record<string, unknown>>): this;
}

/** Sends `query` as the named statement `name` (unique within this service). */
export function prepared<Q extends WithOptions>(query: Q, name: string): Q {
  return query.options({ name: `sms_consent_${name}` });
}
