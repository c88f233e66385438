import { z } from 'zod';
import { appOpenApi } from './app.openapi';
import { consentEventsOpenApi } from './api/consent-events.openapi';
import { doNotContactOpenApi } from './api/do-not-contact.openapi';
import { eventEndpointsOpenApi } from './api/event-endpoints.openapi';
import { EVENT_CATALOGUE } from './events/event-catalogue';
import { leadsOpenApi } from './api/leads.openapi';
import { messagesOpenApi } from './api/messages.openapi';
import { recentMessagesOpenApi } from './api/recent-messages.openapi';
import { settingsOpenApi } from './api/settings.openapi';
import { templatesOpenApi } from './api/templates.openapi';
import { codecOpenApi } from './codec/codec-routes.openapi';
import { consoleOpenApi } from './console.openapi';
import type { ErrorStatus, MediaSpec, OperationSpec, RouterOpenApi } from './openapi/operation-spec';
import { errorSchema, webhookErrorSchema } from './openapi/response-schemas';
import { webhooksOpenApi } from './webhooks/webhooks.openapi';

/** Every router's registry, in the order the docs page shows them. */
const ROUTERS: readonly RouterOpenApi[] = [
  messagesOpenApi,
  recentMessagesOpenApi,
  leadsOpenApi,
  doNotContactOpenApi,
  consentEventsOpenApi,
  settingsOpenApi,
  templatesOpenApi,
  eventEndpointsOpenApi,
  codecOpenApi,
  webhooksOpenApi,
  appOpenApi,
  consoleOpenApi,
];

/** The HTTP interface: every router's operations. */
export const OPERATIONS: readonly OperationSpec[] = ROUTERS.flatMap((router) => router.operations);

/** Request schemas by component name: each is the schema a route validates with. */
export const REQUEST_SCHEMAS = mergeSchemas(ROUTERS.map((router) => router.requestSchemas ?? {}));

/** Response schemas by component name; the error bodies are shared by every router. */
export const RESPONSE_SCHEMAS = mergeSchemas([
  { Error: errorSchema, WebhookError: webhookErrorSchema },
  ...ROUTERS.map((router) => router.responseSchemas ?? {}),
]);

/** One name, one schema: two routers may register the same component only if it is the same zod schema. */
function mergeSchemas(parts: Record<string, z.ZodType>[]): Record<string, z.ZodType> {
  const merged: Record<string, z.ZodType> = {};
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part)) {
      if (merged[name] && merged[name] !== schema) throw new Error(`two schemas are registered as ${name}`);
      merged[name] = schema;
    }
  }
  return merged;
}

/** A JSON Schema (2020-12), as OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>;

/** One media type of a body. */
export interface OpenApiMediaType {
  schema: JsonSchema;
  examples?: Record<string, { summary: string; value: unknown }>;
  /** For JSON lines: the schema of each line (OpenAPI 3.1 has no keyword for it). */
  'x-line-schema'?: JsonSchema;
}

/** A path or query parameter. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  /** For an object parameter: `form` + `explode` sends each property as its own `name=value` pair. */
  style?: 'form';
  explode?: boolean;
  schema: JsonSchema;
}

/** A response written out in full. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
}

/** A reference to a shared response; OpenAPI 3.1 lets it override the description. */
export interface OpenApiReference {
  $ref: string;
  description?: string;
}

/** One operation. `x-roles` lists the API key roles it accepts. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  'x-roles'?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
}

/** One pushed event, as the receiving endpoint sees it. */
export interface OpenApiWebhook {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: { name: string; in: 'header'; required: true; description: string; schema: JsonSchema }[];
  requestBody: { required: true; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

/** The HTTP methods the app uses. */
export type HttpMethod = OperationSpec['method'];

/** An OpenAPI 3.1 document, as far as this service uses it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  /** What this service posts to a CRM's event endpoints (OpenAPI 3.1 webhooks), by event type. */
  webhooks: Record<string, { post: OpenApiWebhook }>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat?: string; description: string }>;
  };
}

/**
 * Every component schema by name, with the zod schema it was generated from and the side it describes. Request
 * schemas are converted as input (what a caller may send: defaults make fields optional), responses as output.
 */
export const COMPONENT_SCHEMAS: Readonly<Record<string, { schema: z.ZodType; io: 'input' | 'output' }>> = {
  ...Object.fromEntries(Object.entries(REQUEST_SCHEMAS).map(([name, schema]) => [name, { schema, io: 'input' }])),
  ...Object.fromEntries(Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => [name, { schema, io: 'output' }])),
};

const SCHEMA_REF_PREFIX = '#/components/schemas/';
const ERROR_SCHEMA = 'Error';
const WEBHOOK_ERROR_SCHEMA = 'WebhookError';
const JSON_SCHEMA_TARGET = 'draft-2020-12';

const TAGS = [
  { name: 'messages', description: 'Queue texts for leads; the consent workflow decides when they go out.' },
  { name: 'leads', description: "A lead's text history and consent." },
  { name: 'do-not-contact', description: 'The Do Not Contact list: revocations received by any means.' },
  { name: 'consent-events', description: 'The append-only consent ledger.' },
  { name: 'settings', description: 'A2P 10DLC status, account texts, hold limit and keywords.' },
  { name: 'templates', description: "The account's SMS Text templates." },
  { name: 'events', description: 'Endpoints a CRM registers for pushed events, and their deliveries.' },
  { name: 'webhooks', description: 'Vonage Messages API callbacks, signed.' },
  { name: 'operations', description: 'Liveness, readiness and metrics.' },
  { name: 'documentation', description: 'This document.' },
];

const API_KEY_DESCRIPTION =
  '`Authorization: Bearer <api key>`. A key belongs to one account and has the role `admin` or `agent`. Agents ' +
  'send and read; admins can also change settings, templates and the Do Not Contact list (see `x-roles` on each ' +
  'operation). Create the first admin key with `npm run cli -- account create`.';

const VONAGE_SIGNATURE_DESCRIPTION =
  'Vonage signs every callback with `Authorization: Bearer <JWT>`. The token must be signed with HS256 (any other ' +
  '`alg`, `none` included, is refused) using `VONAGE_SIGNATURE_SECRET`. Its `payload_hash` claim must be the hex ' +
  'SHA-256 of the raw request body, byte for byte. Its `iat` must be at most `WEBHOOK_MAX_AGE_SECONDS` old ' +
  '(default 300) and at most 60 seconds in the future. Any failure answers 401, which ends retries. No ' +
  '`Authorization` header at all answers 503: Vonage may send an unsigned callback after an internal error, and a ' +
  '5xx makes it retry with a signed one.';

const DESCRIPTION =
  "Keeps a CRM's SMS texting compliant. The first text to every lead is the account's Opt-In template; the " +
  "lead's own texts wait until the number replies START, then go out in order. STOP puts the number on the Do Not " +
  'Contact list. Every outbound text ends with `Reply STOP to opt-out of future text communications.` Nothing is ' +
  'sent for an account whose A2P 10DLC registration is not verified.\n\n' +
  'Errors are JSON: `{error, message, details?, requestId}`. 400 is an invalid body, query or phone; 401 a ' +
  'missing or unknown key; 403 the wrong role; 404 something unknown; 409 a name taken; 422 a request the ' +
  'consent workflow or the CSV check refused; 503 Postgres or Temporal unavailable (retry). Unexpected errors ' +
  'answer 500 with a generic message.';

/** The shared error responses: [component name, description] by status, for the API and for the webhooks. */
const API_ERRORS: Record<ErrorStatus, [string, string]> = {
  400: ['BadRequest', 'the request is invalid'],
  401: ['Unauthorized', 'missing, malformed or unknown API key'],
  403: ['Forbidden', 'the key does not have a role this operation accepts'],
  404: ['NotFound', 'not found'],
  409: ['Conflict', 'conflicts with an existing resource'],
  413: ['PayloadTooLarge', 'the body is too large'],
  422: ['UnprocessableEntity', 'understood but refused'],
  429: ['TooManyRequests', 'this API key went over its requests a minute; retry after `Retry-After` seconds'],
  503: ['ServiceUnavailable', 'Postgres or Temporal is unavailable; retry later'],
};
const WEBHOOK_ERRORS: Partial<Record<ErrorStatus, [string, string]>> = {
  400: ['WebhookBadRequest', 'the body is not JSON or fails validation; Vonage should not retry'],
  401: ['WebhookUnauthorized', 'the signature is refused; Vonage stops retrying'],
  413: ['WebhookPayloadTooLarge', 'the body is too large'],
  503: ['WebhookUnavailable', 'unsigned, or a dependency is unavailable; Vonage retries'],
};

const BAD_REQUEST_EXAMPLE = {
  summary: 'A body that fails validation',
  value: {
    error: 'invalid_request',
    message: 'invalid body',
    details: [{ path: 'body.leadId', message: 'Invalid input: expected string, received undefined' }],
    requestId: '0b6f5c1e-3f2a-4d7b-9c8e-1a2b3c4d5e6f',
  },
};

/**
 * Builds the OpenAPI 3.1 document of the whole HTTP interface from the registry beside each router (`*.openapi.ts`).
 * Request schemas are the zod schemas the routes validate with, converted to JSON Schema 2020-12.
 */
export function buildOpenApiDocument(): OpenApiDocument {
  const schemaNames = new Map<z.ZodType, string>();
  for (const [name, { schema }] of Object.entries(COMPONENT_SCHEMAS)) schemaNames.set(schema, name);
  const refTo = (schema: z.ZodType): JsonSchema => {
    const name = schemaNames.get(schema);
    if (!name) throw new Error('every body schema must be listed in REQUEST_SCHEMAS or RESPONSE_SCHEMAS');
    return { $ref: `${SCHEMA_REF_PREFIX}${name}` };
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const spec of OPERATIONS) {
    paths[spec.path] ??= {};
    const pathItem = paths[spec.path] as Partial<Record<HttpMethod, OpenApiOperation>>;
    pathItem[spec.method] = toOperation(spec, refTo);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'sms-consent',
      version: 'v1',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: TAGS,
    paths,
    webhooks: eventWebhooks(),
    components: {
      schemas: {
        ...componentSchemas(REQUEST_SCHEMAS, 'input'),
        ...componentSchemas(RESPONSE_SCHEMAS, 'output'),
      },
      responses: errorResponses(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: API_KEY_DESCRIPTION },
        vonageSignature: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: VONAGE_SIGNATURE_DESCRIPTION,
        },
      },
    },
  };
}

/** The Standard Webhooks headers every delivery carries. */
const WEBHOOK_HEADERS: OpenApiWebhook['parameters'] = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: "The event's id (`msg_…`): the same on every retry and replay; dedupe on it.",
    schema: { type: 'string' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: "This attempt's time, Unix seconds; refuse one far from your clock.",
    schema: { type: 'string' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      '`v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>`, space separated, one per live secret ' +
      '(two for 24 hours after a rotation). Verify with a Standard Webhooks library (npm `standardwebhooks`).',
    schema: { type: 'string' },
  },
];

/** The `webhooks` section: one entry per event type of the catalogue (src/events/event-catalogue.ts). */
function eventWebhooks(): OpenApiDocument['webhooks'] {
  return Object.fromEntries(
    Object.entries(EVENT_CATALOGUE).map(([type, entry]) => [
      type,
      {
        post: {
          operationId: `event_${type.replaceAll('.', '_')}`,
          summary: entry.summary,
          description:
            `${entry.description}\n\nPosted to each of the account's event endpoints, at least once, in order per ` +
            'number. Answer any 2xx to acknowledge; anything else (or no answer within 10 s) is retried with backoff ' +
            'for 25 hours.',
          tags: ['events'],
          parameters: WEBHOOK_HEADERS,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `${SCHEMA_REF_PREFIX}${entry.componentName}` } } },
          },
          responses: { '2XX': { description: 'acknowledged' } },
        },
      },
    ]),
  );
}

function toOperation(spec: OperationSpec, refTo: (schema: z.ZodType) => JsonSchema): OpenApiOperation {
  const { access } = spec;
  const isApiKey = access.kind === 'apiKey';
  const roleNote = !isApiKey
    ? ''
    : access.roles.includes('agent')
      ? '\n\nAny API key (role `agent` or `admin`).'
      : '\n\nNeeds an API key with role `admin`.';
  const parameters = [...pathParameters(spec), ...queryParameters(spec)];

  const responses: OpenApiOperation['responses'] = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    if (!response) continue;
    responses[status] = {
      description: response.description,
      ...(response.content ? { content: toContent(response.content, refTo) } : {}),
    };
  }
  const errors: Partial<Record<ErrorStatus, string>> = {
    ...(isApiKey ? { 401: API_ERRORS[401][1], 429: API_ERRORS[429][1], 503: API_ERRORS[503][1] } : {}),
    ...(isApiKey && !access.roles.includes('agent') ? { 403: 'the key is not an admin key' } : {}),
    ...spec.errors,
  };
  for (const [status, description] of Object.entries(errors)) {
    const shared = (access.kind === 'vonageSignature' ? WEBHOOK_ERRORS : API_ERRORS)[Number(status) as ErrorStatus];
    if (!shared) throw new Error(`${spec.operationId}: no shared response for status ${status}`);
    responses[status] = { $ref: `#/components/responses/${shared[0]}`, description };
  }

  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description + roleNote,
    tags: [spec.tag],
    security: isApiKey ? [{ apiKey: [] }] : access.kind === 'vonageSignature' ? [{ vonageSignature: [] }] : [],
    ...(isApiKey ? { 'x-roles': [...access.roles] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.requestBody
      ? {
          requestBody: {
            ...(spec.requestBody.description ? { description: spec.requestBody.description } : {}),
            required: spec.requestBody.required,
            content: toContent(spec.requestBody.content, refTo),
          },
        }
      : {}),
    responses,
  };
}

function toContent(
  content: Record<string, MediaSpec>,
  refTo: (schema: z.ZodType) => JsonSchema,
): Record<string, OpenApiMediaType> {
  return Object.fromEntries(
    Object.entries(content).map(([mediaType, media]) => {
      const schema = media.schema ? refTo(media.schema) : (media.jsonSchema ?? {});
      const converted: OpenApiMediaType = { schema };
      if (media.lineSchema) converted['x-line-schema'] = refTo(media.lineSchema);
      if (media.examples) converted.examples = media.examples;
      return [mediaType, converted];
    }),
  );
}

function pathParameters(spec: OperationSpec): OpenApiParameter[] {
  return Object.entries(spec.pathParams ?? {}).map(([name, param]) => ({
    name,
    in: 'path',
    required: true,
    description: param.description,
    schema: toJsonSchema(param.schema, 'input'),
  }));
}

/** A zod object of query parameters becomes one parameter per property, or one object parameter (`objectName`). */
function queryParameters(spec: OperationSpec): OpenApiParameter[] {
  if (!spec.query) return [];
  const { descriptions, objectName } = spec.query;
  const object = toJsonSchema(spec.query.schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  if (objectName) {
    for (const [name, schema] of Object.entries(object.properties ?? {})) {
      if (descriptions[name]) schema.description = descriptions[name];
    }
    const description = Object.entries(descriptions)
      .map(([name, text]) => `\`${name}\`: ${text}`)
      .join('; ');
    return [
      { name: objectName, in: 'query', required: false, description, style: 'form', explode: true, schema: object },
    ];
  }
  return Object.entries(object.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: object.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema,
  }));
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { target: JSON_SCHEMA_TARGET, io }) as JsonSchema);
}

/**
 * Converts named schemas together so that a named schema used inside another becomes a `$ref` to its component
 * rather than a copy.
 */
function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, {
    target: JSON_SCHEMA_TARGET,
    io,
    uri: (id) => `${SCHEMA_REF_PREFIX}${id}`,
  }).schemas;
  return Object.fromEntries(
    Object.entries(converted).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]),
  );
}

/** `$schema` and `$id` belong to standalone schemas; inside an OpenAPI document they would only mislead. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function errorResponses(): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  const errorRef = { $ref: `${SCHEMA_REF_PREFIX}${ERROR_SCHEMA}` };
  const webhookErrorRef = { $ref: `${SCHEMA_REF_PREFIX}${WEBHOOK_ERROR_SCHEMA}` };
  for (const [status, [name, description]] of Object.entries(API_ERRORS)) {
    const examples = status === '400' ? { invalidBody: BAD_REQUEST_EXAMPLE } : undefined;
    responses[name] = {
      description,
      content: { 'application/json': { schema: errorRef, ...(examples && { examples }) } },
    };
  }
  for (const entry of Object.values(WEBHOOK_ERRORS)) {
    const [name, description] = entry;
    responses[name] = { description, content: { 'application/json': { schema: webhookErrorRef } } };
  }
  return responses;
}
