import { setTimeout as sleep } from 'node:timers/promises';
import { residentBytes, sqliteBytes } from '../harness';
import { queueText, zoneWhereLocalHourIs } from '../http';
import { benchPhone } from '../phone-numbers';
import { startProgress } from '../progress';
import { round3, runPool, summarize, type LatencySummary } from '../stats';
import { Failures, leadRunSummary, withTimeout, type BenchContext, type LeadRunSummary } from './context';

/** The system at one count of waiting leads. */
export interface IdleCheckpoint {
  waitingLeads: number;
  workerRssBytes: number | undefined;
  apiRssBytes: number | undefined;
  temporalRssBytes: number | undefined;
  temporalSqliteBytes: number;
  postgresBytes: number;
  /** POST /v1/messages to a new number, one at a time, with nothing else in flight. */
  queueLatencyMs: LatencySummary;
}

/** Section 5 of the results. */
export interface IdleScaleResult extends LeadRunSummary {
  target: number;
  /** True when the time budget ran out before `target` leads. */
  isCutShort: boolean;
  waitingLeads: number;
  /** Running consent workflows this phase added, counted by Temporal's visibility store. */
  openWorkflows: number | undefined;
  checkpoints: IdleCheckpoint[];
  /**
   * Growth from the first checkpoint (1,000 leads, or half the target when smaller, or a third into the time
   * budget when that comes first) to the last.
   */
  workerRssGrowth: number | undefined;
  postgresBytesPerLead: number;
  temporalSqliteBytesPerLead: number;
  queueP50AtFirst: number;
  queueP50AtEnd: number;
  /** Quiet hours: leads whose opt-in waits for its window on a workflow timer, measured after the waiting leads. */
  scheduled: ScheduledTextsResult;
}

/** What texts waiting for their sending window cost (one scheduled opt-in and one held text per lead). */
export interface ScheduledTextsResult {
  /** Leads whose opt-in was scheduled (`held` with a `sendAt`). */
  texts: number;
  failures: number;
  workerRssGrowthBytes: number | undefined;
  postgresBytesPerText: number;
  temporalSqliteBytesPerText: number;
}

const MAX_PROBES_PER_CHECKPOINT = 20;
const LEAD_TIMEOUT_MS = 60_000;
const RSS_SAMPLES = 3;
const RSS_SAMPLE_GAP_MS = 300;

/**
 * `target` leads that each get an opt-in and then wait, held, for a START that never comes: one open workflow per
 * number. At checkpoints the bench stops adding leads and reads the worker's, the API's and Temporal's memory, the
 * dev server's SQLite bytes, the database size, and the latency of queueing one more text.
 */
export async function runIdleScale(context: BenchContext, target: number): Promise<IdleScaleResult> {
  const { system } = context;
  const failures = new Failures();
  const checkpoints: IdleCheckpoint[] = [];
  const firstPhone = context.phones.reserve(target);
  let waiting = 0;
  const progress = startProgress('5/5 idle leads', target);

  const queue = async (index: number): Promise<number> => {
    const answer = await queueText(system.apiUrl, system.account.agentKey, {
      leadId: `bench-idle-${index}`,
      phone: benchPhone(firstPhone + index),
      body: `Bench idle lead ${index}: we have a new listing for you.`,
    });
    if (answer.status !== 202 || answer.body?.status !== 'held') {
      throw new Error(`POST /v1/messages answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    waiting += 1;
    return answer.ms;
  };

  const openBefore = await countOpenWorkflows(context);
  const postgresBefore = await databaseBytes(context);
  const sqliteBefore = sqliteBytes(system.sqlitePath);
  const probes = Math.max(1, Math.min(MAX_PROBES_PER_CHECKPOINT, Math.floor(target / 20)));
  const marks = checkpointMarks(target);
  const startedAt = performance.now();
  const deadline = Date.now() + context.phaseSeconds * 1000;
  // A phase cut short by its time budget still gets a checkpoint a third of the way through the budget (the
  // leads in flight and the probes take a while on a busy machine) and one at the end.
  const firstDeadline = Date.now() + (context.phaseSeconds * 1000) / 3;
  let next = 0;

  const checkpoint = async () => {
    const probeMs: number[] = [];
    for (let probe = 0; probe < probes && next < target; probe += 1) {
      await withTimeout(queue(next), LEAD_TIMEOUT_MS, 'a probe')
        .then((ms) => probeMs.push(ms))
        .catch((error) => failures.add(error));
      next += 1;
      progress.tick();
    }
    checkpoints.push({
      waitingLeads: waiting,
      workerRssBytes: await steadyRss(system.worker.pid),
      apiRssBytes: residentBytes(system.api.pid),
      temporalRssBytes: residentBytes(system.temporal.pid),
      temporalSqliteBytes: sqliteBytes(system.sqlitePath),
      postgresBytes: await databaseBytes(context),
      queueLatencyMs: summarize(probeMs),
    });
  };

  for (const mark of marks) {
    if (mark <= next) continue;
    // Bulk leads up to the mark, less the probes that the checkpoint itself adds.
    const bulk = Math.max(mark - probes - next, 0);
    const from = next;
    const { started } = await runPool(
      bulk,
      context.concurrency,
      checkpoints.length === 0 ? Math.min(firstDeadline, deadline) : deadline,
      async (offset) => {
        await withTimeout(queue(from + offset), LEAD_TIMEOUT_MS, 'a lead').catch((error) => failures.add(error));
        progress.tick();
      },
    );
    next += started;
    await checkpoint();
    if (Date.now() >= deadline) break;
  }
  // Out of time after the first checkpoint: one more, of its probes alone, so that there is a second figure.
  if (checkpoints.length < 2 && next < target) await checkpoint();
  const seconds = (performance.now() - startedAt) / 1000;
  const isCutShort = next < target;
  progress.done(isCutShort ? `time budget reached after ${next} leads` : undefined);

  const first = checkpoints[0];
  const last = checkpoints.at(-1);
  const scheduled = await scheduleNightTexts(context, Math.max(1, Math.floor(target / 10)), failures);
  const openAfter = await countOpenWorkflows(context);
  const openWorkflows = openBefore !== undefined && openAfter !== undefined ? openAfter - openBefore : undefined;
  return {
    target,
    isCutShort,
    waitingLeads: waiting,
    ...leadRunSummary(context, failures, waiting, seconds),
    openWorkflows,
    checkpoints,
    workerRssGrowth:
      first?.workerRssBytes && last?.workerRssBytes
        ? round3(last.workerRssBytes / first.workerRssBytes - 1)
        : undefined,
    postgresBytesPerLead: waiting > 0 ? Math.round(((last?.postgresBytes ?? 0) - postgresBefore) / waiting) : 0,
    temporalSqliteBytesPerLead:
      waiting > 0 ? Math.round(((last?.temporalSqliteBytes ?? 0) - sqliteBefore) / waiting) : 0,
    queueP50AtFirst: first?.queueLatencyMs.p50 ?? Number.NaN,
    queueP50AtEnd: last?.queueLatencyMs.p50 ?? Number.NaN,
    scheduled,
  };
}

/**
 * New leads in a zone where it is 1 a.m.: each one's opt-in is scheduled for 08:00 (a durable timer in its
 * workflow) and its text held behind it. Measured as the growth of the worker's memory, the dev server's SQLite and
 * Postgres per such lead, on top of the idle leads already waiting.
 */
async function scheduleNightTexts(
  context: BenchContext,
  count: number,
  failures: Failures,
): Promise<ScheduledTextsResult> {
  const { system } = context;
  const night = zoneWhereLocalHourIs(1);
  const firstPhone = context.phones.reserve(count);
  const rssBefore = await steadyRss(system.worker.pid);
  const postgresBefore = await databaseBytes(context);
  const sqliteBefore = sqliteBytes(system.sqlitePath);
  let texts = 0;
  let failed = 0;
  await runPool(count, context.concurrency, Date.now() + context.phaseSeconds * 1000, async (index) => {
    const answer = await withTimeout(
      queueText(system.apiUrl, system.account.agentKey, {
        leadId: `bench-night-${index}`,
        phone: benchPhone(firstPhone + index),
        body: `Bench night lead ${index}: sent in the morning.`,
        timeZone: night,
      }),
      LEAD_TIMEOUT_MS,
      'a night lead',
    ).catch((error: unknown) => {
      failures.add(error);
      return undefined;
    });
    if (answer?.status === 202 && answer.body?.status === 'held' && answer.body?.sendAt) texts += 1;
    else if (answer) {
      failed += 1;
      failures.add(new Error(`night lead answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`));
    }
  });
  const rssAfter = await steadyRss(system.worker.pid);
  return {
    texts,
    failures: failed,
    workerRssGrowthBytes: rssBefore !== undefined && rssAfter !== undefined ? rssAfter - rssBefore : undefined,
    postgresBytesPerText: texts > 0 ? Math.round(((await databaseBytes(context)) - postgresBefore) / texts) : 0,
    temporalSqliteBytesPerText: texts > 0 ? Math.round((sqliteBytes(system.sqlitePath) - sqliteBefore) / texts) : 0,
  };
}

/**
 * Lead counts to stop at: 1,000 (the goal's reference point) or half the target when it is smaller, every fifth
 * of the target past that, and the target itself.
 */
export function checkpointMarks(target: number): number[] {
  const first = Math.max(1, Math.min(1000, Math.floor(target / 2)));
  const marks = new Set<number>([first, target]);
  for (let fifth = 1; fifth <= 5; fifth += 1) marks.add(Math.round((target * fifth) / 5));
  return [...marks].filter((mark) => mark >= first && mark <= target).sort((a, b) => a - b);
}

/** The median of a few RSS readings, so one garbage collection does not decide the figure. */
async function steadyRss(pid: number): Promise<number | undefined> {
  const readings: number[] = [];
  for (let sample = 0; sample < RSS_SAMPLES; sample += 1) {
    if (sample > 0) await sleep(RSS_SAMPLE_GAP_MS);
    const bytes = residentBytes(pid);
    if (bytes !== undefined) readings.push(bytes);
  }
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)];
}

/** Running workflows of the bench account (visibility may trail by a moment; the checkpoints give it time). */
async function countOpenWorkflows(context: BenchContext): Promise<number | undefined> {
  return context.system.client.workflow
    .count(`AccountId = "${context.system.account.accountId}" AND ExecutionStatus = "Running"`)
    .then((answer) => answer.count)
    .catch(() => undefined);
}

async function databaseBytes(context: BenchContext): Promise<number> {
  const result = await context.system.knex.raw('select pg_database_size(current_database()) as bytes');
  return Number(result.rows[0]?.bytes ?? 0);
}
