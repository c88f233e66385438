import { writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildOpenApiDocument } from '../openapi';

/**
 * Generates the typed client's schema (clients/typescript/src/schema.d.ts) from the OpenAPI document the API serves
 * at /openapi.json, with openapi-typescript. npm script: client:generate. test/client/typed-client.test.ts fails
 * when the committed file differs from a fresh generation, so the client cannot drift from the API.
 */

/** Where the generated schema lives, relative to the repository root. */
export const CLIENT_SCHEMA_PATH = path.join('clients', 'typescript', 'src', 'schema.d.ts');

const HEADER = `/**
 * GENERATED FILE: do not edit. openapi-typescript 7 generated it from the OpenAPI document this service serves at
 * /openapi.json (buildOpenApiDocument() in src/openapi.ts). Regenerate after any API change with:
 *
 *   npm run client:generate
 */

`;

/** The text of schema.d.ts for the current OpenAPI document. */
export async function generateClientSchema(): Promise<string> {
  // The document exactly as /openapi.json serves it: a JSON copy, which openapi-typescript's Redocly bundling may
  // change freely.
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenAPI3;
  const ast = await openapiTS(document, { silent: true });
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const target = path.resolve(__dirname, '..', '..', CLIENT_SCHEMA_PATH);
  writeFileSync(target, await generateClientSchema());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
