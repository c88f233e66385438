import * as responses from '../openapi/response-schemas';
import { agent, type RouterOpenApi } from '../openapi/operation-spec';
import { consentExportQuerySchema } from './consent-events';

/** The OpenAPI description of /v1/consent-events (src/api/consent-events.ts). */
export const consentEventsOpenApi: RouterOpenApi = {
  operations: [
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
  ],
  responseSchemas: { ConsentExportLine: responses.consentExportLineSchema },
};
