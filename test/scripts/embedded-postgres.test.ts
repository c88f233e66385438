import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrateToLatest } from '../../src/db/knex';
import {
  EMBEDDED_POSTGRES_SCRIPT,
  embeddedPostgresUrl,
  isPostgresReady,
  READY_LINE,
} from '../../src/scripts/embedded-postgres';
import { freePort } from '../../src/ports';

const REPO_ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * The embedded Postgres that `make start` and `make test` run when a machine has none. It runs here on a free port
 * beside whatever else listens on 5432, so this test passes on any machine.
 */
describe('embedded Postgres', () => {
  // As root the server runs as the user postgres, which must be able to enter the directory.
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'sms-consent-embedded-pg-'));
  chmodSync(dataRoot, 0o755);
  let server: ChildProcess | undefined;

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('creates a cluster, serves migrations over TCP with trust auth, and stops on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = path.join(dataRoot, 'postgres');
    let output = '';
    server = spawn(
      process.execPath,
      ['--import', 'tsx', EMBEDDED_POSTGRES_SCRIPT, '--port', String(port), '--data-dir', dataDir],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!output.includes(READY_LINE)) {
      assert.equal(server.exitCode, null, `the embedded Postgres exited:\n${output}`);
      assert.ok(Date.now() < deadline, `not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
      await sleep(200);
    }

    await migrateToLatest(embeddedPostgresUrl(port, 'sms_consent_embedded_check'));
    const isReady = await isPostgresReady(embeddedPostgresUrl(port, 'sms_consent_embedded_check'));
    server.kill('SIGTERM');
    const stopped = await Promise.race([exited(server).then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);

    assert.equal(isReady, true);
    assert.ok(existsSync(path.join(dataDir, 'PG_VERSION')), 'the cluster lives in the data directory');
    assert.equal(stopped, true, `did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    assert.equal(await isPostgresReady(embeddedPostgresUrl(port)), false, 'nothing answers after the stop');
  });
});
