import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { PAYLOAD_ENCRYPTION_KEYS } from '../support/system';

// <scenario>.json predate every patch; <scenario>.<label>.json come from record-histories.ts, run on the code just
// before (pre-<label>) or just after a change. held-across-deploy.* started on the previous workflow code and was
// finished by the patched one, as a deploy does to a number that is waiting for its START.
const HISTORIES = path.join(__dirname, 'histories');

describe('smsConsentWorkflow replay', () => {
  it('replays every committed history without nondeterminism when the workflow code changes', async () => {
    const files = (await readdir(HISTORIES)).filter((file) => file.endsWith('.json')).sort();
    assert.ok(files.length >= 4, 'committed histories are present');
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: path.basename(file, '.json'),
        history: JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')) as unknown,
      })),
    );

    const failures: string[] = [];
    let replayed = 0;
    // Histories recorded with the payload codec are encrypted; older plaintext ones pass through the codec as they are.
    const dataConverter = { payloadCodecs: [new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS)] };
    const options = { workflowsPath: require.resolve('../../workflows'), dataConverter };
    for await (const result of Worker.runReplayHistories(options, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }

    assert.equal(replayed, files.length);
    assert.deepEqual(failures, []);
  });
});
