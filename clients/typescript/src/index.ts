import createClient, { type Client } from 'openapi-fetch';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { components, operations, paths, webhooks } from './schema';

/*
 * A typed client for backend services (a CRM) that use the sms-consent API. Every request and response type comes
 * from ./schema.d.ts, which openapi-typescript generates from the API's OpenAPI document (/openapi.json), so a
 * request the API would refuse for its shape does not compile. `verifyEvent` checks a pushed event's Standard
 * Webhooks signature before anything trusts its body.
 */

export type { components, operations, paths, webhooks };
export { WebhookVerificationError };

/** Every named schema of the API. */
export type Schemas = components['schemas'];

/** Body of POST /v1/messages: `{leadId, phone, body}` or `{leadId, phone, templateId, variables}`. */
export type QueueMessageRequest = Schemas['QueueMessageRequest'];
/** Answer of POST /v1/messages: `{messageId, status, optIn, reason?, sendAt?, duplicate}`. */
export type QueueMessageResult = Schemas['QueueMessageResult'];
/** Answer of GET /v1/leads/{leadId}/consent. */
export type LeadConsent = Schemas['LeadConsent'];
/** Answer of GET /v1/leads/{leadId}/messages: the lead's texts in both directions, oldest first. */
export type LeadMessages = Schemas['LeadMessages'];
/** One text of a lead's history. */
export type Message = Schemas['Message'];
/** A lead's opt-in status: not_sent, sent, accepted or rejected. */
export type OptInStatus = LeadConsent['status'];
/** Body of POST /v1/event-endpoints. */
export type CreateEventEndpointRequest = Schemas['CreateEventEndpoint'];
/** Answer of POST /v1/event-endpoints: the endpoint with its signing secret, shown only then. */
export type EventEndpointWithSecret = Schemas['EventEndpointWithSecret'];
/** An event endpoint as the API shows it. */
export type EventEndpoint = Schemas['EventEndpoint'];
/** The body of every API error: `{error, message, details?, requestId}`. */
export type ApiError = Schemas['Error'];

/** Any event pushed to an event endpoint. Switch on `type` to narrow it. */
export type CrmEvent = Schemas['CrmEvent'];
/** Every event type: `lead.consent.changed`, `message.status.changed`, `do_not_contact.changed`. */
export type CrmEventType = CrmEvent['type'];
/** The event of one type, e.g. `CrmEventOf<'lead.consent.changed'>`. */
export type CrmEventOf<T extends CrmEventType> = Extract<CrmEvent, { type: T }>;
export type LeadConsentChangedEvent = Schemas['LeadConsentChangedEvent'];
export type MessageStatusChangedEvent = Schemas['MessageStatusChangedEvent'];
export type DoNotContactChangedEvent = Schemas['DoNotContactChangedEvent'];

/** The client: `GET`, `POST`, `PUT`, `DELETE` … on the API's paths, typed by the OpenAPI document. */
export type SmsConsentClient = Client<paths>;

export interface SmsConsentClientOptions {
  /** Where the API listens, e.g. `https://sms-consent.example.com`. */
  baseUrl: string;
  /** An API key (`sk_…`), role `agent` or `admin`; sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** A fetch to use instead of the global one (tests, proxies, retries). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A client for the API. Each call answers `{data, error, response}`: `data` on a 2xx, `error` (an {@link ApiError})
 * otherwise; it does not throw on an error status.
 *
 * @example
 * const api = createSmsConsentClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.API_KEY! });
 * const { data } = await api.POST('/v1/messages', { body: { leadId: 'lead-1', phone: '+12015550123', body: 'Hi' } });
 */
export function createSmsConsentClient(options: SmsConsentClientOptions): SmsConsentClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The request headers of a delivery: Node's `req.headers`, a Fetch `Headers`, or a plain record. */
export type EventHeaders = Headers | Record<string, string | string[] | undefined>;

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Verifies a delivery to an event endpoint (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) and answers its event. `rawBody` must be the body exactly as received, before any JSON
 * parsing. `secret` is the endpoint's `whsec_…` secret, or several: during a rotation pass the old and the new one,
 * and a delivery signed with any of them is accepted. Throws {@link WebhookVerificationError} when no secret verifies
 * the signature or the timestamp is more than five minutes from this machine's clock.
 */
export function verifyEvent(rawBody: string, headers: EventHeaders, secret: string | string[]): CrmEvent {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new Error('verifyEvent needs at least one secret');
  const signed = signatureHeaders(headers);
  let failure: unknown;
  for (const candidate of secrets) {
    try {
      return new Webhook(candidate).verify(rawBody, signed) as CrmEvent;
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

function signatureHeaders(headers: EventHeaders): Record<string, string> {
  const read = (name: string): string | undefined => {
    if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  const signed: Record<string, string> = {};
  for (const name of SIGNATURE_HEADERS) {
    const value = read(name);
    if (value !== undefined) signed[name] = value;
  }
  return signed;
}
