import { Router, type Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { classifyInbound } from '../../workflows/classify-inbound';
import type { AccountsRepository } from '../db/accounts-repository';
import type { WebhookRepository } from '../db/webhook-repository';
import { validationError } from '../errors';
import { maskPhone, phoneKeyOf, toE164 } from '../phone';
import { signalInboundReply } from '../consent/signal-number';
import { parseJsonBody } from './signature-check';
import { normaliseInbound, type IgnoredReason, type VonageInbound } from './vonage-payloads';

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
 * POST /webhooks/vonage/inbound: a reply from a number, on any phone channel (SMS, MMS, RCS, WhatsApp, Viber) and in
 * either webhook format (see vonage-payloads.ts). Order: signature (checked before this router), body (400),
 * account by `to`, classify, commit to Postgres (an opt-out commits Do Not Contact here), one Temporal call, 200.
 */
export function inboundMessageRouter(deps: InboundWebhookDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = normaliseInbound(parseJsonBody(req));
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    // Only a phone number can opt in or out of texts. A Messenger id, an RCS agent or a Viber service id as `to`,
    // or a sender that is no number, is acknowledged: a retry would bring the same body, and a 4xx is never retried.
    if (!body.isFromPhone) return acknowledgeIgnored(res, body, 'not_a_phone_channel');
    const to = toE164(body.to);
    if (!to) return acknowledgeIgnored(res, body, 'unknown_number');
    const from = toE164(body.from);
    if (!from) return acknowledgeIgnored(res, body, 'sender_not_a_phone_number');
    const account = await deps.accounts.findBySenderNumber(to);
    if (!account) {
      // Retrying cannot help: no account owns this number. Acknowledge so Vonage stops, and say so in the log.
      deps.logger.warn({ receivingNumber: maskPhone(to) }, 'inbound SMS for a number no account owns');
      return acknowledgeIgnored(res, body, 'unknown_number');
    }
    const classification = classifyInbound(body.text, account.keywords);
    const phoneKey = phoneKeyOf(from, deps.phoneHashKey);
    const receivedAt = parseTimestamp(body.timestamp);
    const { isAlreadySignaled } = await deps.webhooks.recordInbound({
      accountId: account.id,
      phone: from,
      phoneKey,
      providerMessageId: body.messageUuid,
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
      await signalInboundReply(
        deps.client,
        { accountId: account.id, phone: from, phoneKey },
        {
          providerMessageId: body.messageUuid,
          intent: classification.intent,
          text: body.text,
          receivedAt,
          // The answer (confirmation, HELP, clarifying question) goes out in the language the reply used.
          ...(classification.language ? { language: classification.language } : {}),
        },
      );
    }
    await deps.webhooks.markSignaled('inbound', body.messageUuid);
    if (classification.intent === 'opt_out' && !(await sendsSettled(account.id, from))) return answerSendInFlight(res);
    deps.logger.info(
      {
        accountId: account.id,
        intent: classification.intent,
        rule: classification.rule,
        messageUuid: body.messageUuid,
        channel: body.channel,
        format: body.format,
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

  function acknowledgeIgnored(res: Response, body: VonageInbound, reason: IgnoredReason): void {
    deps.logger.info(
      { messageUuid: body.messageUuid, channel: body.channel, messageType: body.messageType, reason },
      'inbound message acknowledged without effect',
    );
    res.locals.webhookOutcome = 'ignored';
    res.status(200).json({ status: 'ignored', reason });
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
