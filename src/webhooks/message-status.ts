import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { signalDoNotContactChanged } from '../consent/signal-number';
import type { AccountsRepository } from '../db/accounts-repository';
import type { WebhookRepository } from '../db/webhook-repository';
import { validationError } from '../errors';
import { toE164 } from '../phone';
import { parseJsonBody } from './signature-check';

/** Body of POST /webhooks/vonage/status: a Vonage Messages API status callback. */
export const messageStatusSchema = z.object({
  message_uuid: z.string().min(1).max(100),
  to: z.string().min(1).max(32),
  from: z.string().min(1).max(32),
  timestamp: z.string().min(1).max(64),
  status: z.enum(['submitted', 'delivered', 'rejected', 'undeliverable', 'read']),
  channel: z.string().max(32).optional(),
  client_ref: z.string().max(100).optional(),
  error: z.record(z.string(), z.unknown()).optional(),
});

/** Dependencies of the status webhook. */
export interface StatusWebhookDeps {
  client: Client;
  accounts: AccountsRepository;
  webhooks: WebhookRepository;
  logger: Logger;
}

/** POST /webhooks/vonage/status: a delivery receipt moves our message forward (sent → delivered or failed). */
export function messageStatusRouter(deps: StatusWebhookDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = messageStatusSchema.safeParse(parseJsonBody(req));
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    // On a status callback `from` is our sending number: that is how the account is found.
    const sender = toE164(body.from);
    const account = sender ? await deps.accounts.findBySenderNumber(sender) : undefined;
    if (!account) {
      res.status(200).json({ status: 'ignored', reason: 'unknown_number' });
      return;
    }
    const parsedTimestamp = new Date(body.timestamp);
    const timestamp = Number.isNaN(parsedTimestamp.getTime()) ? new Date() : parsedTimestamp;
    const { matched, carrierOptOut } = await deps.webhooks.recordStatus({
      accountId: account.id,
      providerMessageId: body.message_uuid,
      clientRef: body.client_ref,
      status: body.status,
      error: body.error,
      timestamp: timestamp.toISOString(),
    });
    if (carrierOptOut) {
      await signalDoNotContactChanged(
        deps.client,
        { accountId: account.id, ...carrierOptOut },
        {
          eventId: `carrier:${body.message_uuid}`,
          change: 'added',
          source: 'carrier',
          reason: 'opted out at the carrier',
          occurredAt: timestamp.toISOString(),
        },
      );
    }
    if (!matched) deps.logger.warn({ messageUuid: body.message_uuid }, 'status for an unknown message');
    res.locals.webhookOutcome = matched ? `applied_${body.status}` : 'ignored';
    res.status(200).json({ status: matched ? 'applied' : 'ignored' });
  });
  return router;
}
