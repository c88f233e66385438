import type { z } from 'zod';

/**
 * The shapes each router's `*.openapi.ts` registry describes its routes with, and the helpers they share.
 * src/openapi.ts collects every registry into the OpenAPI document; the request schemas are the ones the routes
 * validate with, so the document cannot drift from what is enforced.
 */

/** Who may call an operation. */
export type Access =
  | { kind: 'apiKey'; roles: readonly ('admin' | 'agent' | 'operator')[] }
  | { kind: 'vonageSignature' }
  | { kind: 'public' };

/** A named example; the tests parse every one with the schema it sits under. */
export interface Example {
  summary: string;
  value: unknown;
}

/** One media type of a request or response body. */
export interface MediaSpec {
  /** A zod schema registered as a component by some router's registry (or the shared ones in src/openapi.ts). */
  schema?: z.ZodType;
  /** For bodies with no zod schema (CSV, Prometheus text, HTML). */
  jsonSchema?: Record<string, unknown>;
  /** For JSON-lines bodies: the schema of one line. */
  lineSchema?: z.ZodType;
  examples?: Record<string, Example>;
}

/** A success (or otherwise operation-specific) response. */
export interface ResponseSpec {
  description: string;
  content?: Record<string, MediaSpec>;
}

/** Error statuses whose shared component response an operation uses, with what they mean for this operation. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/** One operation of the HTTP interface. */
export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, `{param}` style. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  access: Access;
  pathParams?: Record<string, { schema: z.ZodType; description: string }>;
  /**
   * The query. With `objectName`, documented as one exploded object parameter of that name: the query's properties
   * constrain each other (one excludes another), and OpenAPI can relate properties of one schema but not separate
   * parameters. The wire is the same either way (`?status=sent&limit=10`).
   */
  query?: { schema: z.ZodObject; descriptions: Record<string, string>; objectName?: string };
  requestBody?: { description?: string; required: boolean; content: Record<string, MediaSpec> };
  responses: Partial<Record<number, ResponseSpec>>;
  errors: Partial<Record<ErrorStatus, string>>;
}

/** What one router contributes to the document: its operations and the component schemas they reference. */
export interface RouterOpenApi {
  operations: readonly OperationSpec[];
  /** Request schemas by component name; converted as input (what a caller may send). */
  requestSchemas?: Record<string, z.ZodType>;
  /** Response schemas by component name; converted as output. */
  responseSchemas?: Record<string, z.ZodType>;
}

export const agent = { kind: 'apiKey', roles: ['admin', 'agent'] } as const;
export const admin = { kind: 'apiKey', roles: ['admin'] } as const;
/** The people running the service, not a tenant: only they may decrypt payloads (they hold every account's data). */
export const operator = { kind: 'apiKey', roles: ['operator'] } as const;
export const vonage = { kind: 'vonageSignature' } as const;
export const anyone = { kind: 'public' } as const;

/** A JSON body of `schema`, with its examples. */
export const json = (schema: z.ZodType, examples?: Record<string, Example>): Record<string, MediaSpec> => ({
  'application/json': { schema, examples },
});

/** An HTML page (no zod schema: it is markup). */
export const html = (): Record<string, MediaSpec> => ({ 'text/html': { jsonSchema: { type: 'string' } } });

export const BAD_BODY = 'the body fails validation (`details` lists each problem with its path)';

export const EXAMPLE_PHONE = '+14155550123';
export const EXAMPLE_MESSAGE_ID = '6d1f0b4e-2c3a-4e5f-9a8b-7c6d5e4f3a21';
export const EXAMPLE_TEMPLATE_ID = '3f0c1b9e-8a2d-4c6e-9f7a-1b2c3d4e5f60';
export const EXAMPLE_PREVIEW = {
  text: 'Hi Dana, reminder: showing at 12 Elm St tomorrow at 10am.\nReply STOP to opt-out of future text communications.',
  encoding: 'GSM-7',
  units: 111,
  segments: 1,
};
export const OPT_IN_TEMPLATE =
  'Acme Realty: reply START to get texts about your home search. Msg & data rates may apply.';
