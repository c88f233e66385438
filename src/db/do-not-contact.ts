import type { Knex } from 'knex';
import type { ConsentEventSource, OutboundKind } from '../../activities';
import type { DoNotContactSource } from '../../workflows/sms-consent.contract';
import { lockNumberForListChange } from './number-locks';
import { prepared } from './prepared';

/*
 * The one writer of the Do Not Contact list: the `do_not_contact` table and its ledger rows (`consent_events` of
 * type do_not_contact_added and do_not_contact_removed). Nothing else in the service writes either. Every function
 * takes the caller's transaction, so the entry commits together with whatever made it (the STOP's stored text, a
 * receipt's status, the leads' new statuses, an import's other rows) or not at all.
 *
 * Callers: the STOP reply and the carrier receipt (webhook-repository.ts), the API, the CLI and the CSV import
 * (do-not-contact-repository.ts), and the workflow's consent activity (outbox-repository.ts recordConsentChange).
 *
 * Event keys: a list change's ledger row is keyed `<cause>:dnc-add` or `<cause>:dnc-remove`, where the cause is
 * the key of the event that made the change:
 *   inbound:<message_uuid>   a STOP reply (the same key as its `opted_out` row)
 *   status:<message_uuid>    a delivery receipt saying the carrier has the number opted out
 *   <workflowId>:<uuid4>     the consent workflow's change; uuid4 is the workflow's seeded random, so a re-run
 *                            local activity derives the same key (and its lead rows, written first, stop it)
 *   api:<uuid>, import:<uuid>  an API or CLI call, a CSV row: random, so nothing can re-derive them
 * Rows written before this scheme keep their keys (`dnc:<uuid>` for the API and import); nothing looks a key up,
 * so they stay valid. Keys only stop a ledger row being written twice: the list row is what makes a change happen
 * once. An add that finds the number listed, or a remove that finds it gone, writes no ledger row. A redelivered
 * STOP is stopped earlier still, by the webhook's own dedupe (webhook_events), so it can never re-add a number that
 * a later START took off the list.
 */

/**
 * Kinds that the Do Not Contact list blocks. The opt-out confirmation and HELP replies are allowed (FCC, CTIA); a
 * clarification is not: once the number has opted out there is nothing left to ask.
 */
export const KINDS_BLOCKED_BY_DO_NOT_CONTACT: ReadonlySet<OutboundKind> = new Set([
  'lead',
  'opt_in',
  'opt_in_confirmation',
  'clarification',
]);

/** A change to one number's entry and the evidence its ledger row keeps. */
export interface DoNotContactChange {
  accountId: string;
  phone: string;
  /** The key of the event that caused the change; the ledger row's key is derived from it (see above). */
  causeKey: string;
  source: ConsentEventSource;
  occurredAt: string;
  actor?: string;
  rawText?: string;
  providerMessageId?: string;
  /** The text the change answers (a STOP's last text received, the opt-in a START accepted). */
  messageId?: string;
  optInText?: string;
  details?: Record<string, unknown>;
}

/** An addition: the change plus what the list row shows. */
export interface DoNotContactAddition extends DoNotContactChange {
  phoneKey: string;
  /** Why the number is listed, as the list shows it. */
  reason?: string;
}

/** A `do_not_contact` row as Postgres returns it. */
export interface DoNotContactRow {
  account_id: string;
  phone: string;
  phone_key: string;
  source: DoNotContactSource;
  reason: string | null;
  actor: string | null;
  created_at: Date | string;
}

/** One number of an import, already validated and normalised to E.164. */
export interface DoNotContactImportRow {
  phone: string;
  phoneKey: string;
  source: DoNotContactSource;
  reason?: string;
}

/** Whether the number is on the account's list, read in the caller's transaction. */
export async function isNumberOnDoNotContact(
  trx: Knex.Transaction,
  accountId: string,
  phone: string,
): Promise<boolean> {
  const row = await prepared(
    trx('do_not_contact').where({ account_id: accountId, phone }).first('phone'),
    'is_on_do_not_contact',
  );
  return row !== undefined;
}

/**
 * Puts the number on the list with its ledger row; returns the new row, or undefined when it was listed already
 * (then nothing is written). Takes the number's locks, so a send already past the gate finishes first.
 */
export async function addToDoNotContact(
  trx: Knex.Transaction,
  addition: DoNotContactAddition,
): Promise<DoNotContactRow | undefined> {
  await lockNumberForListChange(trx, addition.accountId, addition.phone);
  const [added] = await trx('do_not_contact')
    .insert({
      account_id: addition.accountId,
      phone: addition.phone,
      phone_key: addition.phoneKey,
      source: addition.source,
      reason: addition.reason ?? null,
      actor: addition.actor ?? null,
    })
    .onConflict(['account_id', 'phone'])
    .ignore()
    .returning('*');
  if (added) await insertLedgerRows(trx, [ledgerRow(addition, 'add')]);
  return added;
}

/** Takes the number off the list with its ledger row; false when it was not listed (then nothing is written). */
export async function removeFromDoNotContact(trx: Knex.Transaction, removal: DoNotContactChange): Promise<boolean> {
  await lockNumberForListChange(trx, removal.accountId, removal.phone);
  const removed = await trx('do_not_contact').where({ account_id: removal.accountId, phone: removal.phone }).del();
  if (removed === 0) return false;
  await insertLedgerRows(trx, [ledgerRow(removal, 'remove')]);
  return true;
}

/**
 * Adds many numbers in one statement with a ledger row for each one not listed before; returns how many were new.
 * No number locks: an import runs as one transaction over up to 100,000 numbers, and holding each number's lock
 * until it commits would stall every send to them, and two imports could deadlock. What it promises holds
 * without them: a claim made after the import commits reads the entries (invariant 2 is a STOP's promise).
 */
export async function addManyToDoNotContact(
  trx: Knex.Transaction,
  accountId: string,
  rows: DoNotContactImportRow[],
  evidence: { actor: string; causeKey: () => string; details: Record<string, unknown> },
): Promise<number> {
  const added: Pick<DoNotContactRow, 'phone' | 'source' | 'reason'>[] = await trx('do_not_contact')
    .insert(
      rows.map((row) => ({
        account_id: accountId,
        phone: row.phone,
        phone_key: row.phoneKey,
        source: row.source,
        reason: row.reason ?? null,
        actor: evidence.actor,
      })),
    )
    .onConflict(['account_id', 'phone'])
    .ignore()
    .returning(['phone', 'source', 'reason']);
  const occurredAt = new Date().toISOString();
  await insertLedgerRows(
    trx,
    added.map((row) =>
      ledgerRow(
        {
          accountId,
          phone: row.phone,
          causeKey: evidence.causeKey(),
          source: row.source,
          occurredAt,
          actor: evidence.actor,
          details: { reason: row.reason, ...evidence.details },
        },
        'add',
      ),
    ),
  );
  return added.length;
}

/** The ledger columns a change's evidence fills; the workflow's lead rows for the same change share them. */
export function ledgerEvidenceColumns(change: DoNotContactChange) {
  return {
    account_id: change.accountId,
    phone: change.phone,
    source: change.source,
    raw_text: change.rawText ?? null,
    provider_message_id: change.providerMessageId ?? null,
    opt_in_text: change.optInText ?? null,
    actor: change.actor ?? null,
    message_id: change.messageId ?? null,
    occurred_at: change.occurredAt,
  };
}

function ledgerRow(change: DoNotContactChange, direction: 'add' | 'remove') {
  return {
    ...ledgerEvidenceColumns(change),
    event_key: `${change.causeKey}:dnc-${direction}`,
    lead_id: null,
    event_type: direction === 'add' ? 'do_not_contact_added' : 'do_not_contact_removed',
    details: JSON.stringify(change.details ?? {}),
  };
}

async function insertLedgerRows(trx: Knex.Transaction, rows: ReturnType<typeof ledgerRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx('consent_events').insert(rows).onConflict('event_key').ignore();
}
