import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { z } from 'zod';
import { queueMessageUpdate, smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { smsConsentWorkflow } from '../../workflows/sms-consent';
import type { AccountsRepository } from '../db/accounts-repository';
import type { MessagesRepository } from '../db/messages-repository';
import { consentWorkflowStartOptions } from '../consent/workflow-start';
import { HttpError, validationError } from '../errors';
import { phoneKeyOf, toE164 } from '../phone';
import { principalOf } from './auth';

/** SMS bodies longer than 10 concatenated segments are almost always a mistake (and cost 10x). */
const MAX_BODY_LENGTH = 1530;

/** Body of POST /v1/messages. */
export const queueMessageSchema = z
  .object({
    leadId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[\w.:@-]+$/, 'letters, digits and . _ : @ - only'),
    phone: z.string().trim().min(1).max(32),
    body: z.string().min(1).max(MAX_BODY_LENGTH),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** Dependencies of the messages routes. */
export interface MessagesRouteDeps {
  client: Client;
  accounts: AccountsRepository;
  messages: MessagesRepository;
  phoneHashKey: string;
}

/** POST /v1/messages: queue a text for a lead; the workflow decides (opt-in first, hold, send, block). */
export function messagesRouter(deps: MessagesRouteDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = queueMessageSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    if (input.body.trim().length === 0) throw new HttpError(400, 'invalid_request', 'body must not be blank');
    const phone = toE164(input.phone);
    if (!phone)
      throw new HttpError(400, 'invalid_phone', 'phone is not a valid phone number (E.164, e.g. +14155550123)');
    const principal = principalOf(res);

    if (input.idempotencyKey) {
      const existing = await deps.messages.findByIdempotencyKey(principal.accountId, input.idempotencyKey);
      if (existing) {
        const consent = existing.leadId
          ? await deps.messages.leadConsent(principal.accountId, existing.leadId)
          : undefined;
        res.status(200).json({
          messageId: existing.messageId,
          status: existing.status,
          optIn: consent?.status ?? 'not_sent',
          reason: existing.reason ?? undefined,
          duplicate: true,
        });
        return;
      }
    }

    const phoneKey = phoneKeyOf(phone, deps.phoneHashKey);
    const workflowId = smsConsentWorkflowId(principal.accountId, phoneKey);
    const messageId = randomUUID();
    // Update-with-start: one call starts the number's workflow if needed and waits for its decision, so the
    // answer says whether the opt-in went out. The update ID is the message ID, so a retried call is one update.
    const result = await deps.client.workflow.executeUpdateWithStart(queueMessageUpdate, {
      args: [
        {
          messageId,
          leadId: input.leadId,
          body: input.body,
          idempotencyKey: input.idempotencyKey,
          actor: principal.keyId,
        },
      ],
      updateId: messageId,
      startWorkflowOperation: new WithStartWorkflowOperation(smsConsentWorkflow, {
        ...consentWorkflowStartOptions({ accountId: principal.accountId, phone, phoneKey, workflowId }),
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    res.status(result.isDuplicate ? 200 : 202).json({
      messageId: result.messageId,
      status: result.status,
      optIn: result.optIn,
      reason: result.reason,
      duplicate: result.isDuplicate,
    });
  });
  return router;
}
