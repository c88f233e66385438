import { z } from 'zod';
import type { ConsentEventSource, OutboundKind } from '../../activities';
import type { MessageStatus } from '../../workflows/sms-consent.contract';
import { doNotContactSource, enumOf, leadOptInStatus } from '../openapi/response-schemas';
import type { DeliveryStatus, EventDelivery, EventEndpoint } from '../db/event-endpoints-repository';

/*
 * The catalogue of events pushed to CRM endpoints (docs/events.md), as zod schemas: the OpenAPI document's `webhooks`
 * section is generated from them, and the typed client (clients/typescript) from that. The database writes the
 * events (migration 20261212000000_crm_events.ts); each schema here must match what its trigger builds, which
 * test/events/event-delivery.test.ts checks by parsing every event it receives.
 */

const optInStatus = leadOptInStatus;
const listSource = doNotContactSource;
const consentSource = z.enum([...doNotContactSource.options, 'api', 'system'] satisfies ConsentEventSource[]);
const outboundKind = enumOf<OutboundKind>({
  lead: true,
  opt_in: true,
  opt_out_confirmation: true,
  opt_in_confirmation: true,
  help_reply: true,
  clarification: true,
});
/** The states of a text that are pushed: `queued` and `sending` are internal, `received` is inbound. */
export type PushedMessageStatus = Exclude<MessageStatus, 'queued' | 'sending' | 'received'>;
const pushedMessageStatus = enumOf<PushedMessageStatus>({
  held: true,
  scheduled: true,
  sent: true,
  delivered: true,
  failed: true,
  blocked: true,
  cancelled: true,
  expired: true,
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    type: z.literal(type),
    timestamp: z.string().describe('when the change happened, ISO 8601'),
    data,
  });

export const leadConsentChangedSchema = envelope(
  'lead.consent.changed',
  z.object({
    leadId: z.string(),
    phone: z.string().describe('E.164'),
    status: optInStatus,
    previousStatus: optInStatus,
    reason: z.string().nullable().describe('why, when the status says less than the whole story (e.g. hold_expired)'),
    source: consentSource.describe('how the change arrived: sms (a reply), api, operator, carrier, system …'),
  }),
);

export const messageStatusChangedSchema = envelope(
  'message.status.changed',
  z.object({
    messageId: z.uuid(),
    leadId: z.string().nullable().describe('null for texts that answer a number rather than a lead (HELP)'),
    kind: outboundKind,
    status: pushedMessageStatus,
    reason: z.string().nullable().describe('why a text was held, blocked, failed, cancelled or expired'),
    sendAt: z.string().nullable().describe('for `scheduled`: when the recipient’s sending window opens'),
  }),
);

export const doNotContactChangedSchema = envelope(
  'do_not_contact.changed',
  z.object({
    phone: z.string().describe('E.164'),
    change: z.enum(['added', 'removed']),
    source: listSource,
  }),
);

/** Every event a CRM endpoint can receive, by type; one body schema each. */
export const EVENT_CATALOGUE = {
  'lead.consent.changed': {
    schema: leadConsentChangedSchema,
    componentName: 'LeadConsentChangedEvent',
    summary: "A lead's opt-in status changed",
    description:
      'Sent, accepted (START), rejected (STOP or a carrier opt-out) or back to not sent. One event per lead: a STOP ' +
      'to a number with two leads sends two.',
  },
  'message.status.changed': {
    schema: messageStatusChangedSchema,
    componentName: 'MessageStatusChangedEvent',
    summary: 'An outbound text changed state',
    description:
      'Every state a CRM acts on: held (waiting for opt-in), scheduled (waiting for the sending window), sent, ' +
      'delivered, failed, blocked, cancelled, expired.',
  },
  'do_not_contact.changed': {
    schema: doNotContactChangedSchema,
    componentName: 'DoNotContactChangedEvent',
    summary: 'A number was added to or removed from the Do Not Contact list',
    description: 'By a STOP or START reply, a carrier opt-out, the API, the console, the CLI or an import.',
  },
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type CrmEvent = { [K in EventType]: z.infer<(typeof EVENT_CATALOGUE)[K]['schema']> }[EventType];

/** Any event, by its `type`. */
export const crmEventSchema = z.discriminatedUnion('type', [
  leadConsentChangedSchema,
  messageStatusChangedSchema,
  doNotContactChangedSchema,
]);

const timestamp = z.string().describe('ISO 8601 timestamp');
const deliveryStatus = enumOf<DeliveryStatus>({ pending: true, delivered: true, failed: true, cancelled: true });

/** An endpoint as the API shows it. */
export const eventEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  health: z.enum(['healthy', 'failing']).describe(`failing after 3 failed attempts in a row, until the next 2xx`),
  failingSince: timestamp.nullable(),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: timestamp.nullable(),
  lastFailureAt: timestamp.nullable(),
  createdAt: timestamp,
}) satisfies z.ZodType<EventEndpoint>;

export const eventEndpointWithSecretSchema = eventEndpointSchema.extend({
  secret: z.string().describe('`whsec_` and base64: the Standard Webhooks signing secret, shown only in this answer'),
});

export const eventEndpointListSchema = z.object({ endpoints: z.array(eventEndpointSchema) });

export const eventDeliverySchema = z.object({
  webhookId: z.string().describe('the `webhook-id` header of every attempt'),
  type: z.string(),
  occurredAt: timestamp,
  status: deliveryStatus,
  attempts: z.number().int(),
  lastAttemptAt: timestamp.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: timestamp.nullable(),
}) satisfies z.ZodType<EventDelivery>;

export const eventDeliveryListSchema = z.object({
  deliveries: z.array(eventDeliverySchema).describe('newest event first'),
});

export const replayResultSchema = z.object({
  replayed: z.number().int().describe('deliveries queued again (at most 1,000 a call)'),
  remaining: z.number().int().describe('failed deliveries still waiting for a replay: call again while above 0'),
});
