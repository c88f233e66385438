import { Router } from 'express';
import { z } from 'zod';
import type { MessagesRepository } from '../db/messages-repository';
import { HttpError, validationError } from '../errors';
import { phoneInputSchema, toE164 } from '../phone';
import { principalOf } from './auth';

const EXPORT_PAGE = 1000;
/** Query of GET /v1/consent-events/export. */
export const consentExportQuerySchema = z.object({ phone: phoneInputSchema });

/**
 * GET /v1/consent-events/export?phone=: the number's full consent history (every ledger row, oldest first) as
 * JSON lines, streamed from Postgres so a long history never sits in memory. This is the evidence a regulator
 * or a court asks for.
 */
export function consentEventsRouter(deps: { messages: MessagesRepository }): Router {
  const router = Router();
  router.get('/export', async (req, res) => {
    const parsed = consentExportQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const phone = toE164(parsed.data.phone);
    if (!phone) throw new HttpError(400, 'invalid_phone', 'phone is not a valid phone number');
    const { accountId } = principalOf(res);
    res.status(200).type('application/x-ndjson');
    res.setHeader('content-disposition', 'attachment; filename="consent-history.jsonl"');
    // Keyset pages by id: a long history is streamed without holding it in memory or a cursor open.
    let afterId = 0;
    for (;;) {
      const events = await deps.messages.numberEventsPage(accountId, phone, afterId, EXPORT_PAGE);
      for (const event of events) {
        if (!res.write(`${JSON.stringify(event)}\n`)) await new Promise((resolve) => res.once('drain', resolve));
      }
      const last = events.at(-1);
      if (!last || events.length < EXPORT_PAGE) break;
      afterId = Number(last.eventId);
    }
    res.end();
  });
  return router;
}
