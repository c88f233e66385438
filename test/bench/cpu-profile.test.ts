import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { groupOf, summariseProfile } from '../../bench/cpu-profile';

const REPO_ROOT = path.resolve(__dirname, '../..');

describe('bench CPU profile summary', () => {
  it('groups frames by where the code lives: our folders, npm packages (scoped too), Node, the engine', () => {
    assert.equal(groupOf(`file://${REPO_ROOT}/src/db/outbox-repository.ts`, 'claimOutbound'), 'ours: src/');
    assert.equal(groupOf(`file://${REPO_ROOT}/activities/messaging.ts`, 'sendOne'), 'ours: activities/');
    assert.equal(groupOf(`file://${REPO_ROOT}/node_modules/pg/lib/client.js`, 'query'), 'pg');
    assert.equal(
      groupOf(`file://${REPO_ROOT}/node_modules/@temporalio/worker/lib/worker.js`, 'x'),
      '@temporalio/worker',
    );
    assert.equal(groupOf('node:internal/streams/readable', 'read'), 'Node internals');
    assert.equal(groupOf('', '(garbage collector)'), 'garbage collector');
    assert.equal(groupOf('', 'JSONParse'), 'engine builtins');
  });

  it('counts only the samples inside the window, leaves idle out and divides by the leads', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cpu-profile-'));
    const file = path.join(dir, 'worker.cpuprofile');
    const ours = `file://${REPO_ROOT}/src/db/outbox-repository.ts`;
    // Samples every 1,000 µs from t = 1,000,000: pg, ours, idle, ours, then pg after the window.
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
          {
            id: 2,
            callFrame: {
              functionName: 'query',
              url: `file://${REPO_ROOT}/node_modules/pg/lib/client.js`,
              lineNumber: 9,
            },
          },
          { id: 3, callFrame: { functionName: 'claimOutbound', url: ours, lineNumber: 123 } },
          { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        ],
        startTime: 1_000_000,
        endTime: 1_006_000,
        samples: [2, 3, 4, 3, 2, 2],
        timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
      }),
    );

    const summary = summariseProfile({ file, process: 'worker', fromUs: 1_000_500, toUs: 1_004_500, leads: 2 });

    // In the window: samples at 1,001,000 (pg), 1,002,000 (ours), 1,003,000 (idle), 1,004,000 (ours): 3 ms of CPU.
    assert.equal(summary.msPerLead, 1.5);
    assert.deepEqual(
      summary.groups.map((row) => [row.name, row.msPerLead]),
      [
        ['ours: src/', 1],
        ['pg', 0.5],
      ],
    );
    assert.deepEqual(summary.ours[0]?.name, 'claimOutbound src/db/outbox-repository.ts:124');
  });

  it('refuses a window outside the profile, which would mean the clocks differ', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cpu-profile-'));
    const file = path.join(dir, 'api.cpuprofile');
    writeFileSync(file, JSON.stringify({ nodes: [], startTime: 10, endTime: 20, samples: [], timeDeltas: [] }));

    assert.throws(
      () => summariseProfile({ file, process: 'api', fromUs: 100, toUs: 200, leads: 1 }),
      /outside the profile/,
    );
  });
});
