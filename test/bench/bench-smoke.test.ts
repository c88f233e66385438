import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * The benchmark runs end to end at its smallest sizes and writes every section. A smoke test only: it checks the
 * shape of the results and that each phase completed its (tiny) work, never how fast anything was.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
const RUN_TIMEOUT_MS = 240_000;
const PHASES = ['floor', 'endToEnd', 'scaleOut', 'apiLatency', 'stopToBlocked', 'idleScale'];
const SECTIONS = ['machine', ...PHASES, 'goals', 'markdown'];

describe('npm run bench', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes a results file with every section when run at the smallest sizes', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(REPO_ROOT, 'bench/run.ts'),
          ...['--leads', '5', '--idle', '20', '--rate', '5', '--duration', '2', '--stop-numbers', '3'],
          // Budgets well above what these sizes need, so that a busy machine is slower but never cut short.
          ...['--phase-seconds', '120', '--idle-seconds', '120', '--out', out],
        ],
        { cwd: REPO_ROOT, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(run.code, 0, run.stderr.slice(-3000));

    const files = readdirSync(out).filter((name) => name.endsWith('.json'));
    assert.equal(files.length, 1);
    const results = JSON.parse(readFileSync(path.join(out, files[0]!), 'utf8'));
    for (const section of SECTIONS) assert.ok(section in results, `missing section ${section}`);
    for (const section of PHASES) {
      assert.equal(results[section].error, undefined, `${section} failed: ${results[section].error}`);
    }
    assert.equal(results.floor.completed, 5);
    assert.equal(results.endToEnd.completed, 5);
    // Scale-out: POSTs to the two APIs in turn, each lead's START to the other one, and both APIs answered them.
    assert.equal(results.scaleOut.completed, 5);
    assert.deepEqual(results.scaleOut.sentByApi, {
      api: { messages: 3, starts: 2 },
      api2: { messages: 2, starts: 3 },
    });
    for (const api of ['api', 'api2']) {
      const requests = results.scaleOut.requestsByApi[api];
      assert.equal(requests?.['/v1/messages'], results.scaleOut.sentByApi[api].messages, `${api}: POSTs answered`);
      assert.ok(requests?.['/webhooks/vonage/inbound'] >= results.scaleOut.sentByApi[api].starts, `${api}: STARTs`);
    }
    assert.ok(results.scaleOut.tasksByWorker?.workflows > 0);
    assert.ok(results.scaleOutOverOneEach > 0);
    assert.equal(results.apiLatency.messages.requests, 10);
    assert.equal(results.apiLatency.inbound.requests, 10);
    assert.equal(results.stopToBlocked.measured, 3);
    assert.equal(results.stopToBlocked.textsAfterStopAck, 0);
    assert.equal(results.idleScale.waitingLeads, 20);
    // Quiet hours: a tenth of the idle leads live where it is night, so their opt-ins wait for the window.
    assert.equal(results.idleScale.scheduled.texts, 2);
    assert.ok(results.idleScale.checkpoints.length >= 2);
    assert.equal(results.goals.length, 4);
    // Groups that do a lead's work in each phase; the others may idle below one clock tick.
    const busyGroups = {
      floor: ['temporal', 'floorWorker', 'bench'],
      endToEnd: ['temporal', 'worker', 'api', 'bench'],
      scaleOut: ['temporal', 'worker', 'worker2', 'api', 'api2', 'bench'],
    };
    for (const [section, groups] of Object.entries(busyGroups)) {
      const cpu = results[section].cpuPerLead;
      assert.ok(cpu?.totalMsPerLead > 0, `${section}: no CPU per lead`);
      for (const group of groups) assert.ok(cpu.msPerLead[group] > 0, `${section}: no CPU for ${group}`);
    }
    assert.ok(results.oursOverFloorIfCpuBound > 0);
    const rows = [
      'CPU per lead (floor)',
      'CPU per lead (ours)',
      'ours / floor if CPU-bound',
      '2+2 / 1+1',
      'CPU per lead (2b)',
    ];
    for (const row of rows) {
      const label = row.replace(/[()+.]/g, '\\$&');
      const value = new RegExp(`\\| +${label} \\| \\*\\*([\\d.]+)`).exec(results.markdown)?.[1];
      assert.ok(Number(value) > 0, `row "${row}" missing or not positive`);
    }
    assert.match(results.markdown, /\| figure \| measured \|/);
    assert.match(run.stdout, /\| goal \(from the issue; compared, not asserted\) \| measured \| met \|/);
  });
});
