import {
  agent,
  EXAMPLE_MESSAGE_ID,
  EXAMPLE_PHONE,
  json,
  OPT_IN_TEMPLATE,
  type RouterOpenApi,
} from '../openapi/operation-spec';
import { recentMessagesQuerySchema, recentMessagesResultSchema } from './recent-messages';

/** The OpenAPI description of GET /v1/messages (src/api/recent-messages.ts). */
export const recentMessagesOpenApi: RouterOpenApi = {
  operations: [
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
          optIn: 'only opt-in texts whose lead has this opt-in status; not with status',
        },
        objectName: 'filter',
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
                    sendAt: null,
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
                    sendAt: null,
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
  ],
  responseSchemas: { RecentMessages: recentMessagesResultSchema },
};
