import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { lockNumberForListChange } from './consent-repository';

/** Where an entry came from. `sms` is a STOP reply; the rest are the FCC's "any reasonable means". */
export type DoNotContactSource = 'sms' | 'phone_call' | 'email' | 'web' | 'operator' | 'carrier' | 'import';

/** One number on the account's Do Not Contact list. */
export interface DoNotContactEntry {
  phone: string;
  source: DoNotContactSource;
  reason: string | null;
  actor: string | null;
  createdAt: string;
}

/** A row to import: already validated and normalised to E.164. */
export interface ImportRow {
  phone: string;
  phoneKey: string;
  source: DoNotContactSource;
  reason?: string;
}

const IMPORT_BATCH = 500;

/**
 * The Do Not Contact list. Every change takes the number's lock (shared with senders) and appends a ledger row in
 * the same transaction, so the list and its evidence never disagree.
 */
export class DoNotContactRepository {
  constructor(private readonly knex: Knex) {}

  async find(accountId: string, phone: string): Promise<DoNotContactEntry | undefined> {
    const row = await this.knex('do_not_contact').where({ account_id: accountId, phone }).first();
    return row ? toEntry(row) : undefined;
  }

  /** Newest first; the cursor is opaque to callers. */
  async list(
    accountId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: DoNotContactEntry[]; nextCursor?: string }> {
    const query = this.knex('do_not_contact')
      .where({ account_id: accountId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'phone', order: 'desc' },
      ])
      .limit(options.limit + 1);
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (after) {
      query.andWhere((q) =>
        q
          .where('created_at', '<', after.createdAt)
          .orWhere((q2) => q2.where('created_at', '=', after.createdAt).andWhere('phone', '<', after.phone)),
      );
    }
    const rows = await query;
    const items = rows.slice(0, options.limit).map(toEntry);
    const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(new Date(last.created_at).toISOString(), last.phone) : undefined };
  }

  /** Adds a number (no-op when it is already listed) with a ledger row. */
  async add(
    accountId: string,
    entry: { phone: string; phoneKey: string; source: DoNotContactSource; reason?: string; actor?: string },
  ): Promise<{ isNew: boolean; entry: DoNotContactEntry }> {
    return this.knex.transaction(async (trx) => {
      await lockNumberForListChange(trx, accountId, entry.phone);
      const inserted = await trx('do_not_contact')
        .insert({
          account_id: accountId,
          phone: entry.phone,
          phone_key: entry.phoneKey,
          source: entry.source,
          reason: entry.reason ?? null,
          actor: entry.actor ?? null,
        })
        .onConflict(['account_id', 'phone'])
        .ignore()
        .returning('*');
      if (inserted.length > 0) {
        await trx('consent_events').insert(ledgerRow(accountId, entry.phone, 'do_not_contact_added', entry));
      }
      const row =
        inserted[0] ?? (await trx('do_not_contact').where({ account_id: accountId, phone: entry.phone }).first());
      return { isNew: inserted.length > 0, entry: toEntry(row) };
    });
  }

  /** Removes a number with the recorded reason; false when it was not listed. */
  async remove(accountId: string, phone: string, removal: { reason: string; actor: string }): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      await lockNumberForListChange(trx, accountId, phone);
      const removed = await trx('do_not_contact').where({ account_id: accountId, phone }).del();
      if (removed === 0) return false;
      await trx('consent_events').insert(
        ledgerRow(accountId, phone, 'do_not_contact_removed', { source: 'operator', ...removal }),
      );
      return true;
    });
  }

  /**
   * Imports many numbers in ONE transaction (nothing half-imported), in batches, reporting progress after each.
   * Numbers already listed are counted, not duplicated.
   */
  async importMany(
    accountId: string,
    rows: ImportRow[],
    actor: string,
    onProgress: (done: number) => void | Promise<void>,
  ): Promise<{ added: number; alreadyListed: number }> {
    return this.knex.transaction(async (trx) => {
      let added = 0;
      for (let start = 0; start < rows.length; start += IMPORT_BATCH) {
        const batch = rows.slice(start, start + IMPORT_BATCH);
        const inserted = await trx('do_not_contact')
          .insert(
            batch.map((row) => ({
              account_id: accountId,
              phone: row.phone,
              phone_key: row.phoneKey,
              source: row.source,
              reason: row.reason ?? null,
              actor,
            })),
          )
          .onConflict(['account_id', 'phone'])
          .ignore()
          .returning(['phone', 'source', 'reason']);
        if (inserted.length > 0) {
          await trx('consent_events').insert(
            inserted.map((row: { phone: string; source: string; reason: string | null }) =>
              ledgerRow(accountId, row.phone, 'do_not_contact_added', {
                source: row.source,
                reason: row.reason ?? undefined,
                actor,
                via: 'import',
              }),
            ),
          );
        }
        added += inserted.length;
        await onProgress(Math.min(start + batch.length, rows.length));
      }
      return { added, alreadyListed: rows.length - added };
    });
  }
}

function ledgerRow(
  accountId: string,
  phone: string,
  eventType: 'do_not_contact_added' | 'do_not_contact_removed',
  details: { source: string; reason?: string; actor?: string; via?: string },
) {
  return {
    event_key: `dnc:${randomUUID()}`,
    account_id: accountId,
    phone,
    event_type: eventType,
    source: details.source,
    actor: details.actor ?? null,
    details: JSON.stringify({ reason: details.reason ?? null, via: details.via ?? 'api' }),
    occurred_at: new Date().toISOString(),
  };
}

function toEntry(row: Record<string, unknown>): DoNotContactEntry {
  return {
    phone: row.phone as string,
    source: row.source as DoNotContactSource,
    reason: (row.reason as string | null) ?? null,
    actor: (row.actor as string | null) ?? null,
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}

function encodeCursor(createdAt: string, phone: string): string {
  return Buffer.from(JSON.stringify([createdAt, phone])).toString('base64url');
}

/** Reads a listing cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): { createdAt: string; phone: string } | undefined {
  try {
    const [createdAt, phone] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof phone === 'string' && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, phone };
    }
  } catch {
    // fall through
  }
  return undefined;
}
