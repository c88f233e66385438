import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/app';
import { answerClientErrors } from '../../src/client-errors';
import type { RateLimits } from '../../src/api/rate-limits';
import { createKnex } from '../../src/db/knex';
import { PHONE_HASH_KEY, SIGNATURE_SECRET, type TestSystem } from '../support/system';

/** A second API process on the test system's Postgres and Temporal, built with its own rate limits. */
export interface ExtraApi {
  url: string;
  close(): Promise<void>;
}

/** Builds createApp with `rateLimits` on the system's database and Temporal client, listening on port 0. */
export async function listenApp(
  system: TestSystem,
  rateLimits: RateLimits,
  overrides: Partial<AppDeps> = {},
): Promise<ExtraApi> {
  const knex = createKnex({ databaseUrl: system.db.url, poolMax: 10 });
  const app = createApp({
    knex,
    client: system.client,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    phoneHashKey: PHONE_HASH_KEY,
    vonageSignatureSecret: SIGNATURE_SECRET,
    webhookMaxAgeSeconds: 300,
    rateLimits,
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrors(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await knex.destroy();
    },
  };
}

/** One HTTP answer with its headers and the body parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** A raw request: the body is sent as given (a string or bytes), JSON-encoded only when `json` is set. */
export interface RawRequest {
  method: string;
  path: string;
  key?: string;
  json?: unknown;
  body?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** Gives up (and throws) when no answer arrives in time; a hung request is a finding too. */
  timeoutMs?: number;
}

/** Sends `request` to `baseUrl` and reads the whole answer. */
export async function send(baseUrl: string, request: RawRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.key !== undefined) headers.authorization = `Bearer ${request.key}`;
  let body: string | Uint8Array | undefined = request.body;
  if (request.json !== undefined) body = JSON.stringify(request.json);
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  else if (request.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers,
    body,
    signal: request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
