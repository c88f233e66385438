import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DoNotContactSource } from '../../workflows/sms-consent.contract';
import {
  addManyToDoNotContact,
  addToDoNotContact,
  removeFromDoNotContact,
  type DoNotContactImportRow,
  type DoNotContactRow,
} from './do-not-contact';

export type { DoNotContactSource };

/** One number on the account's Do Not Contact list. */
export interface DoNotContactEntry {
  phone: string;
  source: DoNotContactSource;
  reason: string | null;
  actor: string | null;
  createdAt: string;
}

/** A row to import: already validated and normalised to E.164. */
export type ImportRow = DoNotContactImportRow;

const IMPORT_BATCH = 500;

/**
 * The Do Not Contact list as the API and the CLI see it: reads, and one transaction per change around the list's
 * one writer (do-not-contact.ts).
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
      const added = await addToDoNotContact(trx, {
        ...entry,
        accountId,
        causeKey: `api:${randomUUID()}`,
        occurredAt: new Date().toISOString(),
        details: { reason: entry.reason ?? null, via: 'api' },
      });
      const row = added ?? (await trx('do_not_contact').where({ account_id: accountId, phone: entry.phone }).first());
      return { isNew: added !== undefined, entry: toEntry(row) };
    });
  }

  /** Removes a number with the recorded reason; false when it was not listed. */
  async remove(accountId: string, phone: string, removal: { reason: string; actor: string }): Promise<boolean> {
    return this.knex.transaction((trx) =>
      removeFromDoNotContact(trx, {
        accountId,
        phone,
        causeKey: `api:${randomUUID()}`,
        source: 'operator',
        actor: removal.actor,
        occurredAt: new Date().toISOString(),
        details: { reason: removal.reason, via: 'api' },
      }),
    );
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
        added += await addManyToDoNotContact(trx, accountId, batch, {
          actor,
          causeKey: () => `import:${randomUUID()}`,
          details: { via: 'import' },
        });
        await onProgress(Math.min(start + batch.length, rows.length));
      }
      return { added, alreadyListed: rows.length - added };
    });
  }
}

function toEntry(row: DoNotContactRow): DoNotContactEntry {
  return {
    phone: row.phone,
    source: row.source,
    reason: row.reason ?? null,
    actor: row.actor ?? null,
    createdAt: new Date(row.created_at).toISOString(),
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
