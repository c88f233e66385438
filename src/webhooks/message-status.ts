import { Router } from 'express';
import type { Logger } from 'pino';
import type { Client } from '@temporalio/client';
import { signalDoNotContactChanged } from '../consent/signal-number';
import type { AccountsRepository } from '../db/accounts-repository';
import type { WebhookRepository } from '../db/webhook-repository';
import { validationError } from '../errors';
import { toE164 } from '../phone';
import { parseJsonBody } from './signature-check';
import { normaliseStatus } from './vonage-payloads';

/** Dependencies of the status webhook. */
export interface StatusWebhookDeps {
  client: Client;
  accounts: AccountsRepository;
  webhooks: WebhookRepository;
  logger: Logger;
}

/**
 * POST /webhooks/vonage/status: a delivery receipt moves our message forward (sent → delivered or failed). Any
 * channel, either webhook format (see vonage-payloads.ts).
 */
export function messageStatusRouter(deps: StatusWebhookDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = normaliseStatus(parseJsonBody(req));
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    // On a status callback `from` is our sending number: that is how the account is found.
    const sender = toE164(body.from);
    const accountId = sender ? await deps.accounts.findIdBySenderNumber(sender) : undefined;
    if (!accountId) {
      res.status(200).json({ status: 'ignored', reason: 'unknown_number' });
      return;
    }
    const { status } = body;
    if (!status) {
      // A status this service does not know moves nothing forward; a retry would bring the same body.
      deps.logger.warn(
        { messageUuid: body.messageUuid, status: body.reportedStatus },
        'status callback not understood',
      );
      res.locals.webhookOutcome = 'ignored';
      res.status(200).json({ status: 'ignored', reason: 'unknown_status' });
      return;
    }
    const parsedTimestamp = new Date(body.timestamp ?? '');
    const timestamp = Number.isNaN(parsedTimestamp.getTime()) ? new Date() : parsedTimestamp;
    const { matched, carrierOptOut } = await deps.webhooks.recordStatus({
      accountId,
      providerMessageId: body.messageUuid,
      clientRef: body.clientRef,
      status,
      error: body.error,
      timestamp: timestamp.toISOString(),
    });
    if (carrierOptOut) {
      await signalDoNotContactChanged(
        deps.client,
        { accountId, ...carrierOptOut },
        {
          eventId: `carrier:${body.messageUuid}`,
          change: 'added',
          source: 'carrier',
          reason: 'opted out at the carrier',
          occurredAt: timestamp.toISOString(),
        },
      );
    }
    if (!matched) deps.logger.warn({ messageUuid: body.messageUuid }, 'status for an unknown message');
    res.locals.webhookOutcome = matched ? `applied_${status}` : 'ignored';
    res.status(200).json({ status: matched ? 'applied' : 'ignored' });
  });
  return router;
}
