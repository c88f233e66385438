import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../src/app';
import { answerClientErrors } from '../../src/client-errors';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { loadConfig } from '../../src/config';
import { AccountsRepository, type A2pStatus } from '../../src/db/accounts-repository';
import { createKnex } from '../../src/db/knex';
import { createLogger } from '../../src/logger';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { type VonageOptions } from '../../src/vonage/sms-gateway';
import { createEventDelivery, type EventDelivery } from '../../src/events/event-worker';
import { PERMISSIVE_URL_POLICY } from '../../src/events/endpoint-url';
import { createWorker } from '../../src/worker-setup';
import { createTestDatabase, type TestDatabase } from './database';
import { bundleConsentWorkflows, createTestEnvironment } from './temporal-cli';
import { planSend, sendAtAnyHour } from '../../src/sending-window/plan-send';

export const SIGNATURE_SECRET = 'test-signature-secret-0123456789';
export const PHONE_HASH_KEY = 'test-phone-hash-key-0123456789';
/** The Web UI origin the API's codec endpoint admits (CORS). */
export const TEMPORAL_UI_URL = 'http://127.0.0.1:8233';
const SANDBOX_CREDENTIAL = 'sandbox';
/**
 * The payload keys of every process a test starts: the development default (or the caller's own), because the CLI
 * processes tests spawn inherit this environment and must read and write the same histories.
 */
export const PAYLOAD_ENCRYPTION_KEYS = loadConfig({
  PAYLOAD_ENCRYPTION_KEYS: process.env.PAYLOAD_ENCRYPTION_KEYS,
}).temporal.payloadEncryptionKeys;
const REPO_ROOT = path.resolve(__dirname, '../..');

let workflowBundle: Promise<{ code: string }> | undefined;

/** Everything the service is, for real: Temporal dev server, Postgres, the sandbox, a worker and the API. */
export interface TestSystem {
  env: TestWorkflowEnvironment;
  /** A client with the payload codec, like the API's; `env.client` has none and sees only ciphertext. */
  client: Client;
  db: TestDatabase;
  sandbox: Sandbox;
  sandboxUrl: string;
  apiUrl: string;
  /** Creates an account with an admin and an agent key; A2P verified unless told otherwise. */
  createAccount(options?: { a2pStatus?: A2pStatus; holdLimitSeconds?: number }): Promise<TestAccount>;
  /** Calls our HTTP API. */
  api(
    method: string,
    route: string,
    options?: { key?: string; body?: unknown },
  ): Promise<{ status: number; body: any }>;
  /** A unique valid US number for a lead. */
  newLeadPhone(): string;
  startInProcessWorker(): Promise<void>;
  stopInProcessWorker(): Promise<void>;
  /** Runs `src/worker.ts` as its own process (so a test can SIGKILL or SIGTERM it). */
  /** Runs src/worker.ts as its own process; `repoRoot` runs another checkout's worker (a deploy, in replay tests). */
  spawnWorker(options?: { logLevel?: string; onOutput?: (line: string) => void; repoRoot?: string }): ChildProcess;
  close(): Promise<void>;
}

/** A test account and its keys. */
export interface TestAccount {
  accountId: string;
  senderNumber: string;
  adminKey: string;
  agentKey: string;
  /** A key with the `operator` role (decrypts payloads through /v1/codec). */
  operatorKey?: string;
}

// Each test file has its own sandbox and database, so numbers need only be unique within a process. The start
// varies per run; stepping by 7 (coprime with every power of 10) then gives 10^digits different line numbers before
// any repeats, where reading the clock on every call could give two calls in one file the same number.
const numberStart = process.pid * 7919 + Date.now();
let numberCounter = 0;
/** A number `+1<areaAndExchange><line>` of 10 digits after the 1, unique within this process. */
export function uniqueNumber(areaAndExchange: string): string {
  numberCounter += 1;
  const digits = 10 - areaAndExchange.length;
  const line = ((numberStart + numberCounter * 7) % 10 ** digits).toString().padStart(digits, '0');
  return `+1${areaAndExchange}${line}`;
}

/** One JSON call to our HTTP API: `Bearer` key and JSON body when given; the body parsed when it is JSON. */
export async function callApi(
  apiUrl: string,
  method: string,
  route: string,
  options: { key?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${apiUrl}${route}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body };
}

/** Calls our HTTP API as a test's setup step: fails unless the answer is 2xx, and returns its body. */
export async function apiOk(
  system: Pick<TestSystem, 'api'>,
  method: string,
  route: string,
  key: string,
  body?: unknown,
): Promise<any> {
  const answer = await system.api(method, route, { key, body });
  assert.ok(answer.status < 300, `${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Starts the whole system for one test file. */
export async function startSystem(
  options: {
    inProcessWorker?: boolean;
    statusDelayMs?: number;
    /** Receives every log line of the API and the sandbox (JSON), at debug level. */
    onLogLine?: (line: string) => void;
    /**
     * Enforce quiet hours with the real planner. Off by default: the other suites run at any hour of the day and
     * test consent and delivery, not the clock (test/e2e/quiet-hours.test.ts turns it on).
     */
    isQuietHoursEnforced?: boolean;
  } = {},
): Promise<TestSystem> {
  const env = await createTestEnvironment();
  const db = await createTestDatabase();
  const logger = options.onLogLine
    ? createLogger({ level: 'debug', name: 'test' }, { write: (line: string) => options.onLogLine?.(line.trimEnd()) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const sandbox = createSandbox({
    apiKey: SANDBOX_CREDENTIAL,
    apiSecret: SANDBOX_CREDENTIAL,
    signatureSecret: SIGNATURE_SECRET,
    statusDelayMs: options.statusDelayMs,
    logger,
  });
  const sandboxListener = await sandbox.listen(0, '127.0.0.1');
  const payloadCodec = new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS);
  const client = new Client({
    connection: env.connection,
    namespace: env.namespace ?? 'default',
    dataConverter: { payloadCodecs: [payloadCodec] },
  });
  const appKnex = createKnex({ databaseUrl: db.url, poolMax: 10 });
  const app = createApp({
    // Generous limits: tests drive hundreds of texts through one key; test/security sets small ones itself.
    rateLimits: { apiPerMinute: 1_000_000, sendsPerMinute: 1_000_000 },
    knex: appKnex,
    client,
    logger,
    phoneHashKey: PHONE_HASH_KEY,
    vonageSignatureSecret: SIGNATURE_SECRET,
    webhookMaxAgeSeconds: 300,
    payloadCodec,
    temporalUiUrl: TEMPORAL_UI_URL,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrors(server);
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox.setWebhookBaseUrl(apiUrl);

  workflowBundle ??= bundleConsentWorkflows();
  const bundle = await workflowBundle;
  const workerKnex = createKnex({ databaseUrl: db.url, poolMax: 20 });
  const lockKnex = createKnex({ databaseUrl: db.url, poolMax: 16 });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let events: EventDelivery | undefined;
  let eventsRun: Promise<void> | undefined;
  const children = new Set<ChildProcess>();
  const accounts = new AccountsRepository(db.knex);

  const system: TestSystem = {
    env,
    client,
    db,
    sandbox,
    sandboxUrl: sandboxListener.url,
    apiUrl,
    async createAccount(accountOptions = {}) {
      const senderNumber = uniqueNumber('201555');
      const account = await accounts.createAccount({
        name: 'Acme Realty',
        senderNumber,
        a2pStatus: accountOptions.a2pStatus ?? 'verified',
        holdLimitSeconds: accountOptions.holdLimitSeconds,
      });
      const admin = await accounts.createApiKey(account.id, 'admin');
      const agent = await accounts.createApiKey(account.id, 'agent');
      const operator = await accounts.createApiKey(account.id, 'operator');
      return {
        accountId: account.id,
        senderNumber,
        adminKey: admin.apiKey,
        agentKey: agent.apiKey,
        operatorKey: operator.apiKey,
      };
    },
    api: (method, route, callOptions) => callApi(apiUrl, method, route, callOptions),
    newLeadPhone: () => uniqueNumber('212555'),
    async startInProcessWorker() {
      if (worker) return;
      worker = await createWorker({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        knex: workerKnex,
        lockKnex,
        vonage: sandboxVonageOptions(sandboxListener.url),
        payloadCodec,
        reconcileWindowMs: 60_000,
        shutdownGraceMs: 5_000,
        workflowBundle: bundle,
        planSend: options.isQuietHoursEnforced ? planSend : sendAtAnyHour,
      });
      workerRun = worker.run();
      // Pushed events (docs/events.md): their own worker and the relay, as src/worker.ts runs them.
      events = await createEventDelivery({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        client,
        knex: workerKnex,
        payloadCodec,
        urlPolicy: PERMISSIVE_URL_POLICY,
        logger,
        workflowBundle: bundle,
        requestTimeoutMs: 5_000,
        relayIdlePollMs: 100,
      });
      eventsRun = events.run();
    },
    async stopInProcessWorker() {
      if (!worker) return;
      worker.shutdown();
      events?.shutdown();
      await Promise.all([workerRun, eventsRun]);
      worker = undefined;
      workerRun = undefined;
      events = undefined;
      eventsRun = undefined;
    },
    spawnWorker(spawnOptions = {}) {
      const root = spawnOptions.repoRoot ?? REPO_ROOT;
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/worker.ts')], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          QUIET_HOURS: options.isQuietHoursEnforced ? 'enforce' : 'off',
          LOG_LEVEL: spawnOptions.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'warn',
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: env.address,
          TEMPORAL_NAMESPACE: env.namespace ?? 'default',
          VONAGE_API_HOST: sandboxListener.url,
          VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
          PHONE_HASH_KEY,
          PAYLOAD_ENCRYPTION_KEYS: PAYLOAD_ENCRYPTION_KEYS.map(({ id, key }) => `${id}:${key}`).join(','),
          VONAGE_TIMEOUT_MS: '5000',
        },
        stdio: ['ignore', spawnOptions.onOutput ? 'pipe' : 'inherit', spawnOptions.onOutput ? 'pipe' : 'inherit'],
      });
      if (spawnOptions.onOutput) onEachLine(child, spawnOptions.onOutput);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await system.stopInProcessWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await sandboxListener.close();
      await Promise.all([appKnex.destroy(), workerKnex.destroy(), lockKnex.destroy()]);
      await env.teardown();
      await db.drop();
    },
  };
  if (options.inProcessWorker ?? true) await system.startInProcessWorker();
  return system;
}

/** How a test's worker reaches the Vonage sandbox listening at `apiHost`. */
export function sandboxVonageOptions(apiHost: string): VonageOptions {
  return { apiHost, apiKey: SANDBOX_CREDENTIAL, apiSecret: SANDBOX_CREDENTIAL, timeoutMs: 5000 };
}

/** Calls `onLine` with every complete line a child process writes to its piped stdout or stderr. */
export function onEachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
