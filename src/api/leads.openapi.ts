import * as responses from '../openapi/response-schemas';
import { agent, EXAMPLE_PHONE, json, OPT_IN_TEMPLATE, type RouterOpenApi } from '../openapi/operation-spec';
import { leadIdSchema } from './leads';

const leadIdParam = { leadId: { schema: leadIdSchema, description: "the CRM's id of the lead" } };

/** The OpenAPI description of /v1/leads (src/api/leads.ts). */
export const leadsOpenApi: RouterOpenApi = {
  operations: [
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
    Message: responses.messageViewSchema,
    LeadMessages: responses.leadMessagesSchema,
    ConsentEvent: responses.consentEventSchema,
    LeadConsent: responses.leadConsentSchema,
  },
};
