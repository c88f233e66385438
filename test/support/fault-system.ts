import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities, type ConsentStore } from '../../activities';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/app';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { AccountsRepository, type A2pStatus } from '../../src/db/accounts-repository';
import { OutboxRepository } from '../../src/db/outbox-repository';
import { createKnex } from '../../src/db/knex';
import { createSandbox, type Sandbox, type SandboxFault } from '../../src/sandbox/sandbox';
import { TASK_QUEUE } from '../../src/temporal';
import { createVonageClient, VonageSmsGateway } from '../../src/vonage/sms-gateway';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createTestDatabase, type TestDatabase } from './database';
import {
  callApi,
  onEachLine,
  PAYLOAD_ENCRYPTION_KEYS,
  PHONE_HASH_KEY,
  SIGNATURE_SECRET,
  type TestAccount,
} from './system';
import { bundleConsentWorkflows, temporalCliPath } from './temporal-cli';
import { sendAtAnyHour } from '../../src/sending-window/plan-send';
import { spawnApiProcess, startBalancer, type ApiProcess, type Balancer } from './api-replicas';
export { freePort } from '../../src/ports';
import { freePort } from '../../src/ports';

/**
 * The whole service for fault tests, with every part one a test can break: its own Temporal dev server (a child
 * process on a SQLite file, so it can be SIGTERMed or SIGKILLed and restarted on the same port and file), worker
 * processes (src/worker.ts, as in production, so they can be SIGKILLed), the API in this process (its Temporal
 * client reconnects by itself), the sandbox (setFault) and a fresh Postgres database (pg_terminate_backend).
 *
 * test/support/system.ts uses the SDK's TestWorkflowEnvironment, whose server a test cannot stop and restart;
 * this file reuses its secrets and payload keys so every process reads the same histories.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
/** Where per-fault logs of the API, sandbox, workers and dev server go (git-ignored). */
export const FAULT_LOG_DIR = path.join(REPO_ROOT, 'test-results', 'fault-logs');
const SANDBOX_CREDENTIAL = 'sandbox';
const TEMPORAL_READY_TIMEOUT_MS = 60_000;
const TEMPORAL_STOP_GRACE_MS = 15_000;
// A spawned worker bundles workflows/ with webpack before it polls; slow on two busy cores.
const WORKER_READY_TIMEOUT_MS = 180_000;
// Tests queue hundreds of texts a minute from one key; the production guard rail would only slow the run down.
const UNLIMITED_RATE = { apiPerMinute: 1_000_000, sendsPerMinute: 1_000_000 };

let runtimeInstalled = false;
let workflowBundle: Promise<{ code: string }> | undefined;

/** The dev server child process: started, stopped (any signal) and restarted on the same port and SQLite file. */
export interface DevServer {
  /** host:port, the same across restarts. */
  readonly address: string;
  readonly dbFilename: string;
  readonly isRunning: boolean;
  /** How many times the server was started (1 after startFaultSystem). */
  readonly starts: number;
  start(): Promise<void>;
  /** Sends `signal`; after SIGTERM, SIGKILLs it if it has not exited within 15 s. Resolves once it exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** One spawned src/worker.ts process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  readonly hasExited: boolean;
}

/** A worker in this process, for tests that wrap an activity dependency to inject a fault at an exact point. */
export interface InProcessWorker {
  stop(): Promise<void>;
}

/** Options of an in-process worker. */
export interface InProcessWorkerOptions {
  /** Wraps the real Postgres store (e.g. to fail an attempt right after its commit). */
  wrapStore?: (store: ConsentStore) => ConsentStore;
  vonageTimeoutMs?: number;
  reconcileWindowMs?: number;
}

/** Everything the fault tests drive and break. */
export interface FaultSystem {
  name: string;
  temporal: DevServer;
  /** A client with the payload codec, like the API's. */
  client: Client;
  db: TestDatabase;
  sandbox: Sandbox;
  sandboxUrl: string;
  /** Where clients and the sandbox reach the API: the API itself, or the balancer in front of its replicas. */
  apiUrl: string;
  /** The spawned API replicas (src/server.ts) beside the one in this process; none unless `apiReplicas` > 1. */
  apiProcesses: ApiProcess[];
  /** The balancer in front of the replicas, when there is more than one. */
  balancer?: Balancer;
  /** Spawns `api` again on its port (after a kill); resolves once it answers /readyz. */
  restartApi(api: ApiProcess): Promise<ApiProcess>;
  /** Counts of requests the sandbox answered with an injected fault, by mode. */
  sandboxFaultsApplied: Record<SandboxFault['mode'], number>;
  workers: WorkerProcess[];
  createAccount(options?: { a2pStatus?: A2pStatus }): Promise<TestAccount>;
  /** Calls our HTTP API with an API key and a JSON body. */
  api(
    method: string,
    route: string,
    options?: { key?: string; body?: unknown },
  ): Promise<{ status: number; body: any }>;
  /** Spawns src/worker.ts against this system; `waitUntilPolling` waits until it polls the task queue. */
  spawnWorker(options?: { waitUntilPolling?: boolean }): Promise<WorkerProcess>;
  /** Runs a worker in this process with the real activities, optionally with a wrapped store. */
  startInProcessWorker(options?: InProcessWorkerOptions): Promise<InProcessWorker>;
  /** Resolves once a poller with the worker's pid as identity is on the task queue. */
  waitUntilPolling(worker: WorkerProcess, timeoutMs?: number): Promise<void>;
  /** Lines printed by every spawned worker at warn level or above that mention this text (for failure messages). */
  workerLogLines(): string[];
  /** Something of a test's (an event receiver) to close with the system, before its workers are killed. */
  closeWith(close: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Options of one fault system. */
export interface FaultSystemOptions {
  /** Names the log files: test-results/fault-logs/<name>-*.log. */
  name: string;
  /** SEND_RECONCILE_WINDOW_MS of the workers: how long an unknown send waits for Vonage's callback. */
  reconcileWindowMs?: number;
  /** VONAGE_TIMEOUT_MS of the workers. */
  vonageTimeoutMs?: number;
  /** Pause before each sandbox status callback. */
  statusDelayMs?: number;
  /**
   * API replicas behind a round-robin balancer (test/support/api-replicas.ts): the one in this process and the
   * rest spawned as src/server.ts, as docker-compose.yml runs two. Default 1: the API in this process, no balancer.
   */
  apiReplicas?: number;
}

/**
 * Starts a fault system, one A2P-verified account and an in-process worker (with `worker`'s options) before the tests
 * of the enclosing describe, and closes the system after them; `use` receives the system and the account.
 */
export function startFaultSystemPerFile(
  options: FaultSystemOptions & { worker?: InProcessWorkerOptions },
  use: (started: { system: FaultSystem; account: TestAccount }) => void,
): void {
  const { worker, ...systemOptions } = options;
  let system: FaultSystem | undefined;
  before(async () => {
    system = await startFaultSystem(systemOptions);
    use({ system, account: await system.createAccount() });
    await system.startInProcessWorker(worker);
  });
  after(async () => {
    await system?.close();
  });
}

function cliAttributeType(type: string): string {
  const names: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', TEXT: 'Text' };
  const name = names[type];
  if (!name) throw new Error(`no Temporal CLI name for search attribute type ${type}`);
  return name;
}

function startDevServer(options: { port: number; dataDir: string; log: WriteStream }): DevServer {
  const address = `127.0.0.1:${options.port}`;
  const dbFilename = path.join(options.dataDir, 'temporal.sqlite');
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    dbFilename,
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((attribute) => [
      '--search-attribute',
      `${attribute.name}=${cliAttributeType(attribute.type)}`,
    ]),
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;

  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + TEMPORAL_READY_TIMEOUT_MS;
    let lastError = '';
    for (;;) {
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Temporal dev server exited while starting; see ${options.log.path as string}`);
      }
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return;
        } finally {
          await connection.close();
        }
      } catch (error) {
        lastError = String(error);
      }
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} not ready: ${lastError}`);
      await sleep(200);
    }
  }

  return {
    address,
    dbFilename,
    get isRunning() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    get starts() {
      return starts;
    },
    async start() {
      if (this.isRunning) return;
      starts += 1;
      options.log.write(`--- start ${starts} at ${new Date().toISOString()}\n`);
      const started = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
      started.stdout?.pipe(options.log, { end: false });
      started.stderr?.pipe(options.log, { end: false });
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      child = started;
      await waitUntilReady();
    },
    async stop(signal) {
      const running = child;
      if (!running || !this.isRunning) return;
      options.log.write(`--- ${signal} at ${new Date().toISOString()}\n`);
      running.kill(signal);
      const killer = setTimeout(() => running.kill('SIGKILL'), TEMPORAL_STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A pino destination that counts the sandbox's "applying fault" lines and keeps warnings in a file. */
function sandboxLogSink(counts: Record<SandboxFault['mode'], number>, log: WriteStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length === 0) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; mode?: SandboxFault['mode']; level?: number };
          if (entry.msg === 'sandbox applying fault' && entry.mode) counts[entry.mode] += 1;
          if ((entry.level ?? 0) >= 40) log.write(`${line}\n`);
        } catch {
          log.write(`${line}\n`);
        }
      }
      callback();
    },
  });
}

/** Sends knex's own warnings (it has no logger option once built) to `log` instead of stdout. */
function routeKnexWarnings(knex: ReturnType<typeof createKnex>, log: WriteStream): void {
  const logger = (knex.client as { logger?: { _warn?: (message: string) => void } }).logger;
  if (logger) logger._warn = (message) => log.write(`knex: ${message}\n`);
}

/** Starts the dev server, Postgres database, sandbox, API and (optionally) one worker for a fault test file. */
export async function startFaultSystem(options: FaultSystemOptions): Promise<FaultSystem> {
  mkdirSync(FAULT_LOG_DIR, { recursive: true });
  const logFile = (part: string) => createWriteStream(path.join(FAULT_LOG_DIR, `${options.name}-${part}.log`));
  const temporalLog = logFile('temporal');
  const apiLog = logFile('api');
  const workerLog = logFile('workers');
  // tmpfs when the machine has one: the SQLite file survives the server's restarts all the same, and its fsyncs
  // do not slow every workflow step down on a busy disk.
  const tmpRoot = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dataDir = mkdtempSync(path.join(tmpRoot, 'sms-consent-faults-'));

  const temporal = startDevServer({ port: await freePort(), dataDir, log: temporalLog });
  await temporal.start();
  const db = await createTestDatabase();

  const sandboxFaultsApplied: Record<SandboxFault['mode'], number> = { http429: 0, http500: 0, timeout: 0, slow: 0 };
  const sandbox = createSandbox({
    apiKey: SANDBOX_CREDENTIAL,
    apiSecret: SANDBOX_CREDENTIAL,
    signatureSecret: SIGNATURE_SECRET,
    statusDelayMs: options.statusDelayMs,
    logger: pino({ level: 'info' }, sandboxLogSink(sandboxFaultsApplied, apiLog)),
  });
  const sandboxListener = await sandbox.listen(0, '127.0.0.1');

  const payloadCodec = new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [payloadCodec] } });
  const appKnex = createKnex({ databaseUrl: db.url, poolMax: 10 });
  const apiLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }, apiLog);
  const app = createApp({
    knex: appKnex,
    client,
    logger: apiLogger,
    phoneHashKey: PHONE_HASH_KEY,
    vonageSignatureSecret: SIGNATURE_SECRET,
    webhookMaxAgeSeconds: 300,
    rateLimits: UNLIMITED_RATE,
    payloadCodec,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const inProcessApiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // knex prints "Connection Error: ..." to stdout for every pooled connection F3 terminates; keep it in the log.
  for (const pool of [appKnex, db.knex]) routeKnexWarnings(pool, apiLog);
  const accounts = new AccountsRepository(db.knex);
  const workers: WorkerProcess[] = [];
  const workerWarnings: string[] = [];
  const inProcessWorkers = new Set<InProcessWorker>();
  const closers: (() => Promise<void>)[] = [];
  let senderCounter = 0;
  /** The environment of every spawned process, as in production: workers and API replicas read the same. */
  const childEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'test',
    QUIET_HOURS: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    VONAGE_API_HOST: sandboxListener.url,
    VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
    PHONE_HASH_KEY,
    PAYLOAD_ENCRYPTION_KEYS: PAYLOAD_ENCRYPTION_KEYS.map(({ id, key }) => `${id}:${key}`).join(','),
    VONAGE_TIMEOUT_MS: String(options.vonageTimeoutMs ?? 5000),
    SEND_RECONCILE_WINDOW_MS: String(options.reconcileWindowMs ?? 20_000),
    WORKER_SHUTDOWN_GRACE_MS: '5000',
    WORKER_METRICS_ADDRESS: '',
    API_RATE_LIMIT_PER_MINUTE: String(UNLIMITED_RATE.apiPerMinute),
    API_SENDS_RATE_LIMIT_PER_MINUTE: String(UNLIMITED_RATE.sendsPerMinute),
    WEBHOOK_MAX_AGE_SECONDS: '300',
  });
  const apiProcesses: ApiProcess[] = [];
  for (let i = 1; i < (options.apiReplicas ?? 1); i += 1) {
    apiProcesses.push(await spawnApiProcess({ port: await freePort(), env: childEnv(), log: apiLog }));
  }
  const balancer =
    apiProcesses.length > 0 ? await startBalancer([inProcessApiUrl, ...apiProcesses.map((api) => api.url)]) : undefined;
  const apiUrl = balancer?.url ?? inProcessApiUrl;
  sandbox.setWebhookBaseUrl(apiUrl);

  const system: FaultSystem = {
    name: options.name,
    temporal,
    client,
    db,
    sandbox,
    sandboxUrl: sandboxListener.url,
    apiUrl,
    apiProcesses,
    balancer,
    async restartApi(api) {
      const restarted = await spawnApiProcess({ port: Number(new URL(api.url).port), env: childEnv(), log: apiLog });
      apiProcesses.splice(apiProcesses.indexOf(api), 1, restarted);
      return restarted;
    },
    sandboxFaultsApplied,
    workers,
    async createAccount(accountOptions = {}) {
      senderCounter += 1;
      const senderNumber = `+1201555${(1000 + senderCounter).toString().padStart(4, '0')}`;
      const account = await accounts.createAccount({
        name: 'Acme Realty',
        senderNumber,
        a2pStatus: accountOptions.a2pStatus ?? 'verified',
      });
      const admin = await accounts.createApiKey(account.id, 'admin');
      const agent = await accounts.createApiKey(account.id, 'agent');
      return { accountId: account.id, senderNumber, adminKey: admin.apiKey, agentKey: agent.apiKey };
    },
    api: (method, route, callOptions) => callApi(apiUrl, method, route, callOptions),
    async spawnWorker(spawnOptions = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/worker.ts')], {
        cwd: REPO_ROOT,
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (child.pid === undefined) throw new Error('could not spawn the worker');
      const pid = child.pid;
      workerLog.write(`--- worker ${pid} spawned at ${new Date().toISOString()}\n`);
      onEachLine(child, (line) => {
        workerLog.write(`[${pid}] ${line}\n`);
        if (workerWarnings.length < 2000) workerWarnings.push(`[${pid}] ${line}`);
      });
      let hasExited = false;
      const exited = new Promise<void>((resolve) =>
        child.once('exit', (code, signal) => {
          hasExited = true;
          workerLog.write(`--- worker ${pid} exited (${signal ?? code}) at ${new Date().toISOString()}\n`);
          resolve();
        }),
      );
      const worker: WorkerProcess = {
        child,
        pid,
        exited,
        get hasExited() {
          return hasExited;
        },
      };
      workers.push(worker);
      if (spawnOptions.waitUntilPolling) await system.waitUntilPolling(worker);
      return worker;
    },
    async waitUntilPolling(worker, timeoutMs = WORKER_READY_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (worker.hasExited) throw new Error(`worker ${worker.pid} exited before it polled`);
        try {
          const { pollers } = await client.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: TASK_QUEUE },
          });
          if (pollers?.some((poller) => poller.identity?.startsWith(`${worker.pid}@`))) return;
        } catch {
          // Temporal may be restarting; keep polling until the deadline.
        }
        if (Date.now() > deadline) throw new Error(`worker ${worker.pid} did not poll within ${timeoutMs} ms`);
        await sleep(250);
      }
    },
    async startInProcessWorker(workerOptions = {}) {
      if (!runtimeInstalled) {
        Runtime.install({ logger: new DefaultLogger('ERROR') });
        runtimeInstalled = true;
      }
      workflowBundle ??= bundleConsentWorkflows();
      const knex = createKnex({ databaseUrl: db.url, poolMax: 20 });
      // Idle lock connections are kept for the whole run, so a number lock left on one (a release that never ran)
      // survives until the run's final check for advisory locks (fault-run.ts) instead of closing with it.
      const lockKnex = createKnex({ databaseUrl: db.url, poolMax: 16, idleTimeoutMs: 60 * 60 * 1000 });
      const store = new OutboxRepository(knex, lockKnex);
      const nativeConnection = await NativeConnection.connect({ address: temporal.address });
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue: TASK_QUEUE,
        workflowBundle: await workflowBundle,
        activities: createActivities({
          store: workerOptions.wrapStore ? workerOptions.wrapStore(store) : store,
          sms: new VonageSmsGateway(
            createVonageClient({
              apiHost: sandboxListener.url,
              apiKey: SANDBOX_CREDENTIAL,
              apiSecret: SANDBOX_CREDENTIAL,
              timeoutMs: workerOptions.vonageTimeoutMs ?? options.vonageTimeoutMs ?? 5000,
            }),
          ),
          reconcileWindowMs: workerOptions.reconcileWindowMs ?? options.reconcileWindowMs ?? 20_000,
          // The fault suite runs at any hour; quiet hours have their own suite.
          planSend: sendAtAnyHour,
        }),
        dataConverter: { payloadCodecs: [payloadCodec] },
      });
      const running = worker.run();
      const handle: InProcessWorker = {
        async stop() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
          await nativeConnection.close();
          await Promise.all([knex.destroy(), lockKnex.destroy()]);
          inProcessWorkers.delete(handle);
        },
      };
      inProcessWorkers.add(handle);
      return handle;
    },
    workerLogLines: () => [...workerWarnings],
    closeWith(close) {
      closers.push(close);
    },
    async close() {
      await Promise.all(closers.map((close) => close().catch(() => undefined)));
      for (const worker of [...inProcessWorkers]) await worker.stop();
      for (const worker of workers) if (!worker.hasExited) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await balancer?.close();
      for (const api of apiProcesses) if (!api.hasExited) api.child.kill('SIGKILL');
      await Promise.all(apiProcesses.map((api) => api.exited));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandboxListener.close();
      await appKnex.destroy();
      await connection.close();
      await temporal.stop('SIGKILL');
      await db.drop();
      for (const stream of [temporalLog, apiLog, workerLog]) stream.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}
