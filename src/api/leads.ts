import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { MessagesRepository } from '../db/messages-repository';
import { HttpError, validationError } from '../errors';
import { principalOf } from './auth';

/** The `:leadId` path parameter of /v1/leads. */
export const leadIdSchema = z.string().min(1).max(128);

/** GET /v1/leads/:leadId/messages and /consent: a lead's text history and consent, from Postgres. */
export function leadsRouter(deps: { messages: MessagesRepository }): Router {
  const router = Router();

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
