import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { renderProfiles, summariseProfile } from './cpu-profile';
import { startBenchSystem, type BenchSystem } from './harness';
import type { BenchContext } from './phases/context';
import { runEndToEnd } from './phases/end-to-end';
import { PhoneAllocator } from './phone-numbers';
import { SandboxWatch } from './sandbox-watch';

/**
 * `npm run bench:profile`: where each millisecond of a lead's CPU goes in our API and worker. Starts the bench's
 * system (bench/harness.ts) with both under `node --cpu-prof`, warms them up, runs phase 2's lead flow (POST, opt-in,
 * START, release) and reads both profiles over exactly that window (bench/cpu-profile.ts). Writes
 * bench/results/<date>-profile.json and prints the tables. The profiler itself slows the processes down, so the
 * figures are shares of the work, not the bench's speed; docs/benchmarks.md has both.
 */

const REPO_ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
const WARM_UP_LEADS = 30;

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return parsed;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function main(argv: string[]): Promise<number> {
  const options = new Command('bench:profile')
    .description('CPU profile of our API and worker over the end-to-end lead flow (docs/benchmarks.md)')
    .option('--leads <n>', 'leads in the profiled window', count, 300)
    .option('--concurrency <n>', 'leads in flight at once', count, 16)
    .option('--out <dir>', 'where the results JSON goes', RESULTS_DIR)
    .parse(argv)
    .opts<{ leads: number; concurrency: number; out: string }>();
  const say = (line: string) => process.stderr.write(`[bench:profile] ${line}\n`);
  mkdirSync(path.join(REPO_ROOT, '.data'), { recursive: true });
  const profileDir = mkdtempSync(path.join(REPO_ROOT, '.data', 'bench-profile-'));
  const startedAt = new Date();
  let system: BenchSystem | undefined;
  let window: { fromUs: number; toUs: number; leads: number } | undefined;
  let endToEnd: unknown;
  try {
    system = await startBenchSystem({ onStatus: say, cpuProfileDir: profileDir });
    const watch = new SandboxWatch(system.sandbox);
    const context: BenchContext = {
      system,
      phones: new PhoneAllocator(),
      watch,
      concurrency: options.concurrency,
      phaseSeconds: 600,
      runTag: randomBytes(4).toString('hex'),
      say,
    };
    say(`warming up with ${WARM_UP_LEADS} leads`);
    await runEndToEnd(context, WARM_UP_LEADS);
    const fromUs = monotonicUs();
    const { result } = await runEndToEnd(context, options.leads);
    const toUs = monotonicUs();
    watch.stop();
    window = { fromUs, toUs, leads: result.completed };
    endToEnd = result;
    say(`${result.completed} leads in ${((toUs - fromUs) / 1e6).toFixed(1)} s under the profiler`);
  } finally {
    // The profiles are written when the processes exit.
    await system?.close();
  }
  if (!window || window.leads === 0) throw new Error('no lead completed in the profiled window');
  const summaries = ['api', 'worker'].map((name) => {
    const file = path.join(profileDir, `${name}.cpuprofile`);
    if (!existsSync(file)) throw new Error(`no profile at ${file}: did the ${name} exit cleanly?`);
    return summariseProfile({ file, process: name, ...window! });
  });
  const markdown = renderProfiles(summaries);
  mkdirSync(options.out, { recursive: true });
  const file = path.join(options.out, `${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}Z-profile.json`);
  const seconds = (window.toUs - window.fromUs) / 1e6;
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), ...options, window: { ...window, seconds }, endToEnd, profiles: summaries, markdown }, null, 2)}\n`,
  );
  console.log(`\n${markdown}`);
  say(`results: ${path.relative(process.cwd(), file)}; profiles kept in ${path.relative(process.cwd(), profileDir)}`);
  return 0;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench:profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
