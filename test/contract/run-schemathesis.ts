import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { usNumberPattern } from '../../src/phone';
import { startSystem, type TestSystem } from '../support/system';

/**
 * `npm run test:contract`: Schemathesis, a contract-testing tool no one here wrote, checks that the running API
 * does what /openapi.json says. It starts the whole system as the tests do (Temporal dev server, Postgres, sandbox,
 * worker, API on 127.0.0.1), creates an account, and runs every phase (examples, coverage, fuzzing, stateful) with
 * bounded examples and time, configured by schemathesis.toml beside this file. It prints `N passed, N failed` over
 * the operations (and the stateful phase) and exits non-zero on any failure.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');
/** Installed by `make schemathesis` (the Makefile pins the version). */
const SCHEMATHESIS = path.join(REPO_ROOT, '.tools/schemathesis-4.32.5/bin/schemathesis');
const CONFIG_FILE = path.join(__dirname, 'schemathesis.toml');
const HOOKS_FILE = path.join(__dirname, 'schemathesis-hooks.py');
const REPORT_DIR = path.join(REPO_ROOT, 'test-results/schemathesis');
const JUNIT_REPORT = path.join(REPORT_DIR, 'junit.xml');
/** Test cases per operation and phase: enough to reach every documented rule, few enough to finish in minutes. */
const MAX_EXAMPLES = 40;
/** Fuzzing and stateful testing repeat until this budget (seconds) is spent, so it is also the run's length. */
const MAX_TIME_SECONDS = 100;
/** The 2-core machines share their cores with the Temporal server, Postgres and the worker. */
const WORKERS = 2;

async function main(): Promise<void> {
  if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: run \`make schemathesis\``);
  const system = await startSystem();
  try {
    const account = await system.createAccount();
    const cursor = await doNotContactCursor(system, account.adminKey);
    rmSync(REPORT_DIR, { recursive: true, force: true });
    mkdirSync(REPORT_DIR, { recursive: true });
    const exitCode = await runSchemathesis(`${system.apiUrl}/openapi.json`, {
      SMS_CONSENT_ADMIN_KEY: account.adminKey,
      SMS_CONSENT_OPERATOR_KEY: account.operatorKey ?? '',
      SMS_CONSENT_DNC_CURSOR: cursor,
      SMS_CONSENT_PHONE_PATTERN: usNumberPattern(),
      SCHEMATHESIS_HOOKS: HOOKS_FILE,
    });
    const { passed, failed } = countOperations(readFileSync(JUNIT_REPORT, 'utf8'));
    console.log(`${passed} passed, ${failed} failed`);
    if (exitCode !== 0 || failed > 0) process.exitCode = 1;
  } finally {
    await system.close();
  }
}

/** A real page cursor of the Do Not Contact list: two numbers listed, then the first page of one. */
async function doNotContactCursor(system: TestSystem, adminKey: string): Promise<string> {
  for (const phone of [system.newLeadPhone(), system.newLeadPhone()]) {
    const added = await system.api('POST', '/v1/do-not-contact', { key: adminKey, body: { phone, source: 'web' } });
    if (added.status !== 201) throw new Error(`could not list a number: ${added.status}`);
  }
  const page = await system.api('GET', '/v1/do-not-contact?limit=1', { key: adminKey });
  const cursor: unknown = page.body?.nextCursor;
  if (typeof cursor !== 'string') throw new Error('the first page of the Do Not Contact list has no nextCursor');
  return cursor;
}

function runSchemathesis(schemaUrl: string, environment: Record<string, string>): Promise<number> {
  const args = [
    '--config-file',
    CONFIG_FILE,
    'run',
    schemaUrl,
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--max-time',
    String(MAX_TIME_SECONDS),
    '--workers',
    String(WORKERS),
    '--request-timeout',
    '30',
    // Found examples are not kept between runs: each run stands on its own, and nothing is written to the tree.
    '--generation-database',
    'none',
    '--report',
    'junit',
    '--report-junit-path',
    JUNIT_REPORT,
    '--no-color',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { stdio: 'inherit', env: { ...process.env, ...environment } });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Test cases in the JUnit report (one per operation, one for the stateful phase), failed with a failure or error. */
function countOperations(junit: string): { passed: number; failed: number } {
  const cases = junit.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  const failed = cases.filter((testCase) => /<(failure|error)\b/.test(testCase)).length;
  const skipped = cases.filter((testCase) => /<skipped\b/.test(testCase)).length;
  return { passed: cases.length - failed - skipped, failed };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
