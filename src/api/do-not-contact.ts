import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import express from 'express';
import type { Client } from '@temporalio/client';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  decodeCursor,
  type DoNotContactRepository,
  type DoNotContactSource,
  type ImportRow,
} from '../db/do-not-contact-repository';
import type { LeadSearchRepository } from '../db/lead-search-repository';
import { signalDoNotContactChanged } from '../consent/signal-number';
import { HttpError, validationError } from '../errors';
import { phoneInputSchema, phoneKeyOf, toE164 } from '../phone';
import { principalOf, requireRole } from './auth';
import {
  AT_LEAST_3_TRIMMED,
  AT_LEAST_3_TRIMMED_MESSAGE,
  NO_NUL,
  NO_NUL_MESSAGE,
  NOT_BLANK,
  NOT_BLANK_MESSAGE,
} from './text-rules';

const SOURCES = ['sms', 'phone_call', 'email', 'web', 'operator'] as const;
const MAX_IMPORT_ROWS = 100_000;
/** Body of POST /v1/do-not-contact. */
export const addDoNotContactSchema = z
  .object({
    phone: phoneInputSchema,
    source: z.enum(SOURCES),
    reason: z.string().max(500).trim().regex(NO_NUL, NO_NUL_MESSAGE).optional(),
  })
  .strict();
/** Body of DELETE /v1/do-not-contact. */
export const removeDoNotContactSchema = z
  .object({
    phone: phoneInputSchema,
    reason: z
      .string()
      .max(500)
      .trim()
      .min(3)
      .regex(AT_LEAST_3_TRIMMED, AT_LEAST_3_TRIMMED_MESSAGE)
      .regex(NO_NUL, NO_NUL_MESSAGE),
  })
  .strict();
/** Query of GET /v1/do-not-contact: one number (`phone`), or a page of the list. */
export const doNotContactQuerySchema = z.object({
  phone: phoneInputSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** Query of GET /v1/do-not-contact/search. Trimmed by the route, so the document can state the rules as they are. */
export const doNotContactLeadSearchQuerySchema = z.object({
  q: z
    .string({ error: 'q is required: a phone number or a lead ID' })
    .max(128, 'q must be at most 128 characters')
    .regex(NOT_BLANK, `q ${NOT_BLANK_MESSAGE}`)
    .regex(NO_NUL, `q ${NO_NUL_MESSAGE}`),
});

/** Dependencies of the Do Not Contact routes. */
export interface DoNotContactRouteDeps {
  client: Client;
  doNotContact: DoNotContactRepository;
  leadSearch: LeadSearchRepository;
  phoneHashKey: string;
}

/**
 * /v1/do-not-contact: search, list, add (any reasonable means of revocation: sms, phone_call, email, web,
 * operator), remove (admin, with a reason) and CSV import (admin). Each change also reaches the number's workflow,
 * which cancels held texts (added) or resets rejected leads to a fresh opt-in (removed).
 */
export function doNotContactRouter(deps: DoNotContactRouteDeps): Router {
  const router = Router();
  const parsePhone = (raw: string) => {
    const phone = toE164(raw);
    if (!phone)
      throw new HttpError(400, 'invalid_phone', 'phone is not a valid phone number (E.164, e.g. +14155550123)');
    return phone;
  };

  router.get('/', async (req, res) => {
    const parsed = doNotContactQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const { accountId } = principalOf(res);
    if (parsed.data.phone) {
      const phone = parsePhone(parsed.data.phone);
      const entry = await deps.doNotContact.find(accountId, phone);
      res.json({ phone, isOnDoNotContact: entry !== undefined, entry });
      return;
    }
    if (parsed.data.cursor && !decodeCursor(parsed.data.cursor)) {
      throw new HttpError(400, 'invalid_request', 'cursor is not valid');
    }
    res.json(await deps.doNotContact.list(accountId, { limit: parsed.data.limit, cursor: parsed.data.cursor }));
  });

  // One search box for both, so `q` is read both ways: a lead ID may well look like a phone number.
  router.get('/search', async (req, res) => {
    const parsed = doNotContactLeadSearchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const { accountId } = principalOf(res);
    const query = parsed.data.q.trim();
    const asPhone = toE164(query);
    const phones = new Set([...(asPhone ? [asPhone] : []), ...(await deps.leadSearch.numbersOfLead(accountId, query))]);
    const leads = await deps.leadSearch.leadsOnNumbers(accountId, [...phones]);
    const numbers = await Promise.all(
      [...phones].map(async (phone) => {
        const entry = await deps.doNotContact.find(accountId, phone);
        return {
          phone,
          isOnDoNotContact: entry !== undefined,
          entry,
          leads: leads.filter((lead) => lead.phone === phone),
        };
      }),
    );
    res.json({ query, numbers });
  });

  router.post('/', async (req, res) => {
    const parsed = addDoNotContactSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const principal = principalOf(res);
    const phone = parsePhone(parsed.data.phone);
    const phoneKey = phoneKeyOf(phone, deps.phoneHashKey);
    const { isNew, entry } = await deps.doNotContact.add(principal.accountId, {
      phone,
      phoneKey,
      source: parsed.data.source,
      reason: parsed.data.reason,
      actor: principal.keyId,
    });
    await signalDoNotContactChanged(
      deps.client,
      { accountId: principal.accountId, phone, phoneKey },
      {
        eventId: randomUUID(),
        change: 'added',
        source: parsed.data.source === 'sms' ? 'operator' : parsed.data.source,
        reason: parsed.data.reason,
        actor: principal.keyId,
        occurredAt: new Date().toISOString(),
      },
    );
    res.status(isNew ? 201 : 200).json({ ...entry, isNew });
  });

  router.delete('/', requireRole('admin'), async (req, res) => {
    const parsed = removeDoNotContactSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const principal = principalOf(res);
    const phone = parsePhone(parsed.data.phone);
    const removed = await deps.doNotContact.remove(principal.accountId, phone, {
      reason: parsed.data.reason,
      actor: principal.keyId,
    });
    if (!removed) throw new HttpError(404, 'not_found', 'this number is not on the Do Not Contact list');
    await signalDoNotContactChanged(
      deps.client,
      { accountId: principal.accountId, phone, phoneKey: phoneKeyOf(phone, deps.phoneHashKey) },
      {
        eventId: randomUUID(),
        change: 'removed',
        source: 'operator',
        reason: parsed.data.reason,
        actor: principal.keyId,
        occurredAt: new Date().toISOString(),
      },
    );
    res.status(204).end();
  });

  router.post(
    '/import',
    requireRole('admin'),
    express.text({ type: ['text/csv', 'text/plain'], limit: '8mb' }),
    async (req, res) => {
      await importCsv(req, res, deps);
    },
  );

  return router;
}

/**
 * CSV import of an existing suppression list: a `phone` column (header optional), optional `source` and `reason`.
 * Every row is validated first. With bad rows nothing is imported (422 lists them) unless `?skipInvalid=true`,
 * which imports the good rows and lists the bad ones. The import is one transaction: all of it or none of it.
 * Progress: with `Accept: application/x-ndjson` the answer streams one progress line per batch, then the summary.
 * Imported numbers are blocked at once by the send gate; their workflows learn of it at their next event.
 */
async function importCsv(req: Request, res: Response, deps: DoNotContactRouteDeps): Promise<void> {
  if (typeof req.body !== 'string' || req.body.trim().length === 0) {
    throw new HttpError(400, 'invalid_request', 'send the CSV as the body with Content-Type: text/csv');
  }
  const skipInvalid = req.query.skipInvalid === 'true';
  let records: string[][];
  try {
    records = parseCsv(req.body, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new HttpError(400, 'invalid_csv', `the CSV could not be parsed: ${(error as Error).message.slice(0, 200)}`);
  }
  const header = records[0]?.map((cell) => cell.toLowerCase());
  const hasHeader = header?.includes('phone') ?? false;
  const column = (name: string, fallback: number) => (hasHeader ? (header?.indexOf(name) ?? -1) : fallback);
  const [phoneCol, sourceCol, reasonCol] = [column('phone', 0), column('source', 1), column('reason', 2)];
  const dataRows = hasHeader ? records.slice(1) : records;
  if (dataRows.length > MAX_IMPORT_ROWS) {
    throw new HttpError(413, 'too_many_rows', `at most ${MAX_IMPORT_ROWS} rows per import`);
  }

  const good: ImportRow[] = [];
  const bad: { line: number; value: string; error: string }[] = [];
  const seen = new Set<string>();
  dataRows.forEach((cells, index) => {
    const line = index + (hasHeader ? 2 : 1);
    const rawPhone = cells[phoneCol] ?? '';
    const phone = toE164(rawPhone);
    const source = (cells[sourceCol] ?? '').toLowerCase() || 'import';
    if (!phone) bad.push({ line, value: rawPhone.slice(0, 40), error: 'not a valid phone number' });
    else if (!['import', ...SOURCES].includes(source))
      bad.push({ line, value: source.slice(0, 40), error: 'unknown source' });
    else if (!seen.has(phone)) {
      seen.add(phone);
      good.push({
        phone,
        phoneKey: phoneKeyOf(phone, deps.phoneHashKey),
        source: source as DoNotContactSource,
        reason: (cells[reasonCol] ?? '').slice(0, 500) || undefined,
      });
    }
  });
  if (bad.length > 0 && !skipInvalid) {
    throw new HttpError(422, 'invalid_rows', `${bad.length} rows are invalid; nothing was imported`, {
      badRows: bad.slice(0, 1000),
    });
  }

  const principal = principalOf(res);
  const streaming = (req.get('accept') ?? '').includes('application/x-ndjson');
  if (streaming) {
    res.status(200).type('application/x-ndjson');
  }
  const summary = await deps.doNotContact.importMany(principal.accountId, good, principal.keyId, (done) => {
    if (streaming) res.write(`${JSON.stringify({ progress: done, total: good.length })}\n`);
  });
  const result = {
    rows: dataRows.length,
    ...summary,
    duplicatesInFile: dataRows.length - bad.length - good.length,
    badRows: bad,
  };
  if (streaming) {
    res.end(`${JSON.stringify({ done: true, ...result })}\n`);
    return;
  }
  res.json(result);
}
