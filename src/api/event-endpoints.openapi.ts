import {
  crmEventSchema,
  EVENT_CATALOGUE,
  eventDeliveryListSchema,
  eventEndpointListSchema,
  eventEndpointSchema,
  eventEndpointWithSecretSchema,
  replayResultSchema,
} from '../events/event-catalogue';
import { admin, BAD_BODY, json, type RouterOpenApi } from '../openapi/operation-spec';
import {
  createEventEndpointSchema,
  deliveriesQuerySchema,
  endpointIdSchema,
  replayEventsSchema,
} from './event-endpoints';

const endpointIdParam = { endpointId: { schema: endpointIdSchema, description: 'the endpoint id (UUID)' } };
const EXAMPLE_ENDPOINT = {
  id: '0f8e2b4a-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  url: 'https://crm.example.com/hooks/sms-consent',
  description: 'CRM production',
  health: 'healthy',
  failingSince: null,
  consecutiveFailures: 0,
  lastSuccessAt: null,
  lastFailureAt: null,
  createdAt: '2026-12-04T12:00:00.000Z',
};
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The OpenAPI description of /v1/event-endpoints (src/api/event-endpoints.ts). */
export const eventEndpointsOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/v1/event-endpoints',
      operationId: 'listEventEndpoints',
      summary: "The account's event endpoints",
      description: 'Each with its health; never its secret.',
      tag: 'events',
      access: admin,
      responses: { 200: { description: 'the endpoints', content: json(eventEndpointListSchema) } },
      errors: {},
    },
    {
      method: 'post',
      path: '/v1/event-endpoints',
      operationId: 'createEventEndpoint',
      summary: 'Register an endpoint for pushed events',
      description:
        'Every event of the account (see `webhooks`) is posted to it, signed per the Standard Webhooks ' +
        'specification with the `secret` in the answer, which is shown only here. In production the URL must be ' +
        'https on a public address (EVENT_ENDPOINTS_ALLOW_PRIVATE lifts the address rule). At most 10 per account.',
      tag: 'events',
      access: admin,
      requestBody: {
        required: true,
        content: json(createEventEndpointSchema, {
          crm: {
            summary: "The CRM's receiver",
            value: { url: 'https://crm.example.com/hooks/sms-consent', description: 'CRM production' },
          },
        }),
      },
      responses: {
        201: {
          description: 'registered; keep the secret',
          content: json(eventEndpointWithSecretSchema, {
            created: { summary: 'The new endpoint', value: { ...EXAMPLE_ENDPOINT, secret: EXAMPLE_SECRET } },
          }),
        },
      },
      errors: { 400: `${BAD_BODY}; or a URL this deployment refuses`, 409: 'the account has 10 endpoints' },
    },
    {
      method: 'get',
      path: '/v1/event-endpoints/{endpointId}',
      operationId: 'getEventEndpoint',
      summary: 'One endpoint and its health',
      description: 'Failing after 3 failed attempts in a row, until the next acknowledged delivery.',
      tag: 'events',
      access: admin,
      pathParams: endpointIdParam,
      responses: { 200: { description: 'the endpoint', content: json(eventEndpointSchema) } },
      errors: { 400: 'endpointId is not a UUID', 404: 'no such endpoint in this account' },
    },
    {
      method: 'delete',
      path: '/v1/event-endpoints/{endpointId}',
      operationId: 'deleteEventEndpoint',
      summary: 'Stop pushing events to an endpoint',
      description: 'Deliveries still waiting end `cancelled`.',
      tag: 'events',
      access: admin,
      pathParams: endpointIdParam,
      responses: { 204: { description: 'deleted' } },
      errors: { 400: 'endpointId is not a UUID', 404: 'no such endpoint in this account' },
    },
    {
      method: 'post',
      path: '/v1/event-endpoints/{endpointId}/rotate-secret',
      operationId: 'rotateEventEndpointSecret',
      summary: 'A new signing secret',
      description:
        'The answer shows the new secret once. For 24 hours every delivery carries two signatures, one per secret, ' +
        'so the receiver can switch at any moment in that time.',
      tag: 'events',
      access: admin,
      pathParams: endpointIdParam,
      responses: {
        200: {
          description: 'rotated; keep the new secret',
          content: json(eventEndpointWithSecretSchema, {
            rotated: { summary: 'The new secret', value: { ...EXAMPLE_ENDPOINT, secret: EXAMPLE_SECRET } },
          }),
        },
      },
      errors: { 400: 'endpointId is not a UUID', 404: 'no such endpoint in this account' },
    },
    {
      method: 'get',
      path: '/v1/event-endpoints/{endpointId}/deliveries',
      operationId: 'listEventDeliveries',
      summary: "The endpoint's recent deliveries",
      description: 'Newest event first, each with its attempts and the last answer.',
      tag: 'events',
      access: admin,
      pathParams: endpointIdParam,
      query: {
        schema: deliveriesQuerySchema,
        descriptions: { limit: 'how many', status: 'only deliveries in this state' },
      },
      responses: { 200: { description: 'the deliveries', content: json(eventDeliveryListSchema) } },
      errors: { 400: 'invalid endpointId or query', 404: 'no such endpoint in this account' },
    },
    {
      method: 'post',
      path: '/v1/event-endpoints/{endpointId}/replay',
      operationId: 'replayEventDeliveries',
      summary: 'Deliver events again',
      description:
        'Without `webhookIds`: the oldest 1,000 deliveries that ended `failed` (`remaining` says how many are left ' +
        'for the next call). With them: those events, whatever their state. Each goes out again with its own ' +
        '`webhook-id`, in order per number among the events still waiting.',
      tag: 'events',
      access: admin,
      pathParams: endpointIdParam,
      requestBody: {
        required: false,
        content: json(replayEventsSchema, { failed: { summary: 'Every failed delivery', value: {} } }),
      },
      responses: { 202: { description: 'queued again', content: json(replayResultSchema) } },
      errors: { 400: `${BAD_BODY}; or endpointId is not a UUID`, 404: 'no such endpoint in this account' },
    },
  ],
  requestSchemas: {
    CreateEventEndpoint: createEventEndpointSchema,
    ReplayEvents: replayEventsSchema,
  },
  responseSchemas: {
    EventEndpoint: eventEndpointSchema,
    EventEndpointWithSecret: eventEndpointWithSecretSchema,
    EventEndpointList: eventEndpointListSchema,
    EventDeliveryList: eventDeliveryListSchema,
    ReplayResult: replayResultSchema,
    CrmEvent: crmEventSchema,
    ...Object.fromEntries(Object.values(EVENT_CATALOGUE).map((entry) => [entry.componentName, entry.schema])),
  },
};
