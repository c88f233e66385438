import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMBEDDED_POSTGRES_SCRIPT, embeddedPostgresUrl, isPostgresReady } from '../../src/scripts/embedded-postgres';
import { freePort, isListening } from '../../src/ports';

/**
 * Runs a command, the test suite, against a Postgres (the Makefile's test path):
 *
 *   node --import tsx test/support/with-test-postgres.ts npm test
 *
 * The tests use TEST_DATABASE_URL, else the server on 127.0.0.1:5432 (test/support/database.ts). When neither is
 * there, this starts the embedded Postgres (src/scripts/embedded-postgres.ts) on a free port with its own cluster in
 * .data/postgres-test, runs the command with TEST_DATABASE_URL pointing at it, and stops it when the command ends. Only
 * TEST_DATABASE_URL counts: the tests never read DATABASE_URL, so a set DATABASE_URL would not give them a server.
 * A cluster of its own, apart from `make start`'s .data/postgres, so the two may run at once.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
const DATA_DIR = path.join(REPO_ROOT, '.data', 'postgres-test');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

function run(command: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command[0]!, command.slice(1), { cwd: REPO_ROOT, env, stdio: 'inherit' });
}

async function startEmbeddedPostgres(): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  // Its own process group: Ctrl+C reaches the tests, which tear down against a server still running; this script
  // stops the server after them.
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', EMBEDDED_POSTGRES_SCRIPT, '--port', String(port), '--data-dir', DATA_DIR],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  const url = embeddedPostgresUrl(port);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await isPostgresReady(url))) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error('the embedded Postgres exited');
    if (Date.now() > deadline)
      throw new Error(`the embedded Postgres was not ready within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(300);
  }
  return { url, server };
}

async function stop(server: ChildProcess): Promise<void> {
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited(server);
  clearTimeout(timer);
}

async function main(command: string[]): Promise<void> {
  if (command.length === 0) throw new Error('usage: with-test-postgres.ts <command> [args…]');
  if (process.env.TEST_DATABASE_URL || (await isListening('127.0.0.1', 5432))) {
    process.exitCode = await exited(run(command, process.env));
    return;
  }
  console.log('[with-test-postgres] nothing answers on 127.0.0.1:5432 and TEST_DATABASE_URL is unset');
  const { url, server } = await startEmbeddedPostgres();
  console.log(`[with-test-postgres] the tests use the embedded Postgres at ${url}`);
  // The terminal's Ctrl+C reaches the command directly (same process group), and a SIGTERM is passed on; either way
  // this script waits for the command to finish before it stops the server.
  const tests = run(command, { ...process.env, TEST_DATABASE_URL: url });
  const ignoreInterrupt = () => undefined;
  const forwardTerminate = () => tests.kill('SIGTERM');
  process.on('SIGINT', ignoreInterrupt);
  process.on('SIGTERM', forwardTerminate);
  try {
    process.exitCode = await exited(tests);
  } finally {
    await stop(server);
    process.off('SIGINT', ignoreInterrupt);
    process.off('SIGTERM', forwardTerminate);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[with-test-postgres] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
