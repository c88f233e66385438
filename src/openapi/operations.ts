import { z } from 'zod';
import { consentExportQuerySchema } from '../api/consent-events';
import { addDoNotContactSchema, doNotContactQuerySchema, removeDoNotContactSchema } from '../api/do-not-contact';
import { leadIdSchema } from '../api/leads';
import { recentMessagesQuerySchema, recentMessagesResultSchema } from '../api/recent-messages';
import { queueMessageSchema } from '../api/messages';
import { MAX_BODY_LENGTH } from '../consent/footer';
import { a2pStatusSchema, accountTextSchema, messagingSettingsSchema } from '../api/settings';
import { createTemplateSchema, templateIdSchema, updateTemplateSchema } from '../api/templates';
import { codecPayloadsResultSchema, codecPayloadsSchema } from '../codec/codec-routes';
import { REPLY_LANGUAGES } from '../../workflows/inbound-keywords';
import { ACCOUNT_TEXTS } from '../consent/template-rules';
import { consoleAssetSchema, consoleConfigSchema } from '../console';
import { inboundMessageSchema, messageStatusSchema } from '../webhooks/vonage-payloads';
import * as responses from './response-schemas';

/**
 * Every route the app serves, described once. src/openapi.ts turns this table into the OpenAPI document; the
 * request schemas are the ones the routes validate with, so the document cannot drift from what is enforced.
 */

/** Who may call an operation. */
export type Access =
  | { kind: 'apiKey'; roles: readonly ('admin' | 'agent' | 'operator')[] }
  | { kind: 'vonageSignature' }
  | { kind: 'public' };

/** A named example; the tests parse every one with the schema it sits under. */
export interface Example {
  summary: string;
  value: unknown;
}

/** One media type of a request or response body. */
export interface MediaSpec {
  /** A zod schema registered in REQUEST_SCHEMAS or RESPONSE_SCHEMAS. */
  schema?: z.ZodType;
  /** For bodies with no zod schema (CSV, Prometheus text, HTML). */
  jsonSchema?: Record<string, unknown>;
  /** For JSON-lines bodies: the schema of one line. */
  lineSchema?: z.ZodType;
  examples?: Record<string, Example>;
}

/** A success (or otherwise operation-specific) response. */
export interface ResponseSpec {
  description: string;
  content?: Record<string, MediaSpec>;
}

/** Error statuses whose shared component response an operation uses, with what they mean for this operation. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/** One operation of the HTTP interface. */
export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, `{param}` style. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  access: Access;
  pathParams?: Record<string, { schema: z.ZodType; description: string }>;
  query?: { schema: z.ZodObject; descriptions: Record<string, string> };
  requestBody?: { description?: string; required: boolean; content: Record<string, MediaSpec> };
  responses: Partial<Record<number, ResponseSpec>>;
  errors: Partial<Record<ErrorStatus, string>>;
}

/** Request schemas by component name: each is the schema a route validates with. */
export const REQUEST_SCHEMAS = {
  QueueMessageRequest: queueMessageSchema,
  AddDoNotContactRequest: addDoNotContactSchema,
  RemoveDoNotContactRequest: removeDoNotContactSchema,
  A2pStatusRequest: a2pStatusSchema,
  MessagingSettingsRequest: messagingSettingsSchema,
  AccountTextRequest: accountTextSchema,
  CreateTemplateRequest: createTemplateSchema,
  UpdateTemplateRequest: updateTemplateSchema,
  VonageInboundMessage: inboundMessageSchema,
  VonageMessageStatus: messageStatusSchema,
  CodecPayloadsRequest: codecPayloadsSchema,
} satisfies Record<string, z.ZodType>;

/** Response schemas by component name. */
export const RESPONSE_SCHEMAS = {
  Error: responses.errorSchema,
  WebhookError: responses.webhookErrorSchema,
  QueueMessageResult: responses.queueMessageResultSchema,
  Message: responses.messageViewSchema,
  LeadMessages: responses.leadMessagesSchema,
  ConsentEvent: responses.consentEventSchema,
  LeadConsent: responses.leadConsentSchema,
  ConsentExportLine: responses.consentExportLineSchema,
  DoNotContactEntry: responses.doNotContactEntrySchema,
  DoNotContactLookup: responses.doNotContactLookupSchema,
  DoNotContactPage: responses.doNotContactPageSchema,
  DoNotContactSearchResult: responses.doNotContactSearchResultSchema,
  DoNotContactAdded: responses.doNotContactAddedSchema,
  DoNotContactImportSummary: responses.doNotContactImportSummarySchema,
  A2pSetting: responses.a2pSettingSchema,
  MessagingSettings: responses.messagingSettingsResultSchema,
  AccountText: responses.accountTextResultSchema,
  Template: responses.templateViewSchema,
  TemplateList: responses.templateListSchema,
  WebhookAck: responses.webhookAckSchema,
  Health: responses.healthSchema,
  Readiness: responses.readinessSchema,
  CodecPayloads: codecPayloadsResultSchema,
  RecentMessages: recentMessagesResultSchema,
  ConsoleConfig: consoleConfigSchema,
} satisfies Record<string, z.ZodType>;

const agent = { kind: 'apiKey', roles: ['admin', 'agent'] } as const;
const admin = { kind: 'apiKey', roles: ['admin'] } as const;
/** The people running the service, not a tenant: only they may decrypt payloads (they hold every account's data). */
const operator = { kind: 'apiKey', roles: ['operator'] } as const;
const vonage = { kind: 'vonageSignature' } as const;
const anyone = { kind: 'public' } as const;

const json = (schema: z.ZodType, examples?: Record<string, Example>): Record<string, MediaSpec> => ({
  'application/json': { schema, examples },
});

const accountTextName = z.enum(Object.keys(ACCOUNT_TEXTS) as [keyof typeof ACCOUNT_TEXTS]);
const leadIdParam = { leadId: { schema: leadIdSchema, description: "the CRM's id of the lead" } };
const templateIdParam = { templateId: { schema: templateIdSchema, description: 'the template id (UUID)' } };
const nameParam = {
  name: {
    schema: accountTextName,
    description: 'which account text; a2p and messaging have their own operations',
  },
};

/** Query of the account-text operations. */
const accountTextQuerySchema = z.object({ language: z.enum(REPLY_LANGUAGES).optional() });
const languageDescription =
  'en (the main text, the default), es or fr: the language of the replies this text answers (docs/keywords.md)';

const EXAMPLE_PHONE = '+14155550123';
const EXAMPLE_MESSAGE_ID = '6d1f0b4e-2c3a-4e5f-9a8b-7c6d5e4f3a21';
const EXAMPLE_TEMPLATE_ID = '3f0c1b9e-8a2d-4c6e-9f7a-1b2c3d4e5f60';
const EXAMPLE_PREVIEW = {
  text: 'Hi Dana, reminder: showing at 12 Elm St tomorrow at 10am.\nReply STOP to opt-out of future text communications.',
  encoding: 'GSM-7',
  units: 111,
  segments: 1,
};
const OPT_IN_TEMPLATE = 'Acme Realty: reply START to get texts about your home search. Msg & data rates may apply.';

const badBody = 'the body fails validation (`details` lists each problem with its path)';

const ENCRYPTED_PAYLOAD = {
  metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==', 'encryption-key-id': 'MjAyNi0wMQ==' },
  data: 'HKVJOfyl4M9bJoYFiSTIPkzB3tfWviTHL08Q7+enQ3zZE7baFU/fwD8Gmspd1lPJ',
};
const DECRYPTED_PAYLOAD = {
  metadata: { encoding: 'anNvbi9wbGFpbg==' },
  data: 'eyJsZWFkSWQiOiJsZWFkLTEwNDIiLCJib2R5IjoiSGkgRGFuYSJ9',
};
const CODEC_DESCRIPTION =
  "Temporal's remote codec protocol: the Web UI and `temporal --codec-endpoint <API>/v1/codec --codec-auth " +
  "'Bearer <operator key>'` POST a Payloads message in proto JSON (`metadata` values and `data` in base64). Every " +
  'payload the service sends to Temporal is encrypted with AES-256-GCM (`binary/encrypted`, with the key id in ' +
  '`encryption-key-id`), so this is how an operator reads phone numbers and texts in a history. CORS admits the ' +
  'origin of `TEMPORAL_UI_URL`; a preflight needs no key. Each call is logged with the key that made it.';

/** The HTTP interface, in the order the docs page shows it. */
export const OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/messages',
    operationId: 'queueMessage',
    summary: 'Queue a text for a lead',
    description:
      "Queues a composed `body`, or a `templateId` with its `variables`, for a lead. The number's consent workflow " +
      'decides: a new lead first gets the Opt-In template and the text is held until the number replies START; an ' +
      '`accepted` lead gets it now; a number on Do Not Contact is `blocked`; an account that is not A2P verified ' +
      'fails with `a2p_not_verified`. Give exactly one of `body` and `templateId`; `variables` go with `templateId`. ' +
      'A repeated `idempotencyKey` answers 200 with the first result and `duplicate: true`.',
    tag: 'messages',
    access: agent,
    requestBody: {
      required: true,
      content: json(queueMessageSchema, {
        composed: {
          summary: 'A composed text with an idempotency key',
          value: {
            leadId: 'lead-1042',
            phone: EXAMPLE_PHONE,
            body: 'Hi Dana, the 3-bed on Elm St is open Saturday 10-12. Want me to hold a slot?',
            idempotencyKey: 'crm-msg-88123',
          },
        },
        fromTemplate: {
          summary: 'A template filled with its variables',
          value: {
            leadId: 'lead-1042',
            phone: EXAMPLE_PHONE,
            templateId: EXAMPLE_TEMPLATE_ID,
            variables: { firstName: 'Dana', address: '12 Elm St', time: '10am' },
          },
        },
      }),
    },
    responses: {
      202: {
        description: "the workflow's decision",
        content: json(responses.queueMessageResultSchema, {
          heldForOptIn: {
            summary: 'A new lead: the opt-in went out and the text is held',
            value: { messageId: EXAMPLE_MESSAGE_ID, status: 'held', optIn: 'sent', duplicate: false },
          },
          blocked: {
            summary: 'The number is on Do Not Contact',
            value: {
              messageId: EXAMPLE_MESSAGE_ID,
              status: 'blocked',
              optIn: 'rejected',
              reason: 'do_not_contact',
              duplicate: false,
            },
          },
        }),
      },
      200: {
        description: 'the idempotencyKey was seen before: the first result, with duplicate true',
        content: json(responses.queueMessageResultSchema),
      },
    },
    errors: {
      400: `${badBody}; or the phone is not a valid number, template variables are missing, or the text (after the template is filled in) is longer than ${MAX_BODY_LENGTH} characters, which with the opt-out footer is the 1000 a Vonage SMS can carry`,
      404: 'no such template',
      413: 'body larger than 256 kB',
      422: 'the consent workflow rejected the message',
      429: 'this API key went over its requests or its sends a minute (texts cost money); retry after `Retry-After`',
    },
  },
  {
    method: 'get',
    path: '/v1/messages',
    operationId: 'listRecentMessages',
    summary: "The account's latest texts",
    description:
      "Texts in both directions across all leads, newest first, with their statuses: what the console's Messaging " +
      'Center shows and polls. `status` keeps one text status; `optIn` keeps the opt-in texts whose lead stands at ' +
      'that opt-in status (each opt-in text carries it as `optIn`: `sent` while it waits, `accepted` after START, ' +
      '`rejected` after STOP, `not_sent` when it could not go out).',
    tag: 'messages',
    access: agent,
    query: {
      schema: recentMessagesQuerySchema,
      descriptions: {
        limit: 'how many texts, newest first',
        status: 'only texts with this status',
        optIn: 'only opt-in texts whose lead has this opt-in status',
      },
    },
    responses: {
      200: {
        description: 'the texts',
        content: json(recentMessagesResultSchema, {
          optInWaiting: {
            summary: 'An opt-in waiting for START, and the held text behind it',
            value: {
              messages: [
                {
                  messageId: '7e2a9c1d-4b3f-4a5e-8d6c-1f2e3d4c5b6a',
                  direction: 'outbound',
                  kind: 'opt_in',
                  leadId: 'lead-1042',
                  phone: EXAMPLE_PHONE,
                  body: `${OPT_IN_TEMPLATE}\nReply STOP to opt-out of future text communications.`,
                  status: 'delivered',
                  reason: null,
                  providerMessageId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
                  createdAt: '2026-11-27T12:00:00.000Z',
                  sentAt: '2026-11-27T12:00:00.400Z',
                  deliveredAt: '2026-11-27T12:00:02.000Z',
                  optIn: 'sent',
                },
                {
                  messageId: EXAMPLE_MESSAGE_ID,
                  direction: 'outbound',
                  kind: 'lead',
                  leadId: 'lead-1042',
                  phone: EXAMPLE_PHONE,
                  body: 'Hi Dana, the 3-bed on Elm St is open Saturday 10-12. Want me to hold a slot?',
                  status: 'held',
                  reason: null,
                  providerMessageId: null,
                  createdAt: '2026-11-27T11:59:59.900Z',
                  sentAt: null,
                  deliveredAt: null,
                  optIn: null,
                },
              ],
            },
          },
        }),
      },
    },
    errors: { 400: 'invalid query (an unknown status, limit out of 1-200, or both status and optIn)' },
  },
  {
    method: 'get',
    path: '/v1/leads/{leadId}/messages',
    operationId: 'getLeadMessages',
    summary: "A lead's text history",
    description:
      "The lead's texts in both directions, oldest first, with statuses: the opt-in, held and sent texts, " +
      'confirmations and HELP replies, and the replies from its number.',
    tag: 'leads',
    access: agent,
    pathParams: leadIdParam,
    responses: { 200: { description: 'the history', content: json(responses.leadMessagesSchema) } },
    errors: { 400: 'leadId is empty or longer than 128 characters', 404: 'no such lead' },
  },
  {
    method: 'get',
    path: '/v1/leads/{leadId}/consent',
    operationId: 'getLeadConsent',
    summary: "A lead's consent",
    description:
      'The opt-in status (`not_sent` with the reason, `sent`, `accepted`, `rejected`), whether the number is on ' +
      "Do Not Contact, and the lead's consent ledger rows.",
    tag: 'leads',
    access: agent,
    pathParams: leadIdParam,
    responses: {
      200: {
        description: 'the consent',
        content: json(responses.leadConsentSchema, {
          accepted: {
            summary: 'A lead that replied START',
            value: {
              leadId: 'lead-1042',
              status: 'accepted',
              phone: EXAMPLE_PHONE,
              isOnDoNotContact: false,
              updatedAt: '2026-11-27T12:00:05.000Z',
              events: [
                {
                  eventId: '41',
                  eventType: 'opted_in',
                  source: 'sms',
                  leadId: 'lead-1042',
                  rawText: 'Start',
                  providerMessageId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
                  optInText: `${OPT_IN_TEMPLATE}\nReply STOP to opt-out of future text communications.`,
                  actor: null,
                  messageId: null,
                  details: {},
                  occurredAt: '2026-11-27T12:00:00.000Z',
                  recordedAt: '2026-11-27T12:00:05.000Z',
                },
              ],
            },
          },
        }),
      },
    },
    errors: { 400: 'leadId is empty or longer than 128 characters', 404: 'no such lead' },
  },
  {
    method: 'get',
    path: '/v1/do-not-contact',
    operationId: 'searchDoNotContact',
    summary: 'Look up a number, or page through the Do Not Contact list',
    description:
      'With `phone`: whether that number is on the list (`DoNotContactLookup`). Without: the list, newest first, ' +
      '`limit` entries at a time (`DoNotContactPage`).',
    tag: 'do-not-contact',
    access: agent,
    query: {
      schema: doNotContactQuerySchema,
      descriptions: {
        phone: 'the number to look up, any common format (normalised to E.164)',
        limit: 'page size, without phone',
        cursor: 'nextCursor of the previous page',
      },
    },
    responses: {
      200: {
        description: 'a lookup (with phone) or a page (without)',
        content: json(responses.doNotContactSearchResultSchema, {
          listed: {
            summary: 'A number on the list',
            value: {
              phone: EXAMPLE_PHONE,
              isOnDoNotContact: true,
              entry: {
                phone: EXAMPLE_PHONE,
                source: 'sms',
                reason: null,
                actor: null,
                createdAt: '2026-11-27T12:00:05.000Z',
              },
            },
          },
        }),
      },
    },
    errors: { 400: 'invalid query, phone or cursor' },
  },
  {
    method: 'post',
    path: '/v1/do-not-contact',
    operationId: 'addDoNotContact',
    summary: 'Add a number to the Do Not Contact list',
    description:
      'Records a revocation received by any reasonable means (FCC): by SMS, phone call, email, the web or an ' +
      "operator. The number's held texts are cancelled and nothing more is sent to it until it replies START.",
    tag: 'do-not-contact',
    access: agent,
    requestBody: {
      required: true,
      content: json(addDoNotContactSchema, {
        byEmail: {
          summary: 'A lead asked by email not to be texted',
          value: { phone: EXAMPLE_PHONE, source: 'email', reason: 'asked by email on 2026-11-02 not to be texted' },
        },
      }),
    },
    responses: {
      201: { description: 'added', content: json(responses.doNotContactAddedSchema) },
      200: {
        description: 'already listed; nothing changed (isNew false)',
        content: json(responses.doNotContactAddedSchema),
      },
    },
    errors: { 400: `${badBody}, or the phone is not a valid number`, 413: 'body larger than 256 kB' },
  },
  {
    method: 'delete',
    path: '/v1/do-not-contact',
    operationId: 'removeDoNotContact',
    summary: 'Remove a mistaken Do Not Contact entry',
    description:
      'Removes a number added by mistake, with the reason (kept in the ledger). Leads rejected on that number get ' +
      'a fresh opt-in at their next message. The body is JSON even though the method is DELETE.',
    tag: 'do-not-contact',
    access: admin,
    requestBody: {
      required: true,
      content: json(removeDoNotContactSchema, {
        wrongNumber: {
          summary: 'A typo when the number was added',
          value: { phone: EXAMPLE_PHONE, reason: 'added by mistake: wrong number typed' },
        },
      }),
    },
    responses: { 204: { description: 'removed' } },
    errors: {
      400: `${badBody}, or the phone is not a valid number`,
      404: 'the number is not on the list',
      413: 'body larger than 256 kB',
    },
  },
  {
    method: 'post',
    path: '/v1/do-not-contact/import',
    operationId: 'importDoNotContact',
    summary: 'Import a suppression list (CSV)',
    description:
      'A CSV with a `phone` column (header optional) and optional `source` and `reason` columns. Every row is ' +
      'checked first: with bad rows nothing is imported (422 lists them) unless `skipInvalid=true`. The import is ' +
      'one transaction. With `Accept: application/x-ndjson` the answer streams one progress line per batch, then ' +
      'the summary. Imported numbers are blocked at once.',
    tag: 'do-not-contact',
    access: admin,
    query: {
      schema: z.object({ skipInvalid: z.enum(['true', 'false']).optional() }),
      descriptions: { skipInvalid: 'import the valid rows and list the bad ones instead of refusing the file' },
    },
    requestBody: {
      required: true,
      content: {
        'text/csv': {
          jsonSchema: { type: 'string', description: 'phone[,source,reason] per line; source defaults to import' },
          examples: {
            withHeader: {
              summary: 'Three columns with a header',
              value: `phone,source,reason\n${EXAMPLE_PHONE},email,asked by email\n+14155550199,phone_call,\n`,
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'imported',
        content: {
          'application/json': { schema: responses.doNotContactImportSummarySchema },
          'application/x-ndjson': {
            jsonSchema: {
              type: 'string',
              description: '{"progress", "total"} per batch, then one line {"done": true, ...summary}',
            },
          },
        },
      },
    },
    errors: {
      400: 'no CSV body, or the CSV cannot be parsed',
      413: 'more than 100,000 rows or larger than 8 MB',
      422: 'some rows are invalid and skipInvalid is not true; details.badRows lists them; nothing was imported',
    },
  },
  {
    method: 'get',
    path: '/v1/consent-events/export',
    operationId: 'exportConsentEvents',
    summary: "Export a number's consent history",
    description:
      'Every consent ledger row for the number, oldest first, as JSON lines (one `ConsentExportLine` each), ' +
      'streamed as an attachment. This is the evidence a regulator or a court asks for.',
    tag: 'consent-events',
    access: agent,
    query: { schema: consentExportQuerySchema, descriptions: { phone: 'the number, any common format' } },
    responses: {
      200: {
        description: 'the ledger as JSON lines',
        content: {
          'application/x-ndjson': {
            jsonSchema: { type: 'string', description: 'one JSON object (ConsentExportLine) per line' },
            lineSchema: responses.consentExportLineSchema,
          },
        },
      },
    },
    errors: { 400: 'phone missing or not a valid number' },
  },
  {
    method: 'get',
    path: '/v1/settings/a2p',
    operationId: 'getA2pStatus',
    summary: "The account's A2P 10DLC status",
    description: 'Nothing is sent for an account whose status is not `verified`.',
    tag: 'settings',
    access: admin,
    responses: { 200: { description: 'the status', content: json(responses.a2pSettingSchema) } },
    errors: { 404: 'the account no longer exists' },
  },
  {
    method: 'put',
    path: '/v1/settings/a2p',
    operationId: 'setA2pStatus',
    summary: "Set the account's A2P 10DLC status",
    description: 'Recorded in the ledger. Leads whose opt-in was `not_sent` get it at their next message.',
    tag: 'settings',
    access: admin,
    requestBody: {
      required: true,
      content: json(a2pStatusSchema, {
        verified: { summary: 'The campaign was approved', value: { status: 'verified' } },
      }),
    },
    responses: { 200: { description: 'the new status', content: json(responses.a2pSettingSchema) } },
    errors: { 400: badBody, 413: 'body larger than 256 kB' },
  },
  {
    method: 'get',
    path: '/v1/settings/messaging',
    operationId: 'getMessagingSettings',
    summary: 'Hold limit and account keywords',
    description: "How long a held text waits for START, and the account's keywords on top of the built-in ones.",
    tag: 'settings',
    access: agent,
    responses: { 200: { description: 'the settings', content: json(responses.messagingSettingsResultSchema) } },
    errors: { 404: 'the account no longer exists' },
  },
  {
    method: 'put',
    path: '/v1/settings/messaging',
    operationId: 'setMessagingSettings',
    summary: 'Change the hold limit or the account keywords',
    description: 'Fields left out keep their value. A keyword list replaces the previous list.',
    tag: 'settings',
    access: admin,
    requestBody: {
      required: true,
      content: json(messagingSettingsSchema, {
        spanishKeywords: {
          summary: 'Two weeks, and Spanish keywords',
          value: { holdLimitDays: 14, keywords: { optOut: ['ALTO', 'PARAR'], optIn: ['SI'], help: ['AYUDA'] } },
        },
      }),
    },
    responses: { 200: { description: 'the settings now', content: json(responses.messagingSettingsResultSchema) } },
    errors: { 400: badBody, 404: 'the account no longer exists', 413: 'body larger than 256 kB' },
  },
  {
    method: 'get',
    path: '/v1/settings/{name}',
    operationId: 'getAccountText',
    summary: 'An account text (opt-in template, HELP reply, confirmations, clarification)',
    description:
      'The text and a preview of exactly what goes out (footer included) with its SMS segment count. With ' +
      '`language`, the text that answers a reply in that language; `isFallback` is true when the account has none ' +
      'and such a reply is answered with the main (English) text.',
    tag: 'settings',
    access: agent,
    pathParams: nameParam,
    query: { schema: accountTextQuerySchema, descriptions: { language: languageDescription } },
    responses: { 200: { description: 'the text', content: json(responses.accountTextResultSchema) } },
    errors: { 404: 'no such setting' },
  },
  {
    method: 'put',
    path: '/v1/settings/{name}',
    operationId: 'setAccountText',
    summary: 'Change an account text',
    description:
      'Checked against carrier rules after parsing (400 `invalid_template` lists each problem): at most 3 segments ' +
      'with the footer; the opt-in must say to reply START and "Msg & data rates may apply"; the HELP reply must ' +
      'say how to opt out (STOP) and "Msg & data rates may apply"; the opt-out confirmation must carry no link; ' +
      'the opt-in confirmation must say "Msg & data rates may apply" and how to get HELP; the clarification must say ' +
      "how to reply STOP and START. A text in another `language` is checked with that language's words (e.g. " +
      '"Pueden aplicarse tarifas de mensajes y datos", ALTO, AYUDA). Only the texts that answer a reply have ' +
      'languages (help-reply, opt-out-confirmation, opt-in-confirmation, clarification): 400 for the opt-in template.',
    tag: 'settings',
    access: admin,
    pathParams: nameParam,
    query: { schema: accountTextQuerySchema, descriptions: { language: languageDescription } },
    requestBody: {
      required: true,
      content: json(accountTextSchema, {
        optInTemplate: { summary: 'An opt-in template (name opt-in-template)', value: { template: OPT_IN_TEMPLATE } },
        helpReply: {
          summary: 'A HELP reply (name help-reply)',
          value: {
            template: 'Acme Realty: call 555-0100 for help. Msg & data rates may apply. Reply STOP to opt out.',
          },
        },
      }),
    },
    responses: { 200: { description: 'the text now', content: json(responses.accountTextResultSchema) } },
    errors: {
      400: `${badBody}, or the text breaks a rule (error invalid_template), or the language is not one of en, es, fr`,
      404: 'no such setting',
      413: 'body larger than 256 kB',
    },
  },
  {
    method: 'delete',
    path: '/v1/settings/{name}',
    operationId: 'removeLocalizedAccountText',
    summary: 'Remove an account text in another language',
    description: 'Replies in that language are answered with the main (English) text again.',
    tag: 'settings',
    access: admin,
    pathParams: nameParam,
    query: { schema: accountTextQuerySchema, descriptions: { language: languageDescription } },
    responses: { 204: { description: 'removed' } },
    errors: { 400: 'no language, `en`, or a text that has no other languages', 404: 'no such setting' },
  },
  {
    method: 'get',
    path: '/v1/templates',
    operationId: 'listTemplates',
    summary: "The account's SMS Text templates",
    description: 'Each with the `{{variables}}` it uses and a preview.',
    tag: 'templates',
    access: agent,
    responses: { 200: { description: 'the templates', content: json(responses.templateListSchema) } },
    errors: {},
  },
  {
    method: 'post',
    path: '/v1/templates',
    operationId: 'createTemplate',
    summary: 'Create a template',
    description: 'Names are unique within the account. Variables are written `{{name}}`.',
    tag: 'templates',
    access: admin,
    requestBody: {
      required: true,
      content: json(createTemplateSchema, {
        showingReminder: {
          summary: 'A reminder with three variables',
          value: {
            name: 'showing-reminder',
            body: 'Hi {{firstName}}, reminder: showing at {{address}} tomorrow at {{time}}.',
          },
        },
      }),
    },
    responses: {
      201: {
        description: 'created',
        content: json(responses.templateViewSchema, {
          created: {
            summary: 'The new template',
            value: {
              templateId: EXAMPLE_TEMPLATE_ID,
              name: 'showing-reminder',
              body: 'Hi {{firstName}}, reminder: showing at {{address}} tomorrow at {{time}}.',
              createdAt: '2026-11-27T12:00:00.000Z',
              updatedAt: '2026-11-27T12:00:00.000Z',
              variables: ['firstName', 'address', 'time'],
              preview: EXAMPLE_PREVIEW,
            },
          },
        }),
      },
    },
    errors: { 400: badBody, 409: 'a template with this name exists', 413: 'body larger than 256 kB' },
  },
  {
    method: 'get',
    path: '/v1/templates/{templateId}',
    operationId: 'getTemplate',
    summary: 'One template',
    description: 'The template with its variables and preview.',
    tag: 'templates',
    access: agent,
    pathParams: templateIdParam,
    responses: { 200: { description: 'the template', content: json(responses.templateViewSchema) } },
    errors: { 400: 'templateId is not a UUID', 404: 'no such template' },
  },
  {
    method: 'put',
    path: '/v1/templates/{templateId}',
    operationId: 'updateTemplate',
    summary: 'Rename a template or change its body',
    description: 'Give `name`, `body` or both.',
    tag: 'templates',
    access: admin,
    pathParams: templateIdParam,
    requestBody: {
      required: true,
      content: json(updateTemplateSchema, {
        newBody: {
          summary: 'A new body',
          value: { body: 'Hi {{firstName}}, see you at {{address}} at {{time}} tomorrow.' },
        },
      }),
    },
    responses: { 200: { description: 'the template now', content: json(responses.templateViewSchema) } },
    errors: {
      400: `${badBody}; or templateId is not a UUID`,
      404: 'no such template',
      409: 'a template with this name exists',
      413: 'body larger than 256 kB',
    },
  },
  {
    method: 'delete',
    path: '/v1/templates/{templateId}',
    operationId: 'deleteTemplate',
    summary: 'Delete a template',
    description: 'Texts already queued from it are not affected.',
    tag: 'templates',
    access: admin,
    pathParams: templateIdParam,
    responses: { 204: { description: 'deleted' } },
    errors: { 400: 'templateId is not a UUID', 404: 'no such template' },
  },
  {
    method: 'post',
    path: '/v1/codec/decode',
    operationId: 'decodePayloads',
    summary: 'Decrypt Temporal payloads (codec server)',
    description:
      `${CODEC_DESCRIPTION} Payloads that are not encrypted come back unchanged; the answer keeps the order of ` +
      'the request.',
    tag: 'operations',
    access: operator,
    requestBody: {
      required: true,
      content: json(codecPayloadsSchema, {
        encrypted: { summary: 'One encrypted payload from a history', value: { payloads: [ENCRYPTED_PAYLOAD] } },
      }),
    },
    responses: {
      200: {
        description: 'the payloads in clear',
        content: json(codecPayloadsResultSchema, {
          decrypted: { summary: 'The JSON the workflow received', value: { payloads: [DECRYPTED_PAYLOAD] } },
        }),
      },
    },
    errors: {
      400: `${badBody}; or a payload was altered, or its key id is not in PAYLOAD_ENCRYPTION_KEYS`,
      404: 'this API has no payload codec configured',
      413: 'body larger than 4 MB',
    },
  },
  {
    method: 'post',
    path: '/v1/codec/encode',
    operationId: 'encodePayloads',
    summary: 'Encrypt Temporal payloads (codec server)',
    description:
      `${CODEC_DESCRIPTION} The Web UI encodes this way what an operator types to start or signal a workflow; ` +
      'the newest key (the first of PAYLOAD_ENCRYPTION_KEYS) encrypts.',
    tag: 'operations',
    access: operator,
    requestBody: {
      required: true,
      content: json(codecPayloadsSchema, {
        clear: { summary: 'One payload in clear', value: { payloads: [DECRYPTED_PAYLOAD] } },
      }),
    },
    responses: {
      200: {
        description: 'the payloads encrypted',
        content: json(codecPayloadsResultSchema, {
          encrypted: { summary: 'Ready for Temporal', value: { payloads: [ENCRYPTED_PAYLOAD] } },
        }),
      },
    },
    errors: {
      400: badBody,
      404: 'this API has no payload codec configured',
      413: 'body larger than 4 MB',
    },
  },
  {
    method: 'post',
    path: '/webhooks/vonage/inbound',
    operationId: 'receiveInboundMessage',
    summary: 'Vonage: an inbound message',
    description:
      'A reply from a number, sent by the Vonage Messages API in the v1 or the v0.1 webhook format, on any ' +
      'channel. SMS, MMS, RCS, WhatsApp and Viber senders are phone numbers and are handled alike: the account is ' +
      'found by `to`, and the text read is the message text, an image, video or file caption, or the title of a ' +
      'tapped reply or button (none for stickers, locations and the like: such a message is stored and changes ' +
      'nothing). STOP (and the other opt-out words) commits the Do Not Contact row before the 200; START, HELP ' +
      "and ordinary replies reach the number's workflow. A redelivered `message_uuid`, a message to a number no " +
      'account owns, or one from a Messenger id (not a phone number) answers 200 and changes nothing. Only ' +
      '`message_uuid`, `to` and `from` are required; every other field is optional and extra fields are ignored.',
    tag: 'webhooks',
    access: vonage,
    requestBody: {
      required: true,
      content: json(inboundMessageSchema, {
        stop: {
          summary: 'A STOP reply',
          value: {
            channel: 'sms',
            message_type: 'text',
            message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
            to: '12015550100',
            from: '14155550123',
            timestamp: '2026-11-27T12:00:00Z',
            text: 'STOP',
            sms: { num_messages: '1', total_count: '1', keyword: 'STOP' },
          },
        },
        mmsCaption: {
          summary: 'A STOP as the caption of an MMS picture',
          value: {
            channel: 'mms',
            message_type: 'image',
            message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000002',
            to: '12015550100',
            from: '14155550123',
            timestamp: '2026-11-27T12:00:00Z',
            image: { url: 'https://example.com/image.jpg', caption: 'STOP' },
          },
        },
        v01: {
          summary: 'A STOP in the v0.1 webhook format',
          value: {
            message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000003',
            to: { type: 'sms', number: '12015550100' },
            from: { type: 'sms', number: '14155550123' },
            timestamp: '2026-11-27T12:00:00Z',
            message: { content: { type: 'text', text: 'STOP' }, sms: { num_messages: '1' } },
          },
        },
      }),
    },
    responses: {
      200: {
        description: 'accepted, a duplicate, or ignored (unknown number, or a sender that is not a phone number)',
        content: json(responses.webhookAckSchema, {
          optOut: { summary: 'A STOP was recorded', value: { status: 'accepted', intent: 'opt_out' } },
        }),
      },
    },
    errors: {
      400: 'the body is not JSON, or it has no `message_uuid`, `to` or `from`',
      401: 'the signature is refused',
      413: 'body larger than 64 kB',
      503:
        'unsigned (Vonage retries with a signed one), Postgres or Temporal is unavailable, or (`send_in_flight`) ' +
        'an opt-out arrived while a text to the number was still at the provider: the opt-out is already in force, ' +
        'and the redelivery is answered 200 once that text has settled',
    },
  },
  {
    method: 'post',
    path: '/webhooks/vonage/status',
    operationId: 'receiveMessageStatus',
    summary: 'Vonage: a status callback',
    description:
      'A delivery receipt (`submitted`, `delivered`, `rejected`, `undeliverable`, `read`) for a text we sent, in ' +
      'the v1 or the v0.1 webhook format (v0.1 `error` `{code, reason}` is read like v1 `{title, detail}`). The ' +
      'account is found by `from` (our sending number); the text by `message_uuid`, else by `client_ref` (our ' +
      'message id). A carrier-level opt-out puts the number on Do Not Contact. Any other status answers 200 and ' +
      'changes nothing. Only `message_uuid`, `to` and `from` are required.',
    tag: 'webhooks',
    access: vonage,
    requestBody: {
      required: true,
      content: json(messageStatusSchema, {
        delivered: {
          summary: 'Delivered to the handset',
          value: {
            message_uuid: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
            to: '14155550123',
            from: '12015550100',
            timestamp: '2026-11-27T12:00:03Z',
            status: 'delivered',
            channel: 'sms',
            client_ref: EXAMPLE_MESSAGE_ID,
          },
        },
        rejected: {
          summary: 'Refused by the carrier',
          value: {
            message_uuid: 'bbbbbbbb-cccc-4ddd-8eee-000000000001',
            to: '14155550123',
            from: '12015550100',
            timestamp: '2026-11-27T12:00:03Z',
            status: 'rejected',
            channel: 'sms',
            error: {
              type: 'https://developer.vonage.com/api-errors/messages#1320',
              title: '1320',
              detail: 'Message already sent',
            },
          },
        },
      }),
    },
    responses: {
      200: {
        description: 'applied, or ignored (unknown number or message)',
        content: json(responses.webhookAckSchema, {
          applied: { summary: 'The text moved forward', value: { status: 'applied' } },
        }),
      },
    },
    errors: {
      400: 'the body is not JSON, or it has no `message_uuid`, `to` or `from`',
      401: 'the signature is refused',
      413: 'body larger than 64 kB',
      503: 'unsigned (Vonage retries with a signed one), or Postgres or Temporal is unavailable',
    },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness',
    description: 'The process is up; checks nothing else.',
    tag: 'operations',
    access: anyone,
    responses: { 200: { description: 'alive', content: json(responses.healthSchema) } },
    errors: {},
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness',
    description: '200 when Postgres and Temporal both answer, else 503 with which one failed.',
    tag: 'operations',
    access: anyone,
    responses: {
      200: { description: 'ready', content: json(responses.readinessSchema) },
      503: { description: 'not ready', content: json(responses.readinessSchema) },
    },
    errors: {},
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'HTTP latency by route, webhook outcomes, and texts, held texts and consent events counted in Postgres.',
    tag: 'operations',
    access: anyone,
    responses: {
      200: {
        description: 'Prometheus text exposition format',
        content: { 'text/plain': { jsonSchema: { type: 'string' } } },
      },
    },
    errors: {},
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description: 'OpenAPI 3.1, generated from the schemas the routes validate with.',
    tag: 'documentation',
    access: anyone,
    responses: {
      200: { description: 'the document', content: { 'application/json': { jsonSchema: { type: 'object' } } } },
    },
    errors: {},
  },
  {
    method: 'get',
    path: '/v1/codec/session',
    operationId: 'getCodecSessionPage',
    summary: 'Page to open a codec session for the Temporal Web UI',
    description:
      'An HTML form (no scripts) where an operator pastes an admin API key. The Web UI cannot send our key, so the ' +
      'session cookie carries it to /v1/codec/decode once "Include cross-origin credentials" is on in the UI.',
    tag: 'operations',
    access: anyone,
    responses: { 200: { description: 'the page', content: { 'text/html': { jsonSchema: { type: 'string' } } } } },
    errors: {},
  },
  {
    method: 'post',
    path: '/v1/codec/session',
    operationId: 'openCodecSession',
    summary: 'Open a codec session (sets an HttpOnly, SameSite=Strict cookie for /v1/codec, 8 hours)',
    description: 'Form post of `apiKey`; only an active operator key opens a session. Answers the page again.',
    tag: 'operations',
    access: anyone,
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          jsonSchema: { type: 'object', properties: { apiKey: { type: 'string' } }, required: ['apiKey'] },
          examples: { admin: { summary: 'An admin API key', value: { apiKey: 'sk_example-admin-key' } } },
        },
      },
    },
    responses: {
      200: {
        description: 'session open; the cookie is set',
        content: { 'text/html': { jsonSchema: { type: 'string' } } },
      },
    },
    errors: { 401: 'not an active admin API key' },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getDocs',
    summary: 'This document as a web page',
    description: 'Server-rendered HTML, no scripts.',
    tag: 'documentation',
    access: anyone,
    responses: { 200: { description: 'the page', content: { 'text/html': { jsonSchema: { type: 'string' } } } } },
    errors: {},
  },
  {
    method: 'get',
    path: '/',
    operationId: 'getConsole',
    summary: 'The console',
    description:
      'One HTML page (scripts and styles under /console/, no inline code, nothing from a CDN). It signs in with an ' +
      "admin or agent API key kept in the tab's sessionStorage and calls this API with it: Messaging Center, lead " +
      'details with the text history, the Do Not Contact list and the account texts. The key decides what it may ' +
      'do; the page itself is public.',
    tag: 'operations',
    access: anyone,
    responses: { 200: { description: 'the page', content: { 'text/html': { jsonSchema: { type: 'string' } } } } },
    errors: {},
  },
  {
    method: 'get',
    path: '/console/config.json',
    operationId: 'getConsoleConfig',
    summary: "The console's configuration",
    description: 'Where the Temporal Web UI is, so the console can link a lead to its workflow.',
    tag: 'operations',
    access: anyone,
    responses: {
      200: {
        description: 'the configuration',
        content: json(consoleConfigSchema, {
          local: {
            summary: 'make start on one machine',
            value: { temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' },
          },
        }),
      },
    },
    errors: {},
  },
  {
    method: 'get',
    path: '/console/{asset}',
    operationId: 'getConsoleAsset',
    summary: "One of the console's scripts or its stylesheet",
    description: 'An ES module (`text/javascript`) or `style.css`. Only the listed files are served.',
    tag: 'operations',
    access: anyone,
    pathParams: { asset: { schema: consoleAssetSchema, description: 'the file name' } },
    responses: {
      200: {
        description: 'the file',
        content: {
          'text/javascript': { jsonSchema: { type: 'string' } },
          'text/css': { jsonSchema: { type: 'string' } },
        },
      },
    },
    errors: { 404: 'no such console file' },
  },
];
