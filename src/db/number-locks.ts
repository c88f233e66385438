import type { Knex } from 'knex';

/*
 * The per-number Postgres advisory locks that order a send against a change to the Do Not Contact list
 * (docs/consent-model.md, invariant 2). Both are transaction-scoped and keyed by `<accountId>:<phone>`; the keys
 * (hashtextextended with seeds 0 and 1) and the order they are taken in are shared with running workers and the
 * fault suite, so neither may change. Taking a lock the transaction already holds returns at once.
 */

/**
 * Per-number advisory lock, held until the transaction ends. A sender holds it on its own connection through the
 * whole provider call (OutboxRepository.withNumberLock); writers of the Do Not Contact list take it, through
 * lockNumberForListChange, so a STOP waits for a send that is already past the gate.
 */
export async function lockNumber(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`${accountId}:${phone}`]);
}

/**
 * A second per-number key that only the send gate's claim transaction and the list's writers take. The number
 * lock lives on a connection of its own and dies with it (a terminated backend, a cut network); this one is held
 * by the very transaction that reads Do Not Contact and marks the text `sending`, so a claim can never read the
 * list before a STOP commits and mark `sending` after it, whatever happened to the number lock.
 */
export async function lockSendGate(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 1))', [`${accountId}:${phone}`]);
}

/** Both locks, in the one order every writer of the Do Not Contact list uses (number first, then the gate). */
export async function lockNumberForListChange(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await lockNumber(trx, accountId, phone);
  await lockSendGate(trx, accountId, phone);
}
