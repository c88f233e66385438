import { MAX_BODY_LENGTH } from '../consent/footer';
import * as responses from '../openapi/response-schemas';
import {
  agent,
  BAD_BODY,
  EXAMPLE_MESSAGE_ID,
  EXAMPLE_PHONE,
  EXAMPLE_TEMPLATE_ID,
  json,
  type RouterOpenApi,
} from '../openapi/operation-spec';
import { queueMessageSchema } from './messages';

/** The OpenAPI description of POST /v1/messages (src/api/messages.ts). */
export const messagesOpenApi: RouterOpenApi = {
  operations: [
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
        400: `${BAD_BODY}; or the phone is not a valid number, template variables are missing, or the text (after the template is filled in) is longer than ${MAX_BODY_LENGTH} characters, which with the opt-out footer is the 1000 a Vonage SMS can carry`,
        404: 'no such template',
        413: 'body larger than 256 kB',
        422: 'the consent workflow rejected the message',
        429: 'this API key went over its requests or its sends a minute (texts cost money); retry after `Retry-After`',
      },
    },
  ],
  requestSchemas: { QueueMessageRequest: queueMessageSchema },
  responseSchemas: { QueueMessageResult: responses.queueMessageResultSchema },
};
