import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import knexFactory from 'knex';
import { temporalCliPath } from '../support/temporal-cli';
import { freePort, isListening } from '../../src/ports';

const REPO_ROOT = path.resolve(__dirname, '../..');
const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const READY_MARKER = 'sms-consent is ready';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src/scripts/cli.ts'), ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('start-all', () => {
  let startAll: ChildProcess | undefined;
  let output = '';
  let dataDir: string;
  let databaseName: string;
  let env: NodeJS.ProcessEnv;
  const ports = { api: 0, sandbox: 0, temporal: 0, ui: 0 };

  /** Child pids start-all reported ("started api (pid 123)"), to clean up even when it failed to. */
  const reportedPids = () => [...output.matchAll(/\[start-all\] started \S+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));

  async function waitForOutput(marker: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(marker)) {
      if (startAll?.exitCode !== null || startAll?.signalCode !== null) {
        assert.fail(`start-all exited before "${marker}":\n${output}`);
      }
      if (Date.now() > deadline) assert.fail(`no "${marker}" within ${timeoutMs / 1000} s:\n${output}`);
      await sleep(250);
    }
  }

  before(async () => {
    const chosen = new Set<number>();
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) {
      let port = await freePort();
      while (chosen.has(port)) port = await freePort();
      chosen.add(port);
      ports[key] = port;
    }
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sms-consent-start-all-'));
    databaseName = `sms_consent_test_start_all_${process.pid}_${Date.now().toString(36)}`;
    const databaseUrl = new URL(BASE_DATABASE_URL);
    databaseUrl.pathname = `/${databaseName}`;
    env = { ...process.env };
    for (const name of Object.keys(env)) {
      if (name.startsWith('VONAGE_') || name.startsWith('TEMPORAL_') || name === 'PUBLIC_BASE_URL') delete env[name];
    }
    Object.assign(env, {
      NODE_ENV: 'development',
      // The quickstart runs at any hour of the day; quiet hours have their own suite.
      QUIET_HOURS: 'off',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(ports.api),
      SANDBOX_PORT: String(ports.sandbox),
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_CLI_PATH: temporalCliPath(),
      // A database that does not exist yet: start-all must create it.
      DATABASE_URL: databaseUrl.toString(),
    });

    startAll = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'src/scripts/start-all.ts'),
        '--ui-port',
        String(ports.ui),
        '--data-dir',
        path.join(dataDir, 'data'),
      ],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    startAll.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    startAll.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  after(async () => {
    if (startAll && startAll.exitCode === null && startAll.signalCode === null) {
      startAll.kill('SIGTERM');
      await Promise.race([exited(startAll), sleep(STOP_TIMEOUT_MS, undefined, { ref: false })]);
      if (startAll.exitCode === null && startAll.signalCode === null) startAll.kill('SIGKILL');
    }
    // The children run in their own process groups, so a start-all that failed to stop them leaves them behind.
    for (const pid of reportedPids()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    const adminUrl = new URL(BASE_DATABASE_URL);
    adminUrl.pathname = '/postgres';
    const admin = knexFactory({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
    try {
      await admin.raw(`drop database if exists "${databaseName}" with (force)`);
    } finally {
      await admin.destroy();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'serves a message end to end and stops every child within 30 s when started on free ports',
    { timeout: 300_000 },
    async () => {
      await waitForOutput(READY_MARKER, READY_TIMEOUT_MS);
      const apiUrl = `http://127.0.0.1:${ports.api}`;

      assert.match(output, new RegExp(`API\\s+${apiUrl}`));
      assert.match(output, new RegExp(`Temporal Web UI\\s+http://127\\.0\\.0\\.1:${ports.ui}`));
      assert.match(output, new RegExp(`Temporal gRPC\\s+127\\.0\\.0\\.1:${ports.temporal}`));
      assert.match(output, new RegExp(`sandbox at http://127\\.0\\.0\\.1:${ports.sandbox}`));
      const postgresAt = new URL(BASE_DATABASE_URL).host.replaceAll('.', '\\.');
      assert.match(output, new RegExp(`Postgres\\s+postgres://postgres@${postgresAt}/${databaseName}`));
      assert.match(output, /npm run cli -- account create --name Demo --sender \+12015550100 --a2p verified/);
      assert.equal((await fetch(`${apiUrl}/readyz`)).status, 200);
      assert.ok(await isListening('127.0.0.1', ports.ui), 'the Temporal Web UI listens on --ui-port');

      const created = await runCli(
        ['account', 'create', '--name', 'Smoke', '--sender', '+12015550100', '--a2p', 'verified'],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      const { apiKey } = JSON.parse(created.stdout) as { apiKey: string };
      const queued = await fetch(`${apiUrl}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ leadId: 'smoke-lead-1', phone: '+12015550123', body: 'Hello from the smoke test' }),
        signal: AbortSignal.timeout(60_000),
      });
      const queuedBody = (await queued.json()) as { optIn?: string };
      assert.equal(queued.status, 202, JSON.stringify(queuedBody));
      assert.equal(queuedBody.optIn, 'sent');

      const pids = reportedPids();
      assert.equal(pids.length, 4, `temporal, sandbox, worker and api:\n${output}`);
      const stopStartedAt = Date.now();
      startAll!.kill('SIGTERM');
      const code = await Promise.race([
        exited(startAll!),
        sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => 'timeout' as const),
      ]);

      assert.notEqual(code, 'timeout', `start-all did not exit within ${STOP_TIMEOUT_MS / 1000} s:\n${output}`);
      assert.equal(code, 0, output);
      assert.ok(Date.now() - stopStartedAt < STOP_TIMEOUT_MS);
      assert.deepEqual(
        pids.filter((pid) => isAlive(pid)),
        [],
        'every child exited',
      );
      for (const [name, port] of Object.entries(ports)) {
        assert.equal(
          await isListening('127.0.0.1', port),
          false,
          `nothing listens on the ${name} port ${port} any more`,
        );
      }
    },
  );
});
