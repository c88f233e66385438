import { Router, type Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { z } from 'zod';
import { classifyInbound } from '../../workflows/classify-inbound';
import { inboundReceivedSignal, smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { smsConsentWorkflow } from '../../workflows/sms-consent';
import type { AccountsRepository } from '../db/accounts-repository';
import type { WebhookRepository } from '../db/webhook-repository';
import { validationError } from '../errors';
import { maskPhone, phoneKeyOf, toE164 } from '../phone';
import { consentWorkflowStartOptions } from '../consent/workflow-start';
import { parseJsonBody } from './signature-check';

/** Body of POST /webhooks/vonage/inbound: a Vonage Messages API inbound SMS. */
export const inboundMessageSchema = z.object({
  channel: z.literal('sms'),
  message_uuid: z.string().min(1).max(100),
  to: z.string().min(1).max(32),
  from: z.string().min(1).max(32),
  timestamp: z.string().min(1).max(64).optional(),
  message_type: z.string().max(32).optional(),
  // A NUL cannot be stored in Postgres text. A reply is never refused for it (a "STOP\0" must still opt out):
  // NULs are dropped before anything else reads the text.
  text: z
    .string()
    .max(10_000)
    .default('')
    .transform((text) => text.replaceAll(String.fromCharCode(0), '')),
});

/** Dependencies of the inbound webhook. */
export interface InboundWebhookDeps {
  client: Client;
  accounts: AccountsRepository;
  webhooks: WebhookRepository;
  phoneHashKey: string;
  logger: Logger;
  /** How long an opt-out waits for a text that is at the provider for the number before it answers 503. */
  stopSettleTimeoutMs: number;
}

/**
 * POST /webhooks/vonage/inbound: a reply from a number. Order: signature (checked before this router), body (400),
 * account by `to`, classify, commit to Postgres (an opt-out commits Do Not Contact here), one Temporal call, 200.
 */
export function inboundMessageRouter(deps: InboundWebhookDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = inboundMessageSchema.safeParse(parseJsonBody(req));
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    const to = toE164(body.to);
    const from = toE164(body.from);
    if (!to || !from) {
      res.status(400).json({ error: 'invalid_request', message: 'to and from must be valid phone numbers' });
      return;
    }
    const account = await deps.accounts.findBySenderNumber(to);
    if (!account) {
      // Retrying cannot help: no account owns this number. Acknowledge so Vonage stops, and say so in the log.
      deps.logger.warn({ receivingNumber: maskPhone(to) }, 'inbound SMS for a number no account owns');
      res.locals.webhookOutcome = 'ignored';
      res.status(200).json({ status: 'ignored', reason: 'unknown_number' });
      return;
    }
    const classification = classifyInbound(body.text, account.keywords);
    const phoneKey = phoneKeyOf(from, deps.phoneHashKey);
    const receivedAt = parseTimestamp(body.timestamp);
    const { isAlreadySignaled } = await deps.webhooks.recordInbound({
      accountId: account.id,
      phone: from,
      phoneKey,
      providerMessageId: body.message_uuid,
      text: body.text,
      intent: classification.intent,
      receivedAt,
    });
    if (isAlreadySignaled) {
      if (classification.intent === 'opt_out' && !(await sendsSettled(account.id, from)))
        return answerSendInFlight(res);
      res.locals.webhookOutcome = 'duplicate';
      res.status(200).json({ status: 'duplicate' });
      return;
    }
    if (classification.intent !== 'other') {
      const workflowId = smsConsentWorkflowId(account.id, phoneKey);
      await deps.client.workflow.signalWithStart(smsConsentWorkflow, {
        ...consentWorkflowStartOptions({ accountId: account.id, phone: from, phoneKey, workflowId }),
        signal: inboundReceivedSignal,
        signalArgs: [
          { providerMessageId: body.message_uuid, intent: classification.intent, text: body.text, receivedAt },
        ],
      });
    }
    await deps.webhooks.markSignaled('inbound', body.message_uuid);
    if (classification.intent === 'opt_out' && !(await sendsSettled(account.id, from))) return answerSendInFlight(res);
    deps.logger.info(
      {
        accountId: account.id,
        intent: classification.intent,
        rule: classification.rule,
        messageUuid: body.message_uuid,
      },
      'inbound SMS accepted',
    );
    res.locals.webhookOutcome = `accepted_${classification.intent}`;
    res.status(200).json({ status: 'accepted', intent: classification.intent });
  });

  /**
   * The opt-out is committed and the workflow has it, yet a text may still be on its way to the phone (see
   * WebhookRepository.waitForSendsToSettle). A 2xx would promise that nothing follows the STOP (invariant 2), so
   * answer 503: Vonage redelivers, the redelivery changes nothing else, and it gets its 200 once the send settled.
   */
  async function sendsSettled(accountId: string, phone: string): Promise<boolean> {
    const isSettled = await deps.webhooks.waitForSendsToSettle(accountId, phone, deps.stopSettleTimeoutMs);
    if (!isSettled) deps.logger.warn({ accountId }, 'opt-out recorded while a send was at the provider; answering 503');
    return isSettled;
  }
  return router;
}

function answerSendInFlight(res: Response): void {
  res.setHeader('retry-after', '5');
  res.status(503).json({
    error: 'send_in_flight',
    message: 'the opt-out is recorded and in force; a text sent before it is still at the provider, retry later',
  });
}

function parseTimestamp(value: string | undefined): string {
  const parsed = value ? new Date(value) : new Date();
  return Number.isNaN(parsed.getTime()) ? new Date().toISOString() : parsed.toISOString();
}
