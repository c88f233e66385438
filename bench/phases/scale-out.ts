import { setTimeout as sleep } from 'node:timers/promises';
import { phoneKeyOf } from '../../src/phone';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { BENCH_PHONE_HASH_KEY, type BenchReplicas, type BenchSystem } from '../harness';
import { queueText } from '../http';
import { cpuPerLead, type CpuPerLead } from '../machine';
import { benchPhone } from '../phone-numbers';
import { startProgress } from '../progress';
import { round1, round3, summarize, type LatencySummary } from '../stats';
import {
  readHistories,
  committedTransactions,
  Failures,
  historyProfile,
  leadRunSummary,
  runLeadsTimed,
  type BenchContext,
  type HistoryProfile,
  type LeadRunSummary,
} from './context';
import { HISTORY_SAMPLE } from './floor';

/** The two APIs and the two workers, under the names the CPU groups use. */
type ApiName = 'api' | 'api2';
type WorkerName = 'worker' | 'worker2';

/** Section 2b of the results: phase 2's lead flow with two workers and two API replicas. */
export interface ScaleOutResult extends LeadRunSummary {
  workers: 2;
  apis: 2;
  /** Leads asked for; `started` is fewer when the phase's time budget ran out first. */
  leads: number;
  started: number;
  completed: number;
  queueMs: LatencySummary;
  startWebhookMs: LatencySummary;
  startToDeliveredMs: LatencySummary;
  leadLatencyMs: LatencySummary;
  /** Seconds the second API and the second worker took to become ready; not part of `seconds`. */
  startupSeconds: { api2: number; worker2: number };
  /**
   * How the webhooks were spread. The sandbox has one webhook base URL, read each time it posts: the phase points
   * it at the other API than the lead's POST just before each START, so STARTs alternate exactly, and the delivery
   * receipts go to whichever API the latest START chose.
   */
  webhookSplit: 'start-alternates-receipts-follow';
  /** POSTs and STARTs the bench sent to each API. */
  sentByApi: Record<ApiName, { messages: number; starts: number }>;
  /**
   * Requests each API answered during the phase, by route (from its /metrics, so receipts included); undefined
   * when an API's /metrics could not be read.
   */
  requestsByApi: Record<ApiName, Record<string, number> | undefined>;
  /**
   * Which worker ran the workflow tasks and activity tasks of a sample of leads (the `identity` on their history
   * events; local activities run inside workflow tasks). Undefined when no history could be read.
   */
  tasksByWorker:
    | {
        workflows: number;
        workflowTasks: Record<WorkerName | 'other', number>;
        activities: Record<WorkerName | 'other', number>;
      }
    | undefined;
  perLead: {
    textsSent: number;
    postgresTransactions: number;
    history: HistoryProfile | undefined;
  };
  /** Connections to the bench database at the end of the phase, before the replicas stop (pg_stat_activity). */
  postgresConnections: number | undefined;
  /** CPU time per completed lead, by process (both workers, both APIs), over the same window as leads/s. */
  cpuPerLead?: CpuPerLead;
}

const LEAD_TIMEOUT_MS = 90_000;
const DELIVERY_TIMEOUT_MS = 60_000;
/** pg_stat_database counts what other backends flushed; they flush at most once a second. */
const STATS_FLUSH_MS = 1_500;
/** Leads whose histories say which worker ran their tasks; spread over the whole phase. */
const SPLIT_SAMPLE = 30;
const HTTP_COUNT_METRIC = 'sms_consent_http_request_duration_seconds_count';

/**
 * Scale-out, in the shape docker-compose.yml promises: a second worker (src/worker.ts) and a second API
 * (src/server.ts, another port), with the same environment as the first ones, against the same Temporal server,
 * Postgres database and sandbox. Then phase 2's lead flow at phase 2's concurrency: POST /v1/messages goes to the
 * two APIs in turn, the sandbox's signed START goes to the other API, and the lead is done when the held text
 * reaches the sandbox. Both replicas are stopped at the end, and the sandbox's webhooks point at the first API again.
 */
export async function runScaleOut(context: BenchContext, leads: number): Promise<ScaleOutResult> {
  try {
    return await withReplicas(context, leads);
  } catch (error) {
    throw await withConnectionCounts(context.system, error);
  }
}

async function withReplicas(context: BenchContext, leads: number): Promise<ScaleOutResult> {
  const { system } = context;
  context.say('starting a second API and a second worker');
  const replicas = await system.startReplicas();
  context.say(
    `second API ready in ${replicas.startupSeconds.api.toFixed(1)} s, ` +
      `second worker in ${replicas.startupSeconds.worker.toFixed(1)} s`,
  );
  try {
    return await measure(context, replicas, leads);
  } finally {
    system.sandbox.setWebhookBaseUrl(system.apiUrl);
    await replicas.stop();
    context.say('second API and second worker stopped');
  }
}

async function measure(context: BenchContext, replicas: BenchReplicas, leads: number): Promise<ScaleOutResult> {
  const { system, watch } = context;
  const apis: { name: ApiName; url: string }[] = [
    { name: 'api', url: system.apiUrl },
    { name: 'api2', url: replicas.apiUrl },
  ];
  const failures = new Failures();
  const accepted: string[] = [];
  const queueMs: number[] = [];
  const startWebhookMs: number[] = [];
  const startToDeliveredMs: number[] = [];
  const leadMs: number[] = [];
  const sentByApi: ScaleOutResult['sentByApi'] = {
    api: { messages: 0, starts: 0 },
    api2: { messages: 0, starts: 0 },
  };
  const firstPhone = context.phones.reserve(leads);
  const progress = startProgress('2b/5 scale-out 2+2', leads);
  const requestsBefore = await Promise.all(apis.map(({ url }) => requestCounts(url)));
  const textsBefore = watch.total();
  const transactionsBefore = await committedTransactions(system);

  const lead = async (index: number) => {
    const phone = benchPhone(firstPhone + index);
    const leadId = `bench-scale-${index}`;
    const body = `Bench lead ${index} [${context.runTag}]: the house on Oak St is open Sunday.`;
    const postTo = apis[index % 2]!;
    const startTo = apis[(index + 1) % 2]!;
    const startedAt = performance.now();
    sentByApi[postTo.name].messages += 1;
    const queued = await queueText(postTo.url, system.account.agentKey, { leadId, phone, body });
    if (queued.status !== 202 || queued.body?.status !== 'held' || queued.body?.optIn !== 'sent') {
      throw new Error(`POST /v1/messages answered ${queued.status} ${JSON.stringify(queued.body).slice(0, 200)}`);
    }
    queueMs.push(queued.ms);
    const replyAt = performance.now();
    // The sandbox reads its webhook base URL when it posts, before its first await: this START goes to `startTo`.
    system.sandbox.setWebhookBaseUrl(startTo.url);
    sentByApi[startTo.name].starts += 1;
    const reply = await system.sandbox.reply({ from: phone, to: system.account.senderNumber, text: 'START' });
    if (reply.status !== 200) throw new Error(`the START webhook (${startTo.name}) answered ${reply.status}`);
    startWebhookMs.push(performance.now() - replyAt);
    await watch.waitFor(phone, (message) => message.text.startsWith(body), DELIVERY_TIMEOUT_MS);
    const doneAt = performance.now();
    startToDeliveredMs.push(doneAt - replyAt);
    leadMs.push(doneAt - startedAt);
    accepted.push(phone);
  };

  const { started, seconds, cpuAtStart, cpuAtEnd } = await runLeadsTimed(
    context,
    {
      leads,
      timeoutMs: LEAD_TIMEOUT_MS,
      name: 'lead',
      failures,
      progress,
      replicas: { worker2: replicas.worker.pid, api2: replicas.api.pid },
    },
    lead,
  );

  // The last receipts land (on either API) and the statistics flush before anything is counted.
  await sleep(STATS_FLUSH_MS);
  const [transactions, requestsAfter, postgresConnections] = await Promise.all([
    committedTransactions(system),
    Promise.all(apis.map(({ url }) => requestCounts(url))),
    connectionsToBenchDatabase(system),
  ]);
  const texts = watch.total() - textsBefore;
  const workflowIdOf = (phone: string) =>
    smsConsentWorkflowId(system.account.accountId, phoneKeyOf(phone, BENCH_PHONE_HASH_KEY));
  const step = Math.max(1, Math.floor(accepted.length / SPLIT_SAMPLE));
  const [history, tasksByWorker] = await Promise.all([
    historyProfile(system, accepted.slice(0, HISTORY_SAMPLE).map(workflowIdOf)),
    tasksByWorkerOf(
      system,
      accepted
        .filter((_phone, index) => index % step === 0)
        .slice(0, SPLIT_SAMPLE)
        .map(workflowIdOf),
      { worker: system.worker.pid, worker2: replicas.worker.pid },
    ),
  ]);
  const completed = accepted.length;
  return {
    workers: 2,
    apis: 2,
    leads,
    started,
    completed,
    ...leadRunSummary(context, failures, completed, seconds),
    queueMs: summarize(queueMs),
    startWebhookMs: summarize(startWebhookMs),
    startToDeliveredMs: summarize(startToDeliveredMs),
    leadLatencyMs: summarize(leadMs),
    startupSeconds: { api2: round1(replicas.startupSeconds.api), worker2: round1(replicas.startupSeconds.worker) },
    webhookSplit: 'start-alternates-receipts-follow',
    sentByApi,
    requestsByApi: {
      api: difference(requestsBefore[0], requestsAfter[0]),
      api2: difference(requestsBefore[1], requestsAfter[1]),
    },
    tasksByWorker,
    perLead: {
      textsSent: completed > 0 ? round3(texts / completed) : 0,
      postgresTransactions: completed > 0 ? round1((transactions - transactionsBefore) / completed) : 0,
      history,
    },
    postgresConnections,
    cpuPerLead: cpuPerLead(cpuAtStart, cpuAtEnd, completed),
  };
}

/**
 * Requests an API has answered since it started, by route: the counts of its request-duration histogram (all
 * methods and statuses), for the service's own routes. Undefined when /metrics cannot be read.
 */
async function requestCounts(apiUrl: string): Promise<Record<string, number> | undefined> {
  try {
    const response = await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return undefined;
    const counts: Record<string, number> = {};
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith(`${HTTP_COUNT_METRIC}{`)) continue;
      // Routers' routes end in '/' ("/v1/messages/"); shown without it.
      const route = /route="([^"]*)"/.exec(line)?.[1]?.replace(/(.)\/$/, '$1');
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (!route || !Number.isFinite(value) || !/^\/(v1|webhooks)\//.test(route)) continue;
      counts[route] = (counts[route] ?? 0) + value;
    }
    return counts;
  } catch {
    return undefined;
  }
}

function difference(
  before: Record<string, number> | undefined,
  after: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (!before || !after) return undefined;
  const counts: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) {
    const added = count - (before[route] ?? 0);
    if (added > 0) counts[route] = added;
  }
  return counts;
}

/**
 * Two workers may hold 40 Postgres connections each and two APIs 10 each (docker-compose.yml raises
 * max_connections to 300 for that reason); a local Postgres keeps its default of 100, shared with whatever else
 * runs on the machine. When the phase ran out of connections, its error says how many there are and who held them
 * once the replicas had stopped.
 */
async function withConnectionCounts(system: BenchSystem, error: unknown): Promise<unknown> {
  if (!(error instanceof Error) || !/too many clients/i.test(error.message)) return error;
  const result = await system.knex
    .raw(
      `select current_setting('max_connections')::int as max,
              count(*)::int as open,
              (count(*) filter (where datname = current_database()))::int as bench
         from pg_stat_activity
        where backend_type = 'client backend'`,
    )
    .catch(() => undefined);
  const row = result?.rows?.[0];
  if (row) {
    error.message +=
      ` (Postgres max_connections ${row.max}; after the second worker and API stopped, ${row.open} were open, ` +
      `${row.open - row.bench} of them outside the bench's database)`;
  }
  return error;
}

async function connectionsToBenchDatabase(system: BenchSystem): Promise<number | undefined> {
  const result = await system.knex
    .raw('select count(*)::int as n from pg_stat_activity where datname = current_database()')
    .catch(() => undefined);
  const count = result?.rows?.[0]?.n;
  return typeof count === 'number' ? count : undefined;
}

/** Counts, over the histories of `workflowIds`, the workflow tasks and activity tasks each worker started. */
async function tasksByWorkerOf(
  system: BenchSystem,
  workflowIds: string[],
  pids: Record<WorkerName, number>,
): Promise<ScaleOutResult['tasksByWorker']> {
  const workflowTasks = { worker: 0, worker2: 0, other: 0 };
  const activities = { worker: 0, worker2: 0, other: 0 };
  // The SDK's default identity is `pid@host`.
  const workerOf = (identity: string | null | undefined): WorkerName | 'other' =>
    identity?.startsWith(`${pids.worker}@`) ? 'worker' : identity?.startsWith(`${pids.worker2}@`) ? 'worker2' : 'other';
  const histories = await readHistories(system, workflowIds);
  const workflows = histories.length;
  for (const events of histories) {
    for (const event of events) {
      const task = event.workflowTaskStartedEventAttributes;
      if (task) workflowTasks[workerOf(task.identity)] += 1;
      const activity = event.activityTaskStartedEventAttributes;
      if (activity) activities[workerOf(activity.identity)] += 1;
    }
  }
  return workflows === 0 ? undefined : { workflows, workflowTasks, activities };
}
