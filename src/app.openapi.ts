import { anyone, html, json, type RouterOpenApi } from './openapi/operation-spec';
import * as responses from './openapi/response-schemas';

/** The OpenAPI description of The routes src/app.ts serves itself: liveness, readiness, metrics and this document. */
export const appOpenApi: RouterOpenApi = {
  operations: [
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
      path: '/docs',
      operationId: 'getDocs',
      summary: 'This document as a web page',
      description: 'Server-rendered HTML, no scripts.',
      tag: 'documentation',
      access: anyone,
      responses: { 200: { description: 'the page', content: html() } },
      errors: {},
    },
  ],
  responseSchemas: { Health: responses.healthSchema, Readiness: responses.readinessSchema },
};
