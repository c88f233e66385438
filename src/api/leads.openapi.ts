import * as responses from '../openapi/response-schemas';
import { agent, EXAMPLE_PHONE, json, OPT_IN_TEMPLATE, type RouterOpenApi } from '../openapi/operation-spec';
import { leadIdSchema, leadSearchQuerySchema } from './leads';

const leadIdParam = { leadId: { schema: leadIdSchema, description: "the CRM's id of the lead" } };

/** The OpenAPI description of /v1/leads (src/api/leads.ts). */
export const leadsOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/v1/leads',
      operationId: 'listLeads',
      summary: 'Find leads: the recent ones, or by the start of their ID or by number',
      description:
        "The account's leads, newest change first, one row per lead and number (a lead that changed number has " +
        'two), with the opt-in status. Without `q` (or with a blank one): the most recent. With `q`: the leads whose ' +
        'ID starts with it (case-sensitive, taken literally), and, when it is a valid phone number in any common ' +
        'format, the leads on that number.',
      tag: 'leads',
      access: agent,
      query: {
        schema: leadSearchQuerySchema,
        descriptions: {
          q: 'the start of a lead ID, or a phone number; trimmed; blank or absent for the recent leads',
          limit: 'at most this many leads',
        },
      },
      responses: {
        200: {
          description: 'the leads found (possibly none)',
          content: json(responses.leadListSchema, {
            byNumber: {
              summary: 'Two leads on one number',
              value: {
                leads: [
                  {
                    leadId: 'lead-1043',
                    phone: EXAMPLE_PHONE,
                    status: 'sent',
                    reason: null,
                    updatedAt: '2026-11-28T10:00:00.000Z',
                  },
                  {
                    leadId: 'lead-1042',
                    phone: EXAMPLE_PHONE,
                    status: 'accepted',
                    reason: null,
                    updatedAt: '2026-11-27T12:00:05.000Z',
                  },
                ],
              },
            },
          }),
        },
      },
      errors: { 400: '`q` is longer than 128 characters or contains NUL, or `limit` is not 1 to 200' },
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
  ],
  responseSchemas: {
    LeadSummary: responses.leadSummarySchema,
    LeadList: responses.leadListSchema,
    Message: responses.messageViewSchema,
    LeadMessages: responses.leadMessagesSchema,
    ConsentEvent: responses.consentEventSchema,
    LeadConsent: responses.leadConsentSchema,
  },
};
