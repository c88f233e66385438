import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { BenchSystem } from '../harness';
import { readCpuByGroup, type CpuGroupRoots, type CpuReading, type ReplicaCpuGroup } from '../machine';
import type { PhoneAllocator } from '../phone-numbers';
import type { SandboxWatch } from '../sandbox-watch';
import type { Progress } from '../progress';
import { round1, runPool } from '../stats';

/** What every phase gets from bench/run.ts. */
export interface BenchContext {
  system: BenchSystem;
  phones: PhoneAllocator;
  watch: SandboxWatch;
  /** Leads in flight at once, the same for the floor and for ours. */
  concurrency: number;
  /**
   * How long the floor, ours and the idle phase may keep starting new leads (the leads in flight then finish).
   * Keeps --quick under three and a half minutes on a busy machine; the results say when a phase stopped short.
   */
  phaseSeconds: number;
  /** Distinguishes this run's workflow IDs and texts. */
  runTag: string;
  say(line: string): void;
}

/** A lead of ours that completed the loop (accepted, its held text delivered); the STOP phase reuses them. */
export interface AcceptedLead {
  leadId: string;
  phone: string;
}

/** Resolves with `promise`, or rejects after `ms` (the promise itself keeps running; the phase moves on). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts and the first few distinct error messages of a phase. */
export class Failures {
  count = 0;
  readonly examples: string[] = [];

  add(error: unknown): void {
    this.count += 1;
    const message = error instanceof Error ? error.message : String(error);
    if (this.examples.length < 5 && !this.examples.includes(message)) this.examples.push(message.slice(0, 300));
  }
}

/** How a phase that starts leads ran: its failures, and `leadsPerSecond` over `seconds` with `concurrency` in flight. */
export interface LeadRunSummary {
  failures: number;
  failureExamples: string[];
  concurrency: number;
  seconds: number;
  leadsPerSecond: number;
}

/** The summary of a phase that got `leads` leads through in `seconds`. */
export function leadRunSummary(
  context: BenchContext,
  failures: Failures,
  leads: number,
  seconds: number,
): LeadRunSummary {
  return {
    failures: failures.count,
    failureExamples: failures.examples,
    concurrency: context.concurrency,
    seconds: round1(seconds),
    leadsPerSecond: round1(leads / seconds),
  };
}

/** What `runLeadsTimed` measured: the leads started within the time budget, their wall time and CPU around them. */
export interface TimedLeads {
  started: number;
  seconds: number;
  cpuAtStart: CpuReading;
  cpuAtEnd: CpuReading;
}

/**
 * Runs `lead` for each of `leads` leads, `context.concurrency` at once, starting none after the phase's time budget.
 * A lead that throws or outlasts `timeoutMs` is counted in `failures`; `progress` ticks per lead and is done after.
 * `replicas` adds the scale-out phase's second worker and API to the CPU readings.
 */
export async function runLeadsTimed(
  context: BenchContext,
  options: {
    leads: number;
    timeoutMs: number;
    name: string;
    failures: Failures;
    progress: Progress;
    replicas?: Partial<Record<ReplicaCpuGroup, number>>;
  },
  lead: (index: number) => Promise<void>,
): Promise<TimedLeads> {
  const { leads, failures, progress } = options;
  const cpuAtStart = readSystemCpu(context.system, options.replicas);
  const startedAt = performance.now();
  const { started } = await runPool(
    leads,
    context.concurrency,
    Date.now() + context.phaseSeconds * 1000,
    async (index) => {
      await withTimeout(lead(index), options.timeoutMs, `${options.name} ${index}`).catch((error) =>
        failures.add(error),
      );
      progress.tick();
    },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const cpuAtEnd = readSystemCpu(context.system, options.replicas);
  progress.done(started < leads ? `time budget reached after ${started} leads` : undefined);
  return { started, seconds, cpuAtStart, cpuAtEnd };
}

/** Cumulative CPU time of the system's processes (and of `replicas`, when given), for a phase's CPU per lead. */
export function readSystemCpu(
  system: BenchSystem,
  replicas: Partial<Record<ReplicaCpuGroup, number>> = {},
): CpuReading {
  const roots: CpuGroupRoots = {
    temporal: system.temporal.pid,
    worker: system.worker.pid,
    floorWorker: system.floorWorker.pid,
    api: system.api.pid,
    postgres: system.postmasterPid,
    ...replicas,
  };
  return readCpuByGroup(roots);
}

/** Postgres transactions committed in the bench database so far (pg_stat_database; flushed within ~1 s). */
export async function committedTransactions(system: BenchSystem): Promise<number> {
  const result = await system.knex.raw(
    'select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()',
  );
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * What a workflow's history says one lead cost: events, activities and workflow tasks, and where the time went.
 * Dispatch is Temporal's part (scheduled → picked up by the worker); run is the worker's part (started →
 * completed: for an activity our code with its Postgres and Vonage calls, for a workflow task the workflow code).
 */
export interface HistoryProfile {
  /** How many workflows the averages below are over. */
  workflows: number;
  events: number;
  activities: number;
  workflowTasks: number;
  activityDispatchMs: number;
  activityRunMs: number;
  workflowTaskDispatchMs: number;
  workflowTaskRunMs: number;
}

/** The events of each workflow's history (its latest run), leaving out those that could not be read. */
export async function readHistories(
  system: BenchSystem,
  workflowIds: readonly string[],
): Promise<temporal.api.history.v1.IHistoryEvent[][]> {
  const histories: temporal.api.history.v1.IHistoryEvent[][] = [];
  for (const workflowId of workflowIds) {
    const history = await system.client.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    if (history) histories.push(history.events ?? []);
  }
  return histories;
}

/** Averages the history of each workflow (its latest run); undefined when none could be read. */
export async function historyProfile(system: BenchSystem, workflowIds: string[]): Promise<HistoryProfile | undefined> {
  const totals = {
    events: 0,
    activities: 0,
    workflowTasks: 0,
    activityDispatchMs: 0,
    activityRunMs: 0,
    workflowTaskDispatchMs: 0,
    workflowTaskRunMs: 0,
  };
  const histories = await readHistories(system, workflowIds);
  const workflows = histories.length;
  for (const events of histories) {
    const timeOf = new Map<number, number>();
    for (const event of events) timeOf.set(Number(event.eventId), tsToMs(event.eventTime));
    totals.events += events.length;
    for (const event of events) {
      const at = tsToMs(event.eventTime);
      if (event.activityTaskScheduledEventAttributes) totals.activities += 1;
      const activityStarted = event.activityTaskStartedEventAttributes;
      if (activityStarted)
        totals.activityDispatchMs += at - (timeOf.get(Number(activityStarted.scheduledEventId)) ?? at);
      const activityCompleted = event.activityTaskCompletedEventAttributes;
      if (activityCompleted) totals.activityRunMs += at - (timeOf.get(Number(activityCompleted.startedEventId)) ?? at);
      const taskStarted = event.workflowTaskStartedEventAttributes;
      if (taskStarted) totals.workflowTaskDispatchMs += at - (timeOf.get(Number(taskStarted.scheduledEventId)) ?? at);
      const taskCompleted = event.workflowTaskCompletedEventAttributes;
      if (taskCompleted) {
        totals.workflowTasks += 1;
        totals.workflowTaskRunMs += at - (timeOf.get(Number(taskCompleted.startedEventId)) ?? at);
      }
    }
  }
  if (workflows === 0) return undefined;
  const average = (value: number) => Math.round((value / workflows) * 10) / 10;
  return {
    workflows,
    events: average(totals.events),
    activities: average(totals.activities),
    workflowTasks: average(totals.workflowTasks),
    activityDispatchMs: average(totals.activityDispatchMs),
    activityRunMs: average(totals.activityRunMs),
    workflowTaskDispatchMs: average(totals.workflowTaskDispatchMs),
    workflowTaskRunMs: average(totals.workflowTaskRunMs),
  };
}
