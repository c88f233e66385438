import * as responses from '../openapi/response-schemas';
import { EXAMPLE_MESSAGE_ID, json, vonage, type RouterOpenApi } from '../openapi/operation-spec';
import { inboundMessageSchema, messageStatusSchema } from './vonage-payloads';

/** The OpenAPI description of The Vonage webhooks (src/webhooks/inbound-message.ts and message-status.ts). */
export const webhooksOpenApi: RouterOpenApi = {
  operations: [
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
  ],
  requestSchemas: { VonageInboundMessage: inboundMessageSchema, VonageMessageStatus: messageStatusSchema },
  responseSchemas: { WebhookAck: responses.webhookAckSchema },
};
