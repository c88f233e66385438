import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { LeadSearchRepository } from '../db/lead-search-repository';
import type { MessagesRepository } from '../db/messages-repository';
import { HttpError, validationError } from '../errors';
import { toE164 } from '../phone';
import { principalOf } from './auth';
import { NO_NUL, NO_NUL_MESSAGE } from './text-rules';

/** The `:leadId` path parameter of /v1/leads. */
export const leadIdSchema = z.string().min(1).max(128);

/** Query of GET /v1/leads. `q` is trimmed by the route; blank means the recent leads. */
export const leadSearchQuerySchema = z.object({
  q: z
    .string()
    .max(128, 'q must be at most 128 characters (a lead ID has at most 128)')
    .regex(NO_NUL, `q ${NO_NUL_MESSAGE}`)
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 200' })
    .int('limit must be a whole number from 1 to 200')
    .min(1, 'limit must be a whole number from 1 to 200')
    .max(200, 'limit must be a whole number from 1 to 200')
    .default(50),
});

/**
 * GET /v1/leads (find leads), and GET /v1/leads/:leadId/messages and /consent: a lead's text history and consent,
 * from Postgres.
 */
export function leadsRouter(deps: { messages: MessagesRepository; leadSearch: LeadSearchRepository }): Router {
  const router = Router();

  // A number-like `q` is read both as a number and as the start of a lead ID: CRMs use numeric IDs too.
  router.get('/', async (req, res) => {
    const parsed = leadSearchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const { accountId } = principalOf(res);
    const query = parsed.data.q?.trim() ?? '';
    const filter = query ? { leadIdPrefix: query, phone: toE164(query) } : {};
    res.json({ leads: await deps.leadSearch.findLeads(accountId, filter, parsed.data.limit) });
  });

  /** The caller's lead named by the path: 400 for a malformed ID, 404 for a lead the account never texted. */
  async function leadOfRequest(req: Request, res: Response) {
    const leadId = parseLeadId(req.params.leadId);
    const { accountId } = principalOf(res);
    const consent = await deps.messages.leadConsent(accountId, leadId);
    if (!consent) throw new HttpError(404, 'not_found', 'no such lead');
    return { accountId, leadId, consent };
  }

  router.get('/:leadId/messages', async (req, res) => {
    const { accountId, leadId, consent } = await leadOfRequest(req, res);
    const messages = await deps.messages.leadHistory(accountId, leadId);
    res.json({ leadId, optIn: consent.status ?? 'not_sent', messages });
  });

  router.get('/:leadId/consent', async (req, res) => {
    const { accountId, leadId, consent } = await leadOfRequest(req, res);
    const events = await deps.messages.consentEvents(accountId, leadId);
    const onDoNotContact = await deps.messages.doNotContactEntry(accountId, consent.phone);
    res.json({
      leadId,
      status: consent.status ?? 'not_sent',
      phone: consent.phone,
      reason: consent.reason ?? undefined,
      isOnDoNotContact: onDoNotContact !== undefined,
      updatedAt: consent.updatedAt,
      events,
    });
  });

  return router;
}

function parseLeadId(raw: unknown): string {
  const parsed = leadIdSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, 'leadId');
  return parsed.data;
}
