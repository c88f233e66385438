import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../src/config';
import { temporalCliPath } from '../test/support/temporal-cli';
import { startBenchSystem, type BenchSystem } from './harness';
import { runApiLatency } from './phases/api-latency';
import type { AcceptedLead, BenchContext } from './phases/context';
import { runEndToEnd, type EndToEndResult } from './phases/end-to-end';
import { runFloor, type FloorResult } from './phases/floor';
import { runIdleScale } from './phases/idle-scale';
import { runScaleOut, type ScaleOutResult } from './phases/scale-out';
import { runStopToBlocked } from './phases/stop-to-blocked';
import { backgroundBusyShare, busyShare, cpuPressure, cpuSnapshot, processCpuSeconds } from './machine';
import { PhoneAllocator } from './phone-numbers';
import {
  checkGoals,
  isMeasured,
  renderMarkdown,
  type BenchResults,
  type BenchSizes,
  type MachineInfo,
  type PhaseError,
} from './report';
import { SandboxWatch } from './sandbox-watch';
import { round3 } from './stats';

/**
 * `npm run bench`: starts its own Temporal dev server (SQLite file), Postgres database, sandbox, API and workers
 * (bench/harness.ts), then measures, in this order:
 *
 *   1. the floor: a bare workflow with the same Temporal operations as one lead (bench/floor-workflow.ts);
 *   2. ours end to end: POST /v1/messages → opt-in → signed START → held text delivered;
 *   2b. scale-out: the same with a second worker and a second API (the shape of docker-compose.yml), against 2;
 *   3. API latency of POST /v1/messages and of the inbound webhook at a fixed offered rate (a second process);
 *   4. STOP to blocked, and texts after an acknowledged STOP;
 *   5. idle scale: waiting leads as open workflows, with memory, storage and latency at checkpoints.
 *
 * Writes bench/results/<date>.json (with the markdown table) and prints the table. A benchmark, not a test:
 * nothing here fails on a slow figure. See docs/benchmarks.md.
 */

interface Preset extends BenchSizes {
  /** Offered requests per second in phase 3; undefined: half of what ours sustained in phase 2. */
  rate: number | undefined;
  /** Our worker's sticky-cache size; undefined: the SDK's default, derived from the heap limit. */
  maxCachedWorkflows: number | undefined;
  /** The dev server dispatches activities eagerly (--eager-activities); off by default, as on a stock server. */
  eagerActivities: boolean;
}

/**
 * --quick finishes in under three and a half minutes on two cores: the counts are caps, and the time budgets stop a
 * phase early on a slow or busy machine (the results say so). --full is the scale, with budgets only as a
 * guard.
 */
const PRESETS: Record<'quick' | 'full', Preset> = {
  quick: {
    leads: 200,
    rate: undefined,
    durationSeconds: 8,
    idle: 1000,
    concurrency: 16,
    stopNumbers: 10,
    phaseSeconds: 18,
    idleSeconds: 35,
    maxCachedWorkflows: undefined,
    eagerActivities: false,
  },
  full: {
    leads: 2000,
    rate: undefined,
    durationSeconds: 30,
    idle: 20_000,
    concurrency: 16,
    stopNumbers: 100,
    phaseSeconds: 600,
    idleSeconds: 7200,
    maxCachedWorkflows: undefined,
    eagerActivities: false,
  },
};

/**
 * The offered rate when --rate is not given: the leads per second ours sustained end to end in phase 2 (at most
 * what the floor sustained). Each run of phase 3 is only part of a lead's work (the queueing, or the START), so the
 * system is loaded but not overrun.
 */
function autoRate(endToEnd: EndToEndResult | PhaseError, floor: FloorResult | PhaseError): number {
  const sustained = isMeasured(endToEnd) ? endToEnd.leadsPerSecond : isMeasured(floor) ? floor.leadsPerSecond / 3 : 2;
  const ceiling = isMeasured(floor) ? floor.leadsPerSecond : sustained;
  return Math.max(1, Math.round(Math.min(sustained, ceiling) * 10) / 10);
}

/** Leads/s with two workers and two APIs (2b) over leads/s with one of each (2), in the same run. */
function scaleOutRatio(endToEnd: EndToEndResult | PhaseError, scaleOut: ScaleOutResult | PhaseError): number | null {
  return isMeasured(endToEnd) && isMeasured(scaleOut) && endToEnd.leadsPerSecond > 0
    ? Math.round((scaleOut.leadsPerSecond / endToEnd.leadsPerSecond) * 100) / 100
    : null;
}

/** Floor ÷ ours total CPU per lead: what ours ÷ floor in leads/s would be if CPU time alone set the pace. */
function cpuBoundRatio(floor: FloorResult | PhaseError, endToEnd: EndToEndResult | PhaseError): number | null {
  const floorMs = isMeasured(floor) ? floor.cpuPerLead?.totalMsPerLead : undefined;
  const oursMs = isMeasured(endToEnd) ? endToEnd.cpuPerLead?.totalMsPerLead : undefined;
  return floorMs && oursMs ? Math.round((floorMs / oursMs) * 100) / 100 : null;
}

const RESULTS_DIR = path.resolve(__dirname, 'results');

interface CliOptions {
  quick?: boolean;
  full?: boolean;
  leads?: number;
  rate?: number;
  duration?: number;
  idle?: number;
  concurrency?: number;
  stopNumbers?: number;
  phaseSeconds?: number;
  idleSeconds?: number;
  maxCachedWorkflows?: number;
  eagerActivities?: boolean;
  out: string;
  keep?: boolean;
}

function parseOptions(argv: string[]): { preset: 'quick' | 'full'; settings: Preset; out: string; keep: boolean } {
  const positive = (name: string) => (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return parsed;
  };
  const count = (name: string) => (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return parsed;
  };
  // The worker validates it the same way at start; checking here fails before minutes of setup instead.
  const cacheSize = (value: string) => {
    try {
      return loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: value }).workerMaxCachedWorkflows;
    } catch {
      throw new InvalidArgumentError('--max-cached-workflows must be 0 (no cache) or a whole number from 2 to 1000000');
    }
  };
  const program = new Command('bench')
    .description('benchmark sms-consent against a bare Temporal floor, on this machine (see docs/benchmarks.md)')
    .option('--quick', 'small sizes, under three and a half minutes on two cores (default)')
    .option('--full', `the issue's sizes: ${PRESETS.full.leads} leads, ${PRESETS.full.idle} idle leads`)
    .option('--leads <n>', 'at most this many leads through the floor and through ours (1, 2, 2b)', count('--leads'))
    .option('--rate <r>', 'offered requests per second in (3) (default: what ours sustained in 2)', positive('--rate'))
    .option('--duration <seconds>', 'how long each latency run offers load (3)', positive('--duration'))
    .option('--idle <n>', 'at most this many waiting leads to open (5)', count('--idle'))
    .option('--concurrency <n>', 'leads in flight at once, the same for the floor and ours', count('--concurrency'))
    .option('--stop-numbers <n>', 'numbers to send STOP from (4)', count('--stop-numbers'))
    .option('--phase-seconds <s>', 'time budget of phases 1, 2, 2b and 4', positive('--phase-seconds'))
    .option('--idle-seconds <s>', 'time budget of phase 5', positive('--idle-seconds'))
    .option('--max-cached-workflows <n>', "our worker's sticky cache (default: the SDK's, from the heap)", cacheSize)
    .option(
      '--eager-activities',
      'start the dev server with eager activity dispatch on (system.enableActivityEagerExecution)',
    )
    .option('--out <dir>', 'where the results JSON goes', RESULTS_DIR)
    .option('--keep', 'keep the temporary folder (SQLite, logs) and the database for a look afterwards')
    .exitOverride();
  program.parse(argv);
  const options = program.opts<CliOptions>();
  if (options.quick && options.full) throw new InvalidArgumentError('choose --quick or --full, not both');
  const preset = options.full ? 'full' : 'quick';
  const base = PRESETS[preset];
  return {
    preset,
    out: path.resolve(options.out),
    keep: Boolean(options.keep),
    settings: {
      leads: options.leads ?? base.leads,
      rate: options.rate ?? base.rate,
      durationSeconds: options.duration ?? base.durationSeconds,
      idle: options.idle ?? base.idle,
      concurrency: options.concurrency ?? base.concurrency,
      stopNumbers: options.stopNumbers ?? base.stopNumbers,
      phaseSeconds: options.phaseSeconds ?? base.phaseSeconds,
      idleSeconds: options.idleSeconds ?? base.idleSeconds,
      maxCachedWorkflows: options.maxCachedWorkflows ?? base.maxCachedWorkflows,
      eagerActivities: options.eagerActivities ?? base.eagerActivities,
    },
  };
}

function say(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Runs one phase; a phase that throws is recorded as such and the run goes on to the next. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<T | PhaseError> {
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(`${name} failed: ${message}`);
    return { error: message };
  }
}

type MachineAtStart = Omit<MachineInfo, 'loadAfter' | 'cpuPressureAfter' | 'busyDuringRun' | 'benchCpuShare'>;

async function describeMachine(system: BenchSystem | undefined): Promise<MachineAtStart> {
  let temporalCli = 'unknown';
  try {
    temporalCli = execFileSync(process.env.TEMPORAL_CLI_PATH || temporalCliPath(), ['--version'], {
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  } catch {
    // leave unknown
  }
  let postgres = 'unknown';
  if (system) {
    const result = await system.knex.raw('show server_version').catch(() => undefined);
    postgres = String(result?.rows?.[0]?.server_version ?? 'unknown');
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    loadBefore: os.loadavg(),
    busyBefore: undefined,
    cpuPressureBefore: undefined,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli,
    postgres,
  };
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof InvalidArgumentError) {
      console.error(`bench: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { preset, settings, out, keep } = parsed;
  const loadBefore = os.loadavg();
  const cpuPressureBefore = cpuPressure();
  const busyBefore = await backgroundBusyShare();
  const startedAt = new Date();
  const cpuAtStart = cpuSnapshot();
  const ownCpuAtStart = processCpuSeconds(process.pid);
  say(
    `${preset}: up to ${settings.leads} leads, ${settings.rate ?? 'auto'}/s for ${settings.durationSeconds} s, ` +
      `up to ${settings.idle} idle leads, ${settings.concurrency} in flight, budgets ${settings.phaseSeconds} s / ` +
      `${settings.idleSeconds} s; load average ${loadBefore.map((n) => n.toFixed(2)).join(' ')} on ${os.availableParallelism()} CPUs`,
  );

  let system: BenchSystem | undefined;
  let watch: SandboxWatch | undefined;
  const stop = () => {
    say('interrupted; stopping everything');
    void (system?.close({ keep }) ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    system = await startBenchSystem({
      onStatus: (line) => say(line),
      workerMaxCachedWorkflows: settings.maxCachedWorkflows,
      eagerActivities: settings.eagerActivities,
    });
    watch = new SandboxWatch(system.sandbox);
    const machine = await describeMachine(system);
    Object.assign(machine, { loadBefore, busyBefore, cpuPressureBefore });
    const context: BenchContext = {
      system,
      phones: new PhoneAllocator(),
      watch,
      concurrency: settings.concurrency,
      phaseSeconds: settings.phaseSeconds,
      runTag: randomBytes(4).toString('hex'),
      say,
    };

    const floor = await phase('floor', () => runFloor(context, settings.leads));
    let accepted: AcceptedLead[] = [];
    const endToEnd = await phase('ours end to end', async () => {
      const { result, accepted: leads } = await runEndToEnd(context, settings.leads);
      accepted = leads;
      return result;
    });
    const scaleOut = await phase('scale-out', () => runScaleOut(context, settings.leads));
    const rate = settings.rate ?? autoRate(endToEnd, floor);
    const apiLatency = await phase('API latency', () => runApiLatency(context, rate, settings.durationSeconds));
    const stopToBlocked = await phase('STOP to blocked', () =>
      runStopToBlocked(context, accepted.slice(0, settings.stopNumbers)),
    );
    const idleScale = await phase('idle scale', () =>
      runIdleScale({ ...context, phaseSeconds: settings.idleSeconds }, settings.idle),
    );

    const finishedAt = new Date();
    const cpuAtEnd = cpuSnapshot();
    const benchCpuSeconds =
      processCpuSeconds(process.pid) -
      ownCpuAtStart +
      [system.temporal, system.api, system.worker, system.floorWorker].reduce(
        (sum, child) => sum + processCpuSeconds(child.pid),
        0,
      );
    const runSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
    const partial = {
      version: 1 as const,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: runSeconds,
      options: { preset, ...settings, rate, isRateAuto: settings.rate === undefined },
      machine: {
        ...machine,
        loadAfter: os.loadavg(),
        cpuPressureAfter: cpuPressure(),
        busyDuringRun: round3(busyShare(cpuAtStart, cpuAtEnd) ?? Number.NaN),
        benchCpuShare: round3(benchCpuSeconds / (runSeconds * os.availableParallelism())),
      },
      startupSeconds: system.startupSeconds,
      floor,
      endToEnd,
      scaleOut,
      apiLatency,
      stopToBlocked,
      idleScale,
      oursOverFloor:
        isMeasured(floor) && isMeasured(endToEnd) && floor.leadsPerSecond > 0
          ? Math.round((endToEnd.leadsPerSecond / floor.leadsPerSecond) * 100) / 100
          : null,
      oursOverFloorIfCpuBound: cpuBoundRatio(floor, endToEnd),
      scaleOutOverOneEach: scaleOutRatio(endToEnd, scaleOut),
    };
    const goals = checkGoals(partial);
    const withGoals = { ...partial, goals };
    const results: BenchResults = { ...withGoals, markdown: renderMarkdown(withGoals) };

    mkdirSync(out, { recursive: true });
    const file = path.join(out, `${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}Z.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${results.markdown}\n`);
    say(`results: ${path.relative(process.cwd(), file)}`);
    return [floor, endToEnd, scaleOut, apiLatency, stopToBlocked, idleScale].every(isMeasured) ? 0 : 1;
  } finally {
    watch?.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (system) {
      say(keep ? `keeping ${system.dataDir} and database ${system.databaseName}` : 'stopping everything');
      await system.close({ keep });
    }
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
