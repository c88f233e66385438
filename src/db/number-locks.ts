import type { Knex } from 'knex';
import type { Client as PgClient } from 'pg';
import { prepared } from './prepared';

/*
 * The per-number Postgres advisory locks that order a send against a change to the Do Not Contact list
 * (docs/consent-model.md, invariant 2). Both are keyed by `<accountId>:<phone>`; the keys (hashtextextended with
 * seeds 0 and 1) and the order they are taken in are shared with running workers and the fault suite, so neither
 * may change. A session lock and a transaction lock on the same key conflict like two of one kind, so a sender
 * holding the number lock for its session and an older worker holding it for a transaction exclude each other.
 */

/** A connection of a knex pool, taken out of it for one send: pg's client, plus the flag knex's pool checks. */
type PooledConnection = PgClient & { __knex__disposed?: unknown };

const numberKey = (accountId: string, phone: string) => `${accountId}:${phone}`;

/**
 * Per-number advisory lock, held until the transaction ends. Writers of the Do Not Contact list take it, through
 * lockNumberForListChange, so a STOP waits for a send that is already past the gate (holdNumberLock).
 */
export async function lockNumber(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  const lock = trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [numberKey(accountId, phone)]);
  await prepared(lock, 'number_lock_xact');
}

/**
 * A second per-number key that only the send gate's claim transaction and the list's writers take. The number
 * lock lives with a session and dies with it (a terminated backend, a cut network); this one is held by the very
 * transaction that reads Do Not Contact and marks the text `sending`, so a claim can never read the list before a
 * STOP commits and mark `sending` after it, whatever happened to the number lock.
 */
export async function lockSendGate(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  const lock = trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 1))', [numberKey(accountId, phone)]);
  await prepared(lock, 'send_gate_lock');
}

/** Both locks, in the one order every writer of the Do Not Contact list uses (number first, then the gate). */
export async function lockNumberForListChange(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await lockNumber(trx, accountId, phone);
  await lockSendGate(trx, accountId, phone);
}

/**
 * Runs `fn` while one connection of `pool` holds the number lock for its session, and hands `fn` that connection:
 * a sender claims its text in a transaction on it (which takes the gate lock, after the number lock as every
 * writer does), calls the provider, and only then lets go. One connection for the lock and the claim, where a
 * transaction-scoped lock would need two, since the claim must commit before the provider is called.
 *
 * A session lock outlives a transaction, so it must never outlive the send: after `fn` settles, every session
 * lock of the connection is released (pg_advisory_unlock_all) before the connection goes back to the pool. When
 * that cannot be confirmed (the lock request or the release failed, the backend was terminated, a transaction is
 * left aborted) the connection is closed instead, and Postgres drops a closed session's locks with it. A failed
 * release never fails the send: the text's outcome is already written.
 */
export async function holdNumberLock<T>(
  pool: Knex,
  accountId: string,
  phone: string,
  fn: (connection: unknown) => Promise<T>,
): Promise<T> {
  const connection = (await pool.client.acquireConnection()) as PooledConnection;
  try {
    const lock = pool.raw('select pg_advisory_lock(hashtextextended(?, 0))', [numberKey(accountId, phone)]);
    await prepared(lock, 'number_lock_session').connection(connection);
    return await fn(connection);
  } finally {
    if (!(await unlockAll(pool, connection))) await close(connection, 'number lock not released');
    await pool.client.releaseConnection(connection);
  }
}

async function unlockAll(pool: Knex, connection: PooledConnection): Promise<boolean> {
  if (connection.__knex__disposed) return false;
  try {
    await prepared(pool.raw('select pg_advisory_unlock_all()'), 'number_unlock_all').connection(connection);
    return true;
  } catch {
    return false;
  }
}

/** Ends the session now (its locks go with it) and marks the connection so the pool destroys it, never reuses it. */
async function close(connection: PooledConnection, reason: string): Promise<void> {
  connection.__knex__disposed ??= reason;
  await connection.end().catch(() => undefined);
}
