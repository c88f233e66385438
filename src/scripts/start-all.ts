import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../config';
import { migrateToLatest } from '../db/knex';
import { resolveLogFormat } from '../logger';
import { connectClient, TASK_QUEUE } from '../temporal';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { say, StoppingError, Supervisor, waitUntil } from './supervisor';
import { EMBEDDED_POSTGRES_DIR, EMBEDDED_POSTGRES_SCRIPT, isPostgresReady } from './embedded-postgres';
import { isListening } from '../ports';

/**
 * `make start` (npm run start:all): the whole system on one machine. Starts an embedded Postgres when DATABASE_URL
 * is unset and nothing answers on 127.0.0.1:5432, and the Temporal dev server (SQLite file and Web UI) unless one
 * already listens on TEMPORAL_ADDRESS, migrates Postgres, then runs the sandbox (without Vonage credentials), the
 * worker and the API as child processes, prints every URL, and stops them all in reverse order on Ctrl+C or SIGTERM.
 *
 * Options (not config keys, because only this script uses them): `--ui-port` (default: the port of
 * TEMPORAL_UI_URL, 8233) and `--data-dir` (default: .data/ in the repository, where temporal.sqlite and the
 * embedded Postgres cluster live).
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
const TEMPORAL_READY_TIMEOUT_MS = 60_000;
// The embedded Postgres creates its cluster (initdb) on the first run.
const POSTGRES_READY_TIMEOUT_MS = 120_000;
const SANDBOX_READY_TIMEOUT_MS = 30_000;
// The worker bundles workflows/ with webpack before it polls; that takes a while on a cold machine.
const WORKER_READY_TIMEOUT_MS = 120_000;
const API_READY_TIMEOUT_MS = 60_000;
const DEMO_SENDER = '+12015550100';
const DEMO_LEAD_PHONE = '+12015550123';

const execFileAsync = promisify(execFile);

/** Options of this script. */
export interface StartAllOptions {
  uiPort: number;
  dataDir: string;
}

async function httpStatus(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

/** `host:port` of TEMPORAL_ADDRESS; IPv6 hosts may be bracketed. */
function parseAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return { host: address, port: 7233 };
  return { host: match[1]!, port: Number(match[2]) };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** The host a browser or curl on this machine uses to reach a server bound to `host`. */
function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** The dev server's name for each SDK search attribute type. */
const CLI_ATTRIBUTE_TYPES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

function cliAttributeType(type: string): string {
  const cliType = CLI_ATTRIBUTE_TYPES[type];
  if (cliType === undefined) throw new Error(`search attribute type ${type} has no Temporal CLI name`);
  return cliType;
}

/** Starts the dev server, or reuses one already listening (registering our search attributes on it). */
async function provideTemporal(
  supervisor: Supervisor,
  config: Config,
  options: StartAllOptions,
): Promise<{ uiUrl: string; startedHere: boolean }> {
  const { host, port } = parseAddress(config.temporal.address);
  const cli = config.temporal.cliPath ?? 'temporal';
  const isLocal = LOOPBACK_HOSTS.has(host) && config.temporal.apiKey === undefined;
  if (!isLocal) {
    say(`using the Temporal cluster at ${config.temporal.address}; its operator registers the search attributes`);
    return { uiUrl: config.temporal.uiUrl, startedHere: false };
  }
  if (await isListening(host, port)) {
    say(`Temporal already listens on ${host}:${port}; reusing it`);
    for (const attribute of SEARCH_ATTRIBUTES) {
      await registerSearchAttribute(cli, config, attribute.name, cliAttributeType(attribute.type));
    }
    return { uiUrl: config.temporal.uiUrl, startedHere: false };
  }

  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    config.temporal.namespace,
    // Payloads are encrypted (src/codec/), and the UI asks the API's codec endpoint to decrypt them. In development
    // that is the endpoint for the local UI, which needs no key; elsewhere the operator-only one (README).
    '--ui-codec-endpoint',
    `http://${reachableHost(config.host)}:${config.port}/v1/codec${config.nodeEnv === 'development' ? '/local' : ''}`,
    ...SEARCH_ATTRIBUTES.flatMap((attribute) => [
      '--search-attribute',
      `${attribute.name}=${cliAttributeType(attribute.type)}`,
    ]),
  ];
  supervisor.start('temporal', cli, args);
  return { uiUrl: `http://127.0.0.1:${options.uiPort}`, startedHere: true };
}

async function registerSearchAttribute(cli: string, config: Config, name: string, type: string): Promise<void> {
  const args = ['operator', 'search-attribute', 'create', '--name', name, '--type', type];
  const target = ['--address', config.temporal.address, '--namespace', config.temporal.namespace];
  try {
    await execFileAsync(cli, [...args, ...target], { timeout: 30_000 });
  } catch (error) {
    const output = `${(error as { stderr?: string }).stderr ?? ''} ${(error as Error).message}`;
    if (/already exists/i.test(output)) return;
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new Error(`the Temporal CLI was not found at "${cli}"; set TEMPORAL_CLI_PATH or run \`make start\``);
    }
    throw new Error(`could not register search attribute ${name}: ${output.trim()}`);
  }
}

/**
 * Starts the embedded Postgres (src/scripts/embedded-postgres.ts) on 127.0.0.1:5432 when DATABASE_URL is unset
 * and nothing answers there, so that the default URL, which the CLI in another terminal uses too, reaches it.
 * Returns the data directory of the one it started; a configured or already running server is used as it is.
 */
async function providePostgres(
  supervisor: Supervisor,
  config: Config,
  options: StartAllOptions,
): Promise<string | undefined> {
  const { hostname, port } = new URL(config.databaseUrl);
  if (!config.isDefaultDatabase || (await isListening(hostname, Number(port || 5432)))) return undefined;
  say(`nothing answers on ${hostname}:${port} and DATABASE_URL is unset: starting an embedded Postgres`);
  const dataDir = path.join(options.dataDir, EMBEDDED_POSTGRES_DIR);
  supervisor.start('postgres', process.execPath, [
    ...tsxArgs(EMBEDDED_POSTGRES_SCRIPT),
    '--port',
    port,
    '--data-dir',
    dataDir,
  ]);
  return dataDir;
}

async function waitForPostgres(config: Config, signal: AbortSignal): Promise<void> {
  const adminUrl = new URL(config.databaseUrl);
  adminUrl.pathname = '/postgres';
  await waitUntil('the embedded Postgres', POSTGRES_READY_TIMEOUT_MS, signal, async () =>
    (await isPostgresReady(adminUrl.toString())) ? true : undefined,
  );
}

/** Connects once Temporal answers and the namespace exists (the dev server creates it shortly after it listens). */
async function waitForTemporal(config: Config, signal: AbortSignal): Promise<Client> {
  return waitUntil(`Temporal at ${config.temporal.address}`, TEMPORAL_READY_TIMEOUT_MS, signal, async () => {
    const client = await connectClient(config.temporal);
    try {
      await client.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      return client;
    } catch (error) {
      await client.connection.close();
      throw error;
    }
  });
}

/** Ready when a poller on our task queue carries the worker process's identity (the SDK's default `pid@host`). */
async function waitForWorker(client: Client, config: Config, pid: number, signal: AbortSignal): Promise<void> {
  await waitUntil('the worker', WORKER_READY_TIMEOUT_MS, signal, async () => {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: TASK_QUEUE },
    });
    return pollers?.some((poller) => poller.identity?.startsWith(`${pid}@`)) ? true : undefined;
  });
}

function tsxArgs(entryPoint: string): string[] {
  return ['--import', 'tsx', path.resolve(REPO_ROOT, entryPoint)];
}

/**
 * The children write to pipes, not to this terminal, so they would choose JSON logs and no colours; they follow this
 * process's terminal instead, unless LOG_FORMAT says otherwise.
 */
function childOverrides(config: Config): Record<string, string> {
  const isTerminal = Boolean(process.stdout.isTTY);
  const format = resolveLogFormat(config.logFormat, isTerminal);
  return { LOG_FORMAT: format, ...(format === 'pretty' && isTerminal ? { FORCE_COLOR: '1' } : {}) };
}

/** A path as short as it can be said: relative when it is inside the working directory. */
function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') ? absolute : relative;
}

function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

function readyBlock(lines: {
  apiUrl: string;
  temporalUiUrl: string;
  config: Config;
  sandboxUrl: string | undefined;
  embeddedPostgresDir: string | undefined;
}): string {
  const { apiUrl, temporalUiUrl, config, sandboxUrl, embeddedPostgresDir } = lines;
  const curl =
    `curl -sS -X POST ${apiUrl}/v1/messages -H "Authorization: Bearer <apiKey>" -H 'content-type: application/json' ` +
    `-d '{"leadId":"lead-1","phone":"${DEMO_LEAD_PHONE}","body":"Hello from Demo"}'`;
  const replyHint = sandboxUrl
    ? `npm run cli -- sandbox reply --from ${DEMO_LEAD_PHONE} --to ${DEMO_SENDER} --text START`
    : `reply START from ${DEMO_LEAD_PHONE} to your Vonage number`;
  return [
    '',
    '==== sms-consent is ready ====',
    `  API              ${apiUrl}`,
    `  Temporal Web UI  ${temporalUiUrl}`,
    `  Temporal gRPC    ${config.temporal.address} (namespace ${config.temporal.namespace})`,
    `  Vonage           ${sandboxUrl ? `sandbox at ${sandboxUrl}` : `real API at ${config.vonage.apiHost}`}`,
    `  Postgres         ${withoutPassword(config.databaseUrl)}${embeddedPostgresDir ? ` (embedded, data in ${displayPath(embeddedPostgresDir)})` : ''}`,
    '',
    '  Try it:',
    `    npm run cli -- account create --name Demo --sender ${DEMO_SENDER} --a2p verified`,
    `    ${curl}`,
    `    ${replyHint}`,
    '',
    '  Ctrl+C stops everything.',
    '',
  ].join('\n');
}

/** Starts everything in order and prints the ready block; throws StoppingError when stopped midway. */
async function startEverything(supervisor: Supervisor, config: Config, options: StartAllOptions): Promise<void> {
  const { signal } = supervisor;
  const host = reachableHost(config.host);
  for (const [what, port] of [
    ['the API (PORT)', config.port],
    ...(config.vonage.isSandbox ? [['the sandbox (SANDBOX_PORT)', config.sandboxPort] as const] : []),
  ] as const) {
    if (await isListening(host, port)) {
      throw new Error(`port ${port} for ${what} is already in use; is another \`make start\` running?`);
    }
  }

  const embeddedPostgresDir = await providePostgres(supervisor, config, options);
  const temporal = await provideTemporal(supervisor, config, options);
  const client = await waitForTemporal(config, signal);
  try {
    say(`Temporal answers at ${config.temporal.address}`);

    if (embeddedPostgresDir) await waitForPostgres(config, signal);
    await migrateToLatest(config.databaseUrl);
    say(`Postgres migrated: ${withoutPassword(config.databaseUrl)}`);

    let sandboxUrl: string | undefined;
    if (config.vonage.isSandbox) {
      sandboxUrl = `http://${host}:${config.sandboxPort}`;
      supervisor.start('sandbox', process.execPath, tsxArgs('src/sandbox/main.ts'));
      await waitUntil('the sandbox', SANDBOX_READY_TIMEOUT_MS, signal, async () =>
        (await httpStatus(`${sandboxUrl}/_sandbox/health`)) === 200 ? true : undefined,
      );
    }

    const worker = supervisor.start('worker', process.execPath, tsxArgs('src/worker.ts'));
    await waitForWorker(client, config, worker.pid ?? -1, signal);

    const apiUrl = `http://${host}:${config.port}`;
    supervisor.start('api', process.execPath, tsxArgs('src/server.ts'));
    await waitUntil('the API', API_READY_TIMEOUT_MS, signal, async () =>
      (await httpStatus(`${apiUrl}/readyz`)) === 200 ? true : undefined,
    );

    console.log(readyBlock({ apiUrl, temporalUiUrl: temporal.uiUrl, config, sandboxUrl, embeddedPostgresDir }));
  } finally {
    await client.connection.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const supervisor = new Supervisor(REPO_ROOT);
  process.once('exit', () => supervisor.killRemaining());
  try {
    const config = loadConfig();
    supervisor.envOverrides = childOverrides(config);
    const options = parseOptions(argv, config);
    if (options === undefined) return;

    const onSignal = (signal: NodeJS.Signals) => void supervisor.stop(signal, 0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await startEverything(supervisor, config, options);
    } catch (error) {
      if (!(error instanceof StoppingError)) {
        say(`startup failed: ${error instanceof Error ? error.message : String(error)}`);
        void supervisor.stop('startup failed', 1);
      }
    }
    // Runs until a signal or a dying child starts the stop (which may already have happened during startup).
    if (!supervisor.signal.aborted) {
      await new Promise<void>((resolve) =>
        supervisor.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    await supervisor.stop('done', 0);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    say('all stopped');
  } catch (error) {
    console.error(`[start-all] ${error instanceof Error ? error.message : String(error)}`);
    supervisor.exitCode = 1;
    await supervisor.stop('error', 1);
  }
  process.exitCode = supervisor.exitCode;
}

/** Parses --ui-port and --data-dir; undefined when commander already answered (--help, bad option). */
function parseOptions(argv: string[], config: Config): StartAllOptions | undefined {
  const defaultUiPort = Number(new URL(config.temporal.uiUrl).port || 8233);
  const program = new Command('start-all')
    .description(
      'run Temporal (dev server), Postgres migrations, the sandbox, the worker and the API; Ctrl+C stops all',
    )
    .option('--ui-port <port>', 'Temporal Web UI port when the dev server is started here', String(defaultUiPort))
    .option('--data-dir <dir>', 'where the dev server keeps temporal.sqlite', path.join(REPO_ROOT, '.data'))
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return undefined;
    }
    throw error;
  }
  const raw = program.opts<{ uiPort: string; dataDir: string }>();
  const uiPort = Number(raw.uiPort);
  if (!Number.isInteger(uiPort) || uiPort < 1 || uiPort > 65535)
    throw new Error(`--ui-port ${raw.uiPort} is not a port`);
  return { uiPort, dataDir: path.resolve(raw.dataDir) };
}

if (require.main === module) void main(process.argv);
