import { z } from 'zod';
import type { FailureReason, LeadOptInStatus, MessageStatus } from '../../workflows/sms-consent.contract';
import type { InboundIntent } from '../../workflows/classify-inbound';
import { REPLY_LANGUAGES } from '../../workflows/inbound-keywords';
import type { A2pStatus } from '../db/accounts-repository';
import type { DoNotContactEntry, DoNotContactSource } from '../db/do-not-contact-repository';
import type { LeadSummary } from '../db/lead-search-repository';
import type { ConsentEventView, MessageView } from '../db/messages-repository';
import type { SmsTemplate } from '../db/templates-repository';
import type { TextPreview } from '../consent/template-rules';
import { IGNORED_REASONS } from '../webhooks/vonage-payloads';

/**
 * Zod schemas of what the routes answer. The routes build their answers from repository types, not from zod, so
 * these exist for the OpenAPI document only. Each is tied to the type it describes with `satisfies`, and each enum
 * is built from a `Record<Union, true>`, so a field or value added to those types breaks the build here rather than
 * silently leaving the document behind.
 */

/** A zod enum of exactly the union's values: a value added to the union breaks the build until it is listed. */
export const enumOf = <T extends string>(values: Record<T, true>) => z.enum(Object.keys(values) as [T, ...T[]]);

export const leadOptInStatus = enumOf<LeadOptInStatus>({ not_sent: true, sent: true, accepted: true, rejected: true });
const messageStatus = enumOf<MessageStatus>({
  queued: true,
  held: true,
  scheduled: true,
  sending: true,
  sent: true,
  delivered: true,
  failed: true,
  blocked: true,
  cancelled: true,
  expired: true,
  received: true,
});
const failureReason = enumOf<FailureReason>({
  a2p_not_verified: true,
  invalid_number: true,
  provider_refused: true,
  provider_auth_failed: true,
  insufficient_balance: true,
  send_outcome_unknown: true,
  do_not_contact: true,
  lead_rejected: true,
  not_opted_in: true,
  hold_expired: true,
  opted_out: true,
  sends_paused: true,
  outside_sending_window: true,
  no_sending_window: true,
});
export const doNotContactSource = enumOf<DoNotContactSource>({
  sms: true,
  phone_call: true,
  email: true,
  web: true,
  operator: true,
  carrier: true,
  import: true,
});
const a2pStatus = enumOf<A2pStatus>({ unverified: true, pending: true, verified: true, failed: true });
const inboundIntent = enumOf<InboundIntent>({ opt_out: true, opt_in: true, help: true, unclear: true, other: true });
const timestamp = z.string().describe('ISO 8601 timestamp');

/** Every error body the error middleware writes. */
export const errorSchema = z.object({
  error: z.string().describe('machine-readable code, e.g. invalid_request, unauthorized, not_found'),
  message: z.string().describe('human-readable explanation; never contains a phone number'),
  details: z
    .unknown()
    .optional()
    .describe(
      'for invalid_request: a list of {path, message}; for missing_variables: {missing}; for invalid_rows: {badRows}',
    ),
  requestId: z.string().describe('the x-request-id of the request, for support'),
});

/** A webhook refusal: as errorSchema, except the inbound webhook's own "to/from not a phone number" 400 has no requestId. */
export const webhookErrorSchema = errorSchema.extend({ requestId: z.string().optional() });

/** 202/200 of POST /v1/messages. */
export const queueMessageResultSchema = z.object({
  messageId: z.uuid(),
  status: messageStatus,
  optIn: leadOptInStatus,
  reason: failureReason.optional().describe('why the text did not go out (status failed or blocked)'),
  sendAt: timestamp
    .optional()
    .describe(
      "quiet hours: when a `scheduled` text goes out, or when a held text's opt-in goes out, in the recipient's window",
    ),
  duplicate: z.boolean().describe('true when the idempotencyKey (or the retried call) was seen before'),
});

/** One text of a lead's history. */
export const messageViewSchema = z.object({
  messageId: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  kind: z
    .string()
    .describe('lead, opt_in, opt_out_confirmation, opt_in_confirmation, help_reply, clarification (outbound); inbound'),
  leadId: z.string().nullable(),
  body: z.string().describe('the text as sent, footer included'),
  status: messageStatus,
  reason: failureReason.nullable(),
  providerMessageId: z.string().nullable(),
  createdAt: timestamp,
  sentAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
  sendAt: timestamp.nullable().describe('quiet hours: when a `scheduled` text goes out'),
}) satisfies z.ZodType<MessageView>;

/** 200 of GET /v1/leads/{leadId}/messages. */
export const leadMessagesSchema = z.object({
  leadId: z.string(),
  optIn: leadOptInStatus,
  messages: z.array(messageViewSchema).describe('oldest first'),
});

/** One row of the consent ledger. */
export const consentEventSchema = z.object({
  eventId: z.string(),
  eventType: z.string().describe('e.g. opt_in_sent, opted_in, opted_out, do_not_contact_added, do_not_contact_removed'),
  source: z.string(),
  leadId: z.string().nullable(),
  rawText: z.string().nullable().describe('the inbound text, verbatim, for a consent change by SMS'),
  providerMessageId: z.string().nullable(),
  optInText: z.string().nullable().describe('the opt-in text the lead was shown'),
  actor: z.string().nullable(),
  messageId: z.string().nullable(),
  details: z.unknown(),
  occurredAt: timestamp,
  recordedAt: timestamp,
}) satisfies z.ZodType<ConsentEventView>;

/** 200 of GET /v1/leads/{leadId}/consent. */
export const leadConsentSchema = z.object({
  leadId: z.string(),
  status: leadOptInStatus,
  phone: z.string().describe('E.164'),
  reason: failureReason.optional().describe('why the opt-in was not sent (status not_sent)'),
  isOnDoNotContact: z.boolean(),
  updatedAt: timestamp,
  events: z.array(consentEventSchema),
});

/** A lead on one of its numbers, with its opt-in status. */
export const leadSummarySchema = z.object({
  leadId: z.string(),
  phone: z.string().describe('E.164'),
  status: leadOptInStatus,
  reason: failureReason.nullable().describe('why the opt-in was not sent (status not_sent); null otherwise'),
  updatedAt: timestamp.describe("when the lead's opt-in status last changed"),
}) satisfies z.ZodType<LeadSummary>;

/** 200 of GET /v1/leads. */
export const leadListSchema = z.object({ leads: z.array(leadSummarySchema).describe('newest change first') });

/** One line of GET /v1/consent-events/export (JSON lines). */
export const consentExportLineSchema = consentEventSchema.extend({ phone: z.string().describe('E.164') });

/** A Do Not Contact entry. */
export const doNotContactEntrySchema = z.object({
  phone: z.string().describe('E.164'),
  source: doNotContactSource,
  reason: z.string().nullable(),
  actor: z.string().nullable().describe('the API key id or the system that added it'),
  createdAt: timestamp,
}) satisfies z.ZodType<DoNotContactEntry>;

/** 200 of GET /v1/do-not-contact?phone=. */
export const doNotContactLookupSchema = z.object({
  phone: z.string().describe('the number, normalised to E.164'),
  isOnDoNotContact: z.boolean(),
  entry: doNotContactEntrySchema.optional(),
});

/** 200 of GET /v1/do-not-contact without phone: newest first. */
export const doNotContactPageSchema = z.object({
  items: z.array(doNotContactEntrySchema),
  nextCursor: z.string().optional().describe('pass as cursor for the next page; absent on the last page'),
});

/** 200 of GET /v1/do-not-contact: a lookup with `phone`, a page without. */
export const doNotContactSearchResultSchema = z.union([doNotContactLookupSchema, doNotContactPageSchema]);

/** 200 of GET /v1/do-not-contact/search. */
export const doNotContactLeadSearchSchema = z.object({
  query: z.string().describe('`q` as it was read (trimmed)'),
  numbers: z
    .array(
      doNotContactLookupSchema.extend({
        leads: z.array(leadSummarySchema).describe('every lead that texted the number, newest change first'),
      }),
    )
    .describe('the number `q` is, when it is a valid phone number, then each number the lead with ID `q` has texted'),
});

/** 201/200 of POST /v1/do-not-contact. */
export const doNotContactAddedSchema = doNotContactEntrySchema.extend({
  isNew: z.boolean().describe('false when the number was already listed (nothing changed)'),
});

/** 200 of POST /v1/do-not-contact/import (application/json). */
export const doNotContactImportSummarySchema = z.object({
  rows: z.number().int().describe('data rows in the file'),
  added: z.number().int(),
  alreadyListed: z.number().int(),
  duplicatesInFile: z.number().int(),
  badRows: z
    .array(z.object({ line: z.number().int(), value: z.string(), error: z.string() }))
    .describe('rows skipped with ?skipInvalid=true'),
});

/** 200 of GET/PUT /v1/settings/a2p. */
export const a2pSettingSchema = z.object({ status: a2pStatus });

/** 200 of GET/PUT /v1/settings/messaging. */
export const messagingSettingsResultSchema = z.object({
  holdLimitDays: z.number().describe('how long a text waits for START before it expires'),
  keywords: z
    .object({
      optOut: z.array(z.string()).optional(),
      optIn: z.array(z.string()).optional(),
      help: z.array(z.string()).optional(),
    })
    .describe("the account's keywords, on top of the built-in ones"),
});

const textPreviewSchema = z.object({
  text: z.string().describe('exactly what goes out, footer included'),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  units: z.number().int(),
  segments: z.number().int().describe('SMS segments billed'),
}) satisfies z.ZodType<TextPreview>;

/** 200 of GET/PUT /v1/settings/{name}. */
export const accountTextResultSchema = z.object({
  template: z.string(),
  preview: textPreviewSchema,
  language: z.enum(REPLY_LANGUAGES),
  isFallback: z.boolean(),
});

/** A template with its variables and preview. */
export const templateViewSchema = z.object({
  templateId: z.uuid(),
  name: z.string(),
  body: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  variables: z.array(z.string()).describe('the {{variables}} the body uses'),
  preview: textPreviewSchema,
}) satisfies z.ZodType<SmsTemplate & { variables: string[]; preview: TextPreview }>;

/** 200 of GET /v1/templates. */
export const templateListSchema = z.object({ templates: z.array(templateViewSchema) });

/** 200 of both webhooks. */
export const webhookAckSchema = z.object({
  status: z
    .enum(['accepted', 'duplicate', 'ignored', 'applied'])
    .describe('accepted/duplicate (inbound), applied (status), ignored (see `reason`, or an unknown message)'),
  intent: inboundIntent.optional().describe('how an accepted inbound text was classified'),
  reason: z.enum(IGNORED_REASONS).optional().describe('why a webhook was acknowledged without effect'),
});

/** 200 of GET /healthz. */
export const healthSchema = z.object({ status: z.literal('ok') });

/** 200/503 of GET /readyz. */
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  postgres: z.boolean(),
  temporal: z.boolean(),
});
