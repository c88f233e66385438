import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { z } from 'zod';
import {
  SMS_CONSENT_WORKFLOW_TYPE,
  queueMessageUpdate,
  smsConsentWorkflowId,
  type SmsConsentWorkflow,
} from '../../workflows/sms-consent.contract';
import type { AccountsRepository } from '../db/accounts-repository';
import type { MessagesRepository } from '../db/messages-repository';
import { consentWorkflowStartOptions } from '../consent/workflow-start';
import { HttpError, validationError } from '../errors';
import { phoneInputSchema, phoneKeyOf, toE164 } from '../phone';
import { renderTemplate } from '../consent/render-template';
import { fitsWithFooter, FOOTER, MAX_BODY_LENGTH, MAX_SENT_TEXT_LENGTH } from '../consent/footer';
import type { TemplatesRepository } from '../db/templates-repository';
import { isValidTimeZone } from '../sending-window/sending-window';
import { principalOf } from './auth';
import { NO_NUL, NO_NUL_MESSAGE, NOT_BLANK, NOT_BLANK_MESSAGE } from './text-rules';

/** Said whenever a text is too long, so the caller learns the limit and why it is below Vonage's own. */
export const TEXT_TOO_LONG_MESSAGE =
  `the text is longer than ${MAX_BODY_LENGTH} characters: an SMS is at most ${MAX_SENT_TEXT_LENGTH} characters, ` +
  `and the ${FOOTER.length + 1}-character opt-out footer ("${FOOTER}") is added to every text`;
// NUL is refused here because past this route the text goes to the workflow, whose activity would retry the
// failing insert forever and hold up every later text to the number.

/** Body of POST /v1/messages: a composed `body`, or a `templateId` with its `variables`. */
export const queueMessageSchema = z
  .object({
    // No trimming: what the document's pattern refuses (a space included), the server refuses too.
    leadId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.:@-]+$/, 'letters, digits and . _ : @ - only'),
    phone: phoneInputSchema,
    body: z.string().min(1).max(MAX_BODY_LENGTH, TEXT_TOO_LONG_MESSAGE).regex(NO_NUL, NO_NUL_MESSAGE).optional(),
    templateId: z.uuid().optional(),
    variables: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(500).regex(NO_NUL, NO_NUL_MESSAGE))
      .optional(),
    idempotencyKey: z
      .string()
      .max(200)
      .trim()
      .min(1)
      .regex(NO_NUL, NO_NUL_MESSAGE)
      .regex(NOT_BLANK, NOT_BLANK_MESSAGE)
      .optional(),
    timeZone: z
      .string()
      .max(64)
      .refine(isValidTimeZone, 'must be an IANA time zone, e.g. America/Chicago')
      // For the OpenAPI document: the zones the runtime knows by their canonical names (Intl also reads aliases).
      .meta({ enum: Intl.supportedValuesOf('timeZone') })
      .optional()
      .describe("the lead's IANA time zone, from the CRM's address; wins over the number's area code for quiet hours"),
    state: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter US state code, e.g. TX')
      .transform((code) => code.toUpperCase())
      .optional()
      .describe("the lead's US state (two letters); the state's quiet-hours rules apply on top of the window"),
  })
  .strict()
  .refine((value) => (value.body === undefined) !== (value.templateId === undefined), {
    message: 'give either body or templateId (with variables), not both',
  })
  .refine((value) => value.variables === undefined || value.templateId !== undefined, {
    message: 'variables go with templateId',
  })
  // The two refinements above, as JSON Schema for the OpenAPI document (zod cannot derive it from a refinement).
  .meta({
    oneOf: [
      { required: ['body'], properties: { templateId: false, variables: false } },
      { required: ['templateId'], properties: { body: false } },
    ],
  });

/** Dependencies of the messages routes. */
export interface MessagesRouteDeps {
  client: Client;
  templates: TemplatesRepository;
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
    const principal = principalOf(res);
    const text = await composeText(deps.templates, principal.accountId, input);
    const phone = toE164(input.phone);
    if (!phone) {
      throw new HttpError(400, 'invalid_phone', 'phone is not a valid phone number (E.164, e.g. +14155550123)');
    }

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
          body: text,
          templateId: input.templateId,
          idempotencyKey: input.idempotencyKey,
          actor: principal.keyId,
          ...(input.timeZone ? { timeZone: input.timeZone } : {}),
          ...(input.state ? { state: input.state } : {}),
        },
      ],
      updateId: messageId,
      startWorkflowOperation: new WithStartWorkflowOperation<SmsConsentWorkflow>(SMS_CONSENT_WORKFLOW_TYPE, {
        ...consentWorkflowStartOptions({ accountId: principal.accountId, phone, phoneKey, workflowId }),
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    res.status(result.isDuplicate ? 200 : 202).json({
      messageId: result.messageId,
      status: result.status,
      optIn: result.optIn,
      reason: result.reason,
      sendAt: result.sendAt,
      duplicate: result.isDuplicate,
    });
  });
  return router;
}

/** The text to queue: the composed body, or the template filled with every one of its variables (else 400). */
async function composeText(
  templates: TemplatesRepository,
  accountId: string,
  input: { body?: string; templateId?: string; variables?: Record<string, string> },
): Promise<string> {
  let text = input.body;
  if (input.templateId) {
    const template = await templates.find(accountId, input.templateId);
    if (!template) throw new HttpError(404, 'not_found', 'no such template');
    // Without a prototype, {{constructor}} or {{toString}} cannot resolve to an Object.prototype member (a 500).
    const variables = Object.assign(Object.create(null) as Record<string, string>, input.variables);
    const rendered = renderTemplate(template.body, variables);
    if (!rendered.ok) {
      throw new HttpError(400, 'missing_variables', `missing template variables: ${rendered.missing.join(', ')}`, {
        missing: rendered.missing,
      });
    }
    text = rendered.text;
  }
  if (!text || text.trim().length === 0) throw new HttpError(400, 'invalid_request', 'body must not be blank');
  // Checked on the rendered text: variables can make a short template too long to send.
  if (!fitsWithFooter(text)) throw new HttpError(400, 'text_too_long', TEXT_TOO_LONG_MESSAGE);
  return text;
}
