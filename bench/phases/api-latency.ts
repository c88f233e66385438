import { spawn } from 'node:child_process';
import path from 'node:path';
import { FLOOR_TASK_QUEUE, floorReplySignal, floorWorkflow } from '../floor-workflow';
import { BENCH_SIGNATURE_SECRET } from '../harness';
import { postInbound } from '../http';
import type { LoadPlan, LoadReport } from '../load-generator';
import { benchPhone } from '../phone-numbers';
import { startProgress } from '../progress';
import { round1, summarize, type LatencySummary } from '../stats';
import { type BenchContext } from './context';

/** One route under a fixed offered rate. */
export interface RouteLatency {
  route: string;
  offeredRate: number;
  durationSeconds: number;
  requests: number;
  /** Requests answered per second over the generator's whole run (until the last answer). */
  achievedRate: number;
  statuses: Record<string, number>;
  latencyMs: LatencySummary;
  /** Large when the generator itself fell behind its schedule (then the figures are not trustworthy). */
  maxStartLagMs: number;
}

/**
 * The inbound webhook beside the one Temporal call inside it, one at a time and interleaved so that both see the
 * same machine: what the platform costs (signal-with-start) and what is ours (HTTP, the signature check, the
 * Postgres round trips).
 */
export interface WebhookBreakdown {
  pairs: number;
  /** A signed START from a new number: our whole webhook, whose one Temporal call is a signal-with-start. */
  webhookMs: LatencySummary;
  /** The same call, signal-with-start of a new workflow, straight from a Temporal client. */
  signalWithStartMs: LatencySummary;
}

/** Section 3 of the results. */
export interface ApiLatencyResult {
  messages: RouteLatency;
  inbound: RouteLatency;
  /** Of the texts held by the first run, how many the START run released within the wait. */
  releasedAfterStart: number;
  breakdown: WebhookBreakdown;
}

const BREAKDOWN_PAIRS = 10;

const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * POST /v1/messages to new numbers at `rate` for `durationSeconds` (each starts a workflow, sends an opt-in and
 * holds the text), then, at the same rate, a signed START webhook from each of those numbers (each releases its
 * text). The load comes from bench/load-generator.ts in its own process, open loop.
 */
export async function runApiLatency(
  context: BenchContext,
  rate: number,
  durationSeconds: number,
): Promise<ApiLatencyResult> {
  const { system } = context;
  const requests = Math.max(1, Math.round(rate * durationSeconds));
  const firstPhoneIndex = context.phones.reserve(requests);
  const base = { apiUrl: system.apiUrl, firstPhoneIndex, rate, durationSeconds };

  const messages = await generate(
    { ...base, kind: 'messages', apiKey: system.account.agentKey },
    '3/5 POST /v1/messages',
  );
  const inbound = await generate(
    { ...base, kind: 'inbound', signatureSecret: BENCH_SIGNATURE_SECRET, sender: system.account.senderNumber },
    '3/5 inbound webhook',
  );

  // Let the released texts go out before the next phase measures anything.
  const released = await Promise.allSettled(
    Array.from({ length: requests }, (_, index) =>
      context.watch.waitFor(
        benchPhone(firstPhoneIndex + index),
        (message) => message.text.startsWith(`Bench latency lead ${index}:`),
        context.phaseSeconds * 1000,
      ),
    ),
  );
  return {
    messages: toRouteLatency('POST /v1/messages', messages, rate, durationSeconds),
    inbound: toRouteLatency('POST /webhooks/vonage/inbound (START)', inbound, rate, durationSeconds),
    releasedAfterStart: released.filter((outcome) => outcome.status === 'fulfilled').length,
    breakdown: await webhookBreakdown(context),
  };
}

async function webhookBreakdown(context: BenchContext): Promise<WebhookBreakdown> {
  const { system } = context;
  const webhookMs: number[] = [];
  const signalMs: number[] = [];
  for (let pair = 0; pair < BREAKDOWN_PAIRS; pair += 1) {
    // A number with no workflow yet: the webhook starts one, which finds no lead waiting and does nothing more.
    const answer = await postInbound(system.apiUrl, BENCH_SIGNATURE_SECRET, {
      from: context.phones.take(),
      to: system.account.senderNumber,
      text: 'START',
    });
    if (answer.status === 200) webhookMs.push(answer.ms);
    const startedAt = performance.now();
    await system.client.workflow.signalWithStart(floorWorkflow, {
      workflowId: `benchFloorSignal:${context.runTag}:${pair}`,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [],
      signal: floorReplySignal,
      signalArgs: ['START'],
    });
    signalMs.push(performance.now() - startedAt);
  }
  return { pairs: BREAKDOWN_PAIRS, webhookMs: summarize(webhookMs), signalWithStartMs: summarize(signalMs) };
}

function toRouteLatency(route: string, report: LoadReport, rate: number, durationSeconds: number): RouteLatency {
  return {
    route,
    offeredRate: rate,
    durationSeconds,
    requests: report.requests,
    achievedRate: round1(report.requests / report.elapsedSeconds),
    statuses: report.statuses,
    latencyMs: summarize(report.latenciesMs.filter((value) => typeof value === 'number')),
    maxStartLagMs: report.maxStartLagMs,
  };
}

/** Runs the load generator as a child process and returns its report; kills it if it overruns. */
async function generate(plan: LoadPlan, label: string): Promise<LoadReport> {
  // Seconds of offered load; the bar stops at the end of the schedule while the last answers come in.
  const seconds = Math.max(1, Math.round(plan.durationSeconds));
  const progress = startProgress(label, seconds);
  let ticks = 0;
  const ticker = setInterval(() => {
    if (ticks >= seconds) return;
    ticks += 1;
    progress.tick();
  }, 1000);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'bench/load-generator.ts'), JSON.stringify(plan)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Every request times out after 30 s, so the generator ends by duration + 30 s; the margin covers its start-up.
  const killer = setTimeout(() => child.kill('SIGKILL'), (plan.durationSeconds + 90) * 1000);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    if (code !== 0 || !line.startsWith('{')) throw new Error(`the load generator failed (exit ${code})`);
    return JSON.parse(line) as LoadReport;
  } finally {
    clearTimeout(killer);
    clearInterval(ticker);
    progress.done();
  }
}
