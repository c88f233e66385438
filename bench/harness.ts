import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { AccountsRepository } from '../src/db/accounts-repository';
import { createKnex, migrateToLatest } from '../src/db/knex';
import { createSandbox, type Sandbox, type SandboxListener } from '../src/sandbox/sandbox';
import { connectClient, TASK_QUEUE } from '../src/temporal';
import { temporalCliPath } from '../test/support/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { FLOOR_TASK_QUEUE } from './floor-workflow';
import { postmasterOf } from './machine';
import { freePort } from '../src/ports';

/**
 * The whole system for one bench run, on this machine only (127.0.0.1), in the production process shape:
 *
 * - the Temporal dev server, with its SQLite file in a temporary folder under .data/ (so its size can be measured);
 * - a fresh Postgres database `sms_consent_bench_*`, migrated, dropped at the end;
 * - the Vonage sandbox, in this process (it records every text, which is how the bench sees deliveries);
 * - our API (src/server.ts), our worker (src/worker.ts) and the floor's worker (bench/floor-worker.ts), each a child
 *   process, so each has its own event loop and its memory can be read from /proc. Ours run unchanged; only their
 *   environment differs from production (see `childEnv`).
 *
 * `startReplicas()` adds a second API and a second worker, as docker-compose.yml runs two of each, for the
 * scale-out phase (bench/phases/scale-out.ts).
 */

export const BENCH_SIGNATURE_SECRET = 'bench-signature-secret-0123456789';
export const BENCH_PHONE_HASH_KEY = 'bench-phone-hash-key-0123456789';
export const BENCH_ACCOUNT_NAME = 'Bench Realty';
export const BENCH_SENDER = '+12015550199';
const SANDBOX_CREDENTIAL = 'sandbox';
const REPO_ROOT = path.resolve(__dirname, '..');
const NAMESPACE = 'default';
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;
/** The highest per-minute limit src/config.ts accepts: far more than the bench can send. */
const UNLIMITED_PER_MINUTE = 1_000_000_000;

/** Where the bench finds Postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server. */
export function basePostgresUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

/** A running child process of the bench. */
export interface BenchChild {
  name: string;
  pid: number;
  child: ChildProcess;
}

/** The bench account: verified for A2P, with one agent key. */
export interface BenchAccount {
  accountId: string;
  name: string;
  senderNumber: string;
  agentKey: string;
}

/** Everything a phase needs. */
export interface BenchSystem {
  dataDir: string;
  sqlitePath: string;
  temporalAddress: string;
  /** A client with the payload codec, like the API's. */
  client: Client;
  databaseName: string;
  databaseUrl: string;
  /** For the bench's own reads (sizes, statistics); never used by the service. */
  knex: Knex;
  /**
   * The Postgres postmaster, when Postgres runs on this machine where /proc shows it. Its process tree is the whole
   * cluster, shared with other databases and other users, not only the bench's database.
   */
  postmasterPid: number | undefined;
  sandbox: Sandbox;
  sandboxUrl: string;
  apiUrl: string;
  temporal: BenchChild;
  api: BenchChild;
  worker: BenchChild;
  floorWorker: BenchChild;
  account: BenchAccount;
  /** Seconds each part took to become ready. */
  startupSeconds: Record<string, number>;
  /**
   * Starts a second API (src/server.ts on another port) and a second worker (src/worker.ts), with the same
   * environment as the first ones: the same Postgres database, Temporal server, task queue and sandbox. Resolves
   * once the API answers /readyz and the worker polls the task queue.
   */
  startReplicas(): Promise<BenchReplicas>;
  close(options?: { keep?: boolean }): Promise<void>;
}

/** The second API and worker of the scale-out phase. */
export interface BenchReplicas {
  api: BenchChild;
  apiUrl: string;
  worker: BenchChild;
  /** Seconds each took to become ready (they start together). */
  startupSeconds: { api: number; worker: number };
  /** Stops both (SIGTERM, SIGKILL after a grace period): the API first, then the worker. */
  stop(): Promise<void>;
}

/** What a run may set on the system it starts. */
export interface BenchSystemOptions {
  onStatus?: (line: string) => void;
  /** Our worker's sticky-cache size (WORKER_MAX_CACHED_WORKFLOWS); undefined: the SDK's default. */
  workerMaxCachedWorkflows?: number;
  /**
   * Runs our API and worker under `node --cpu-prof`, writing api.cpuprofile and worker.cpuprofile here when they
   * exit (bench/profile.ts).
   */
  cpuProfileDir?: string;
  /**
   * Starts the dev server with eager activity dispatch on: an activity that a workflow task schedules on the task
   * queue of the worker completing it comes back in that task's response, without a trip through matching. A server
   * setting (system.enableActivityEagerExecution, off by default); workers take eager activities unless told not to.
   */
  eagerActivities?: boolean;
}

/** Starts everything and returns once the API answers and both workers poll their task queues. */
export async function startBenchSystem(options: BenchSystemOptions = {}): Promise<BenchSystem> {
  const say = options.onStatus ?? (() => undefined);
  // On disk in the git-ignored .data/, where `make start` keeps its SQLite file too (not a tmpfs).
  mkdirSync(path.join(REPO_ROOT, '.data'), { recursive: true });
  const dataDir = mkdtempSync(path.join(REPO_ROOT, '.data', 'bench-'));
  const sqlitePath = path.join(dataDir, 'temporal.sqlite');
  const children: BenchChild[] = [];
  const logs: WriteStream[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const startupSeconds: Record<string, number> = {};
  const databaseName = `sms_consent_bench_${process.pid}_${Date.now().toString(36)}`;
  let isDatabaseCreated = false;
  const killAll = () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const startChild = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv): BenchChild => {
    const log = createWriteStream(path.join(dataDir, `${name}.log`));
    logs.push(log);
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    if (child.pid === undefined) throw new Error(`${name} could not start`);
    const started: BenchChild = { name, pid: child.pid, child };
    children.push(started);
    return started;
  };
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const startedAt = Date.now();
    const value = await work();
    startupSeconds[what] = (Date.now() - startedAt) / 1000;
    say(`${what} ready in ${startupSeconds[what].toFixed(1)} s`);
    return value;
  };

  try {
    const temporalPort = await freePort();
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const databaseUrl = withDatabase(basePostgresUrl(), databaseName);
    const payloadKeys = loadConfig({ PAYLOAD_ENCRYPTION_KEYS: process.env.PAYLOAD_ENCRYPTION_KEYS }).temporal
      .payloadEncryptionKeys;

    const temporal = startChild(
      'temporal',
      process.env.TEMPORAL_CLI_PATH || temporalCliPath(),
      [
        'server',
        'start-dev',
        '--headless',
        '--db-filename',
        sqlitePath,
        '--ip',
        '127.0.0.1',
        '--port',
        String(temporalPort),
        '--log-level',
        'warn',
        ...(options.eagerActivities ? ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'] : []),
        ...SEARCH_ATTRIBUTES.flatMap((attribute) => [
          '--search-attribute',
          `${attribute.name}=${cliAttributeType(attribute.type)}`,
        ]),
      ],
      process.env,
    );
    const [client] = await Promise.all([
      timed('temporal', () => waitForTemporal(temporalAddress, payloadKeys, temporal)),
      timed('postgres', () => {
        isDatabaseCreated = true;
        return migrateToLatest(databaseUrl);
      }),
    ]);
    cleanups.push(() => client.connection.close());
    const knex = createKnex({ databaseUrl, poolMax: 4 });
    cleanups.push(async () => {
      await knex.destroy();
    });
    const postmasterPid = await knex
      .raw('select pg_backend_pid() as pid')
      .then((result) => postmasterOf(Number(result.rows[0]?.pid)))
      .catch(() => undefined);

    const sandbox = createSandbox({
      apiKey: SANDBOX_CREDENTIAL,
      apiSecret: SANDBOX_CREDENTIAL,
      signatureSecret: BENCH_SIGNATURE_SECRET,
      logger: pino({ level: 'warn' }),
    });
    const sandboxListener: SandboxListener = await sandbox.listen(0, '127.0.0.1');
    cleanups.push(() => sandboxListener.close());

    // Chosen just before the API starts, so that the time another process could take the port in is short.
    const apiPort = await freePort();
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      // Quiet hours enforced as in production; the bench's leads live in a zone where it is daytime (bench/http.ts).
      QUIET_HOURS: 'enforce',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_API_KEY: '',
      PAYLOAD_ENCRYPTION_KEYS: payloadKeys.map(({ id, key }) => `${id}:${key}`).join(','),
      VONAGE_API_HOST: sandboxListener.url,
      VONAGE_API_KEY: '',
      VONAGE_API_SECRET: '',
      VONAGE_APPLICATION_ID: '',
      VONAGE_PRIVATE_KEY: '',
      VONAGE_SIGNATURE_SECRET: BENCH_SIGNATURE_SECRET,
      PHONE_HASH_KEY: BENCH_PHONE_HASH_KEY,
      WORKER_METRICS_ADDRESS: '',
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      // The bench sends thousands of texts a minute with one key; at the default 120 sends a minute it would
      // measure only the limiter.
      API_RATE_LIMIT_PER_MINUTE: String(UNLIMITED_PER_MINUTE),
      API_SENDS_RATE_LIMIT_PER_MINUTE: String(UNLIMITED_PER_MINUTE),
      WORKER_MAX_CACHED_WORKFLOWS: options.workerMaxCachedWorkflows?.toString() ?? '',
    };
    const tsx = (entry: string) => ['--import', 'tsx', path.join(REPO_ROOT, entry)];
    const profiled = (name: string, entry: string) => [
      ...(options.cpuProfileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
        : []),
      ...tsx(entry),
    ];
    const api = startChild('api', process.execPath, profiled('api', 'src/server.ts'), childEnv);
    const worker = startChild('worker', process.execPath, profiled('worker', 'src/worker.ts'), childEnv);
    const floorWorker = startChild('floor-worker', process.execPath, tsx('bench/floor-worker.ts'), childEnv);
    const [apiUrl] = await Promise.all([
      timed('api', () => waitForApi(`http://127.0.0.1:${apiPort}`, api)),
      timed('worker', () => waitForPoller(client, TASK_QUEUE, worker)),
      timed('floor worker', () => waitForPoller(client, FLOOR_TASK_QUEUE, floorWorker)),
    ]);
    sandbox.setWebhookBaseUrl(apiUrl);

    const startReplicas = async (): Promise<BenchReplicas> => {
      const replicaPort = await freePort();
      const replicaApi = startChild('api-2', process.execPath, tsx('src/server.ts'), {
        ...childEnv,
        PORT: String(replicaPort),
      });
      const replicaWorker = startChild('worker-2', process.execPath, tsx('src/worker.ts'), childEnv);
      const stop = async () => {
        await stopChild(replicaApi.child);
        await stopChild(replicaWorker.child);
      };
      const readyAfter = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
        const startedAt = Date.now();
        const value = await work();
        return [value, (Date.now() - startedAt) / 1000];
      };
      try {
        const [[replicaUrl, apiSeconds], [, workerSeconds]] = await Promise.all([
          readyAfter(() => waitForApi(`http://127.0.0.1:${replicaPort}`, replicaApi)),
          readyAfter(() => waitForPoller(client, TASK_QUEUE, replicaWorker)),
        ]);
        return {
          api: replicaApi,
          apiUrl: replicaUrl,
          worker: replicaWorker,
          startupSeconds: { api: apiSeconds, worker: workerSeconds },
          stop,
        };
      } catch (error) {
        const tails = [replicaApi, replicaWorker]
          .filter(({ child }) => child.exitCode !== null || child.signalCode !== null)
          .map(({ name }) => `--- ${name}.log (last lines) ---\n${logTail(path.join(dataDir, `${name}.log`))}`);
        await stop();
        if (tails.length > 0 && error instanceof Error) error.message += `\n${tails.join('\n')}`;
        throw error;
      }
    };

    const accounts = new AccountsRepository(knex);
    const created = await accounts.createAccount({
      name: BENCH_ACCOUNT_NAME,
      senderNumber: BENCH_SENDER,
      a2pStatus: 'verified',
    });
    const agent = await accounts.createApiKey(created.id, 'agent', 'bench');

    return {
      dataDir,
      sqlitePath,
      temporalAddress,
      client,
      databaseName,
      databaseUrl,
      knex,
      postmasterPid,
      sandbox,
      sandboxUrl: sandboxListener.url,
      apiUrl,
      temporal,
      api,
      worker,
      floorWorker,
      account: { accountId: created.id, name: BENCH_ACCOUNT_NAME, senderNumber: BENCH_SENDER, agentKey: agent.apiKey },
      startupSeconds,
      startReplicas,
      close: (closeOptions) => shutDown(closeOptions?.keep ?? false),
    };
  } catch (error) {
    const tails = children
      .filter(({ child }) => child.exitCode !== null || child.signalCode !== null)
      .map(({ name }) => `--- ${name}.log (last lines) ---\n${logTail(path.join(dataDir, `${name}.log`))}`);
    await shutDown(false);
    if (tails.length > 0 && error instanceof Error) error.message += `\n${tails.join('\n')}`;
    throw error;
  }

  async function shutDown(keep: boolean): Promise<void> {
    // Newest first: the workers and the API stop before Temporal goes away.
    for (const { child } of [...children].reverse()) await stopChild(child);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const log of logs) log.end();
    process.off('exit', killAll);
    if (!keep) {
      if (isDatabaseCreated) await dropDatabase(databaseName).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/** Bytes of the dev server's SQLite store: the database file plus its write-ahead log and shared memory. */
export function sqliteBytes(sqlitePath: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      total += statSync(`${sqlitePath}${suffix}`).size;
    } catch {
      // not there
    }
  }
  return total;
}

/** Resident memory of a process in bytes (VmRSS from /proc), or undefined where /proc is missing. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// --- helpers ---------------------------------------------------------------------------------------------------

function withDatabase(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const admin = knexFactory({
    client: 'pg',
    connection: withDatabase(basePostgresUrl(), 'postgres'),
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.destroy();
  }
}

const CLI_ATTRIBUTE_TYPES: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', TEXT: 'Text' };

function cliAttributeType(type: string): string {
  const cliType = CLI_ATTRIBUTE_TYPES[type];
  if (!cliType) throw new Error(`search attribute type ${type} has no Temporal CLI name here`);
  return cliType;
}

function assertAlive(child: BenchChild): void {
  if (child.child.exitCode !== null || child.child.signalCode !== null) {
    throw new Error(`${child.name} exited (${child.child.exitCode ?? child.child.signalCode}) during startup`);
  }
}

async function pollUntil<T>(what: string, child: BenchChild, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline) {
    assertAlive(child);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${what} was not ready within ${READY_TIMEOUT_MS / 1000} s${lastError ? `: ${lastError}` : ''}`);
}

async function waitForTemporal(
  address: string,
  payloadEncryptionKeys: ReturnType<typeof loadConfig>['temporal']['payloadEncryptionKeys'],
  temporal: BenchChild,
): Promise<Client> {
  return pollUntil('the Temporal dev server', temporal, async () => {
    const client = await connectClient({ address, namespace: NAMESPACE, payloadEncryptionKeys });
    try {
      await client.workflowService.describeNamespace({ namespace: NAMESPACE });
      return client;
    } catch (error) {
      await client.connection.close();
      throw error;
    }
  });
}

/** A worker is ready when a poller on its task queue carries its process's identity (the SDK's `pid@host`). */
async function waitForPoller(client: Client, taskQueue: string, worker: BenchChild): Promise<void> {
  await pollUntil(`the worker on ${taskQueue}`, worker, async () => {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: NAMESPACE,
      taskQueue: { name: taskQueue },
    });
    return pollers?.some((poller) => poller.identity?.startsWith(`${worker.pid}@`)) ? true : undefined;
  });
}

/** The API is ready when /readyz answers 200: it listens, and reaches Postgres and Temporal. */
async function waitForApi(url: string, api: BenchChild): Promise<string> {
  return pollUntil('the API', api, async () => {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? url : undefined;
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
