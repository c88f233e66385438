import { anyone, BAD_BODY, html, json, operator, type RouterOpenApi } from '../openapi/operation-spec';
import { codecPayloadsResultSchema, codecPayloadsSchema } from './codec-routes';

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

/** The OpenAPI description of /v1/codec (src/codec/codec-routes.ts). */
export const codecOpenApi: RouterOpenApi = {
  operations: [
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
        400: `${BAD_BODY}; or a payload was altered, or its key id is not in PAYLOAD_ENCRYPTION_KEYS`,
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
        400: BAD_BODY,
        404: 'this API has no payload codec configured',
        413: 'body larger than 4 MB',
      },
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
      responses: { 200: { description: 'the page', content: html() } },
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
          content: html(),
        },
        400: { description: 'the form post cannot be read: the form again, with the reason', content: html() },
        401: { description: 'not an active operator API key: the form again, with the reason', content: html() },
        413: { description: 'the form post is larger than 4 kB: the form again, with the reason', content: html() },
        415: { description: 'a charset other than UTF-8: the form again, with the reason', content: html() },
        429: { description: 'too many tries from this address: the form again, with the reason', content: html() },
      },
      // A refused key or post is answered with the form again (text/html), not the shared JSON errors.
      errors: {},
    },
  ],
  requestSchemas: { CodecPayloadsRequest: codecPayloadsSchema },
  responseSchemas: { CodecPayloads: codecPayloadsResultSchema },
};
