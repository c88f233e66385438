import { anyone, html, json, type RouterOpenApi } from './openapi/operation-spec';
import { consoleAssetSchema, consoleConfigSchema } from './console';

/** The OpenAPI description of The console (src/console.ts). */
export const consoleOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/',
      operationId: 'getConsole',
      summary: 'The console',
      description:
        'One HTML page (scripts and styles under /console/, no inline code, nothing from a CDN). It signs in with an ' +
        "admin or agent API key kept in the tab's sessionStorage and calls this API with it: Messaging Center, lead " +
        'details with the text history, the Do Not Contact list and the account texts. The key decides what it may ' +
        'do; the page itself is public.',
      tag: 'operations',
      access: anyone,
      responses: { 200: { description: 'the page', content: html() } },
      errors: {},
    },
    {
      method: 'get',
      path: '/console/config.json',
      operationId: 'getConsoleConfig',
      summary: "The console's configuration",
      description: 'Where the Temporal Web UI is, so the console can link a lead to its workflow.',
      tag: 'operations',
      access: anyone,
      responses: {
        200: {
          description: 'the configuration',
          content: json(consoleConfigSchema, {
            local: {
              summary: 'make start on one machine',
              value: { temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' },
            },
          }),
        },
      },
      errors: {},
    },
    {
      method: 'get',
      path: '/console/{asset}',
      operationId: 'getConsoleAsset',
      summary: "One of the console's scripts or its stylesheet",
      description: 'An ES module (`text/javascript`) or `style.css`. Only the listed files are served.',
      tag: 'operations',
      access: anyone,
      pathParams: { asset: { schema: consoleAssetSchema, description: 'the file name' } },
      responses: {
        200: {
          description: 'the file',
          content: {
            'text/javascript': { jsonSchema: { type: 'string' } },
            'text/css': { jsonSchema: { type: 'string' } },
          },
        },
      },
      errors: { 404: 'no such console file' },
    },
  ],
  responseSchemas: { ConsoleConfig: consoleConfigSchema },
};
