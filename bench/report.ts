import type { CpuGroup, CpuPerLead } from './machine';
import type { ApiLatencyResult } from './phases/api-latency';
import type { HistoryProfile } from './phases/context';
import type { EndToEndResult } from './phases/end-to-end';
import type { FloorResult } from './phases/floor';
import type { IdleScaleResult } from './phases/idle-scale';
import type { ScaleOutResult } from './phases/scale-out';
import type { StopToBlockedResult } from './phases/stop-to-blocked';

/** A phase that threw instead of measuring. */
export interface PhaseError {
  error: string;
}

/** The machine the run measured, and how busy it was. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  /** 1, 5 and 15 minute load averages (as `uptime` prints them), before and after the run. */
  loadBefore: number[];
  loadAfter: number[];
  /** Share of all CPUs busy in a 2 s sample before the bench started anything: other people's work. */
  busyBefore: number | undefined;
  /** Share of all CPUs busy over the whole run, and the share the bench's own processes used (Postgres not included). */
  busyDuringRun: number;
  benchCpuShare: number;
  /** /proc/pressure/cpu `some` (% of time a runnable task waited for a CPU), 10 s and 60 s averages. */
  cpuPressureBefore: { avg10: number; avg60: number } | undefined;
  cpuPressureAfter: { avg10: number; avg60: number } | undefined;
  platform: string;
  node: string;
  temporalCli: string;
  postgres: string;
}

/** One goal of the benchmark issue, compared, never asserted. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean | null;
  note?: string;
}

/** The counts and time budgets of a run: a preset's (--quick, --full), each overridable on the command line. */
export interface BenchSizes {
  leads: number;
  durationSeconds: number;
  idle: number;
  concurrency: number;
  stopNumbers: number;
  /** Time budget of phases 1, 2, 2b and 4 (and of the wait for releases in 3): no new leads after it. */
  phaseSeconds: number;
  /** Time budget of phase 5. */
  idleSeconds: number;
}

/** Everything one run wrote to bench/results/<date>.json. */
export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  options: BenchSizes & {
    preset: 'quick' | 'full';
    rate: number;
    /** The rate was chosen from phase 2 (no --rate). */
    isRateAuto: boolean;
    /** Our worker's sticky-cache size (--max-cached-workflows); absent: the SDK's default. */
    maxCachedWorkflows?: number;
    /** The dev server dispatched activities eagerly (--eager-activities). */
    eagerActivities?: boolean;
  };
  machine: MachineInfo;
  startupSeconds: Record<string, number>;
  floor: FloorResult | PhaseError;
  endToEnd: EndToEndResult | PhaseError;
  scaleOut: ScaleOutResult | PhaseError;
  apiLatency: ApiLatencyResult | PhaseError;
  stopToBlocked: StopToBlockedResult | PhaseError;
  idleScale: IdleScaleResult | PhaseError;
  oursOverFloor: number | null;
  /**
   * What ours ÷ floor would be if throughput were limited by total CPU time per lead (all process groups): the
   * floor's CPU per lead over ours. Null when either phase has no CPU figure.
   */
  oursOverFloorIfCpuBound: number | null;
  /** Leads/s with two workers and two APIs (2b) over leads/s with one of each (2), same run; null if either failed. */
  scaleOutOverOneEach: number | null;
  goals: GoalCheck[];
  markdown: string;
}

export const isMeasured = <T extends object>(section: T | PhaseError): section is T => !('error' in section);

/** The issue's goals, compared with what this run measured. */
export function checkGoals(results: Omit<BenchResults, 'goals' | 'markdown'>): GoalCheck[] {
  const { floor, apiLatency, stopToBlocked, idleScale } = results;
  const goals: GoalCheck[] = [];

  goals.push(
    results.oursOverFloor === null
      ? { goal: 'ours ≥ 0.8 × floor (leads/s)', measured: 'not measured', met: null }
      : {
          goal: 'ours ≥ 0.8 × floor (leads/s)',
          measured: `${results.oursOverFloor.toFixed(2)} × floor`,
          met: results.oursOverFloor >= 0.8,
        },
  );

  if (isMeasured(apiLatency) && isMeasured(floor)) {
    const sustainable = apiLatency.inbound.offeredRate <= floor.leadsPerSecond;
    goals.push({
      goal: 'inbound webhook p99 < 50 ms at a rate the floor sustains',
      measured: `p99 ${ms(apiLatency.inbound.latencyMs.p99)} at ${apiLatency.inbound.offeredRate}/s (floor ${floor.leadsPerSecond}/s)`,
      met: apiLatency.inbound.latencyMs.p99 < 50,
      note: sustainable ? undefined : 'the offered rate is above what the floor sustained on this run',
    });
  } else {
    goals.push({
      goal: 'inbound webhook p99 < 50 ms at a rate the floor sustains',
      measured: 'not measured',
      met: null,
    });
  }

  goals.push(
    isMeasured(stopToBlocked)
      ? {
          goal: 'zero texts after an acknowledged STOP (other than its confirmation)',
          measured: `${stopToBlocked.textsAfterStopAck} over ${stopToBlocked.numbers} numbers`,
          met: stopToBlocked.textsAfterStopAck === 0 && stopToBlocked.failures === 0,
        }
      : {
          goal: 'zero texts after an acknowledged STOP (other than its confirmation)',
          measured: 'not measured',
          met: null,
        },
  );

  if (isMeasured(idleScale) && idleScale.workerRssGrowth !== undefined) {
    const first = idleScale.checkpoints[0]!;
    const last = idleScale.checkpoints.at(-1)!;
    goals.push({
      goal: 'worker memory flat within 20 % from 1,000 to 20,000 waiting leads',
      measured: `${mib(first.workerRssBytes)} at ${first.waitingLeads} → ${mib(last.workerRssBytes)} at ${last.waitingLeads} (${percent(idleScale.workerRssGrowth)})`,
      // Judged only over the goal's own range; a shorter run is shown, but its growth says little about 20,000.
      met:
        first.waitingLeads >= 1000 && last.waitingLeads >= 20_000 ? Math.abs(idleScale.workerRssGrowth) <= 0.2 : null,
      note:
        last.waitingLeads < 20_000
          ? `indicative only: measured to ${last.waitingLeads} leads; --full goes to 20,000`
          : undefined,
    });
  } else {
    goals.push({
      goal: 'worker memory flat within 20 % from 1,000 to 20,000 waiting leads',
      measured: 'not measured',
      met: null,
    });
  }
  return goals;
}

/** The table printed at the end of a run and kept in the JSON. */
export function renderMarkdown(results: Omit<BenchResults, 'markdown'>): string {
  const { floor, endToEnd, scaleOut, apiLatency, stopToBlocked, idleScale, machine, options } = results;
  const rows: [string, string][] = [];
  const failed = (section: PhaseError) => `failed: ${section.error}`;

  rows.push([
    `1. Floor: bare workflow, ${options.concurrency} leads in flight`,
    isMeasured(floor)
      ? `**${floor.leadsPerSecond} leads/s** (${floor.completed} leads in ${floor.seconds} s, lead p50 ${ms(floor.leadLatencyMs.p50)}${failuresText(floor.failures)})`
      : failed(floor),
  ]);
  if (isMeasured(floor)) {
    rows.push(['   per lead (floor)', profileText(floor.history)]);
    rows.push(['   CPU per lead (floor)', cpuText(floor.cpuPerLead)]);
  }
  rows.push([
    `2. Ours end to end, ${options.concurrency} leads in flight`,
    isMeasured(endToEnd)
      ? `**${endToEnd.leadsPerSecond} leads/s** (${endToEnd.completed} leads in ${endToEnd.seconds} s, ` +
        `lead p50 ${ms(endToEnd.leadLatencyMs.p50)} p99 ${ms(endToEnd.leadLatencyMs.p99)}${failuresText(endToEnd.failures)})`
      : failed(endToEnd),
  ]);
  const taskRatio = tasksRatio(floor, endToEnd);
  rows.push([
    '   ours / floor',
    results.oursOverFloor === null
      ? 'n/a'
      : `**${results.oursOverFloor.toFixed(2)}**` +
        (taskRatio
          ? ` (Temporal tasks per lead, floor ÷ ours: ${taskRatio}, the ratio if every task costs the same)`
          : ''),
  ]);
  if (isMeasured(endToEnd)) {
    rows.push([
      '   per lead (ours)',
      `${profileText(endToEnd.perLead.history)}; ${endToEnd.perLead.textsSent} texts, ` +
        `≈${endToEnd.perLead.postgresTransactions} Postgres transactions`,
    ]);
    rows.push(['   CPU per lead (ours)', cpuText(endToEnd.cpuPerLead, OURS)]);
  }
  if (results.oursOverFloorIfCpuBound !== null && isMeasured(floor) && isMeasured(endToEnd)) {
    rows.push([
      '   ours / floor if CPU-bound',
      `**${results.oursOverFloorIfCpuBound.toFixed(2)}** (total CPU per lead, floor ÷ ours: ` +
        `${ms(floor.cpuPerLead?.totalMsPerLead)} ÷ ${ms(endToEnd.cpuPerLead?.totalMsPerLead)}), ` +
        `against ${results.oursOverFloor?.toFixed(2) ?? '–'} measured`,
    ]);
  }
  rows.push([
    `2b. Scale-out: 2 workers + 2 APIs, ${options.concurrency} leads in flight`,
    isMeasured(scaleOut)
      ? `**${scaleOut.leadsPerSecond} leads/s** (${scaleOut.completed} leads in ${scaleOut.seconds} s, ` +
        `lead p50 ${ms(scaleOut.leadLatencyMs.p50)} p99 ${ms(scaleOut.leadLatencyMs.p99)}${failuresText(scaleOut.failures)}` +
        `${scaleOut.started < scaleOut.leads ? '; time budget reached' : ''})`
      : failed(scaleOut),
  ]);
  if (isMeasured(scaleOut)) {
    rows.push([
      '   2+2 / 1+1',
      results.scaleOutOverOneEach === null || !isMeasured(endToEnd)
        ? 'n/a'
        : `**${results.scaleOutOverOneEach.toFixed(2)}** (${scaleOut.leadsPerSecond} ÷ ${endToEnd.leadsPerSecond} leads/s, ` +
          `two of each against phase 2's one of each, same machine, same run)`,
    ]);
    rows.push([
      '   per lead (2b)',
      `${profileText(scaleOut.perLead.history)}; ${scaleOut.perLead.textsSent} texts, ` +
        `≈${scaleOut.perLead.postgresTransactions} Postgres transactions; ${scaleOut.postgresConnections ?? '?'} ` +
        `connections to the bench database at the end`,
    ]);
    rows.push(['   requests answered by each API (2b)', requestsText(scaleOut)]);
    rows.push([
      `   tasks by worker (2b, ${scaleOut.tasksByWorker?.workflows ?? 0} leads' histories)`,
      tasksByWorkerText(scaleOut.tasksByWorker),
    ]);
    rows.push([
      '   CPU per lead (2b)',
      cpuText(scaleOut.cpuPerLead, OURS, 'both workers, both APIs, Postgres, bench + sandbox') +
        (isMeasured(endToEnd) && endToEnd.cpuPerLead
          ? `; against ${ms(endToEnd.cpuPerLead.totalMsPerLead)} with one of each (2)`
          : ''),
    ]);
  }
  if (isMeasured(apiLatency)) {
    for (const route of [apiLatency.messages, apiLatency.inbound]) {
      rows.push([
        `3. ${route.route} at ${route.offeredRate}/s for ${route.durationSeconds} s`,
        `p50 ${ms(route.latencyMs.p50)} · p95 ${ms(route.latencyMs.p95)} · **p99 ${ms(route.latencyMs.p99)}** ` +
          `(${route.requests} requests, ${statusText(route.statuses)})`,
      ]);
    }
    const { breakdown } = apiLatency;
    rows.push([
      `   inbound webhook alone vs its Temporal call (${breakdown.pairs} interleaved pairs)`,
      `webhook p50 ${ms(breakdown.webhookMs.p50)} · signal-with-start p50 ${ms(breakdown.signalWithStartMs.p50)} ` +
        `→ ours ≈ ${ms(breakdown.webhookMs.p50 - breakdown.signalWithStartMs.p50)} (HTTP, signature, Postgres)`,
    ]);
  } else {
    rows.push(['3. API latency', failed(apiLatency)]);
  }
  if (isMeasured(stopToBlocked)) {
    rows.push([
      `4. STOP → send refused (${stopToBlocked.measured}/${stopToBlocked.numbers} numbers)`,
      `p50 ${ms(stopToBlocked.stopToBlockedMs.p50)} · **p99 ${ms(stopToBlocked.stopToBlockedMs.p99)}** (STOP answered p50 ` +
        `${ms(stopToBlocked.stopAckMs.p50)}; the first send after the 2xx refused for ${stopToBlocked.blockedAtFirstTry}/${stopToBlocked.measured})`,
    ]);
    rows.push([
      '   texts after an acknowledged STOP',
      `**${stopToBlocked.textsAfterStopAck}** (confirmations: ${stopToBlocked.confirmationsAfterStopAck}; ${stopToBlocked.racingTexts} texts raced the STOPs)`,
    ]);
  } else {
    rows.push(['4. STOP to blocked', failed(stopToBlocked)]);
  }
  if (isMeasured(idleScale)) {
    const first = idleScale.checkpoints[0];
    const last = idleScale.checkpoints.at(-1);
    rows.push([
      '5. Idle: waiting leads (open workflows)',
      `${idleScale.waitingLeads} (${idleScale.openWorkflows ?? '?'}), added at ${idleScale.leadsPerSecond} leads/s` +
        `${idleScale.isCutShort ? ` (time budget reached before ${idleScale.target})` : ''}${failuresText(idleScale.failures)}`,
    ]);
    if (first && last) {
      rows.push([
        `   worker RSS at ${first.waitingLeads} → ${last.waitingLeads}`,
        `${mib(first.workerRssBytes)} → ${mib(last.workerRssBytes)} (**${percent(idleScale.workerRssGrowth)}**)`,
      ]);
      rows.push([
        `   API RSS · Temporal server RSS at ${last.waitingLeads}`,
        `${mib(last.apiRssBytes)} · ${mib(last.temporalRssBytes)}`,
      ]);
      rows.push([
        '   bytes per waiting lead',
        `Temporal SQLite ${kib(idleScale.temporalSqliteBytesPerLead)} · Postgres ${kib(idleScale.postgresBytesPerLead)}`,
      ]);
      rows.push([
        `   POST /v1/messages alone at ${first.waitingLeads} → ${last.waitingLeads}`,
        `p50 ${ms(first.queueLatencyMs.p50)} → ${ms(last.queueLatencyMs.p50)} · p95 ${ms(first.queueLatencyMs.p95)} → ${ms(last.queueLatencyMs.p95)}`,
      ]);
    }
    const scheduled = idleScale.scheduled;
    rows.push([
      '   texts waiting for their window (quiet hours)',
      `${scheduled.texts}${failuresText(scheduled.failures)} · worker RSS +${mib(scheduled.workerRssGrowthBytes)} · ` +
        `per text: Temporal SQLite ${kib(scheduled.temporalSqliteBytesPerText)} · Postgres ${kib(scheduled.postgresBytesPerText)}`,
    ]);
  } else {
    rows.push(['5. Idle scale', failed(idleScale)]);
  }
  rows.push([
    'Machine',
    `${machine.cpus} CPUs (${machine.cpuModel}), ${gib(machine.totalMemoryBytes)} RAM; load average ` +
      `${machine.loadBefore.map((n) => n.toFixed(2)).join(' ')} before → ${machine.loadAfter.map((n) => n.toFixed(2)).join(' ')} after`,
  ]);
  rows.push([
    'Machine load',
    `CPUs busy ${percent(machine.busyBefore, false)} before the run (others' work), ${percent(machine.busyDuringRun, false)} ` +
      `during it, of which the bench's processes ${percent(machine.benchCpuShare, false)} (Postgres counted with the rest); ` +
      `CPU pressure (some, avg60) ${machine.cpuPressureBefore?.avg60 ?? '–'} % → ${machine.cpuPressureAfter?.avg60 ?? '–'} %`,
  ]);

  const lines = [
    `Bench run ${results.startedAt} (${options.preset}: --leads ${options.leads} --rate ${options.rate}` +
      `${options.isRateAuto ? ' (auto)' : ''} --duration ${options.durationSeconds} --idle ${options.idle} ` +
      `--concurrency ${options.concurrency} --phase-seconds ${options.phaseSeconds} --idle-seconds ${options.idleSeconds}` +
      `${options.maxCachedWorkflows === undefined ? '' : ` --max-cached-workflows ${options.maxCachedWorkflows}`}` +
      `${options.eagerActivities ? ' --eager-activities' : ''}), ` +
      `${Math.round(results.seconds)} s`,
    '',
    '| figure | measured |',
    '| --- | --- |',
    ...rows.map(([figure, value]) => `| ${figure} | ${value} |`),
    '',
    '| goal (from the issue; compared, not asserted) | measured | met |',
    '| --- | --- | --- |',
    ...results.goals.map(
      (goal) =>
        `| ${goal.goal} | ${goal.measured}${goal.note ? ` (${goal.note})` : ''} | ${goal.met === null ? '–' : goal.met ? 'yes' : '**no**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** Floor's activities + workflow tasks per lead over ours, from the histories. */
function tasksRatio(floor: FloorResult | PhaseError, endToEnd: EndToEndResult | PhaseError): string | undefined {
  if (!isMeasured(floor) || !isMeasured(endToEnd) || !floor.history || !endToEnd.perLead.history) return undefined;
  const floorTasks = floor.history.activities + floor.history.workflowTasks;
  const ourTasks = endToEnd.perLead.history.activities + endToEnd.perLead.history.workflowTasks;
  return `${floorTasks} ÷ ${ourTasks} = ${(floorTasks / ourTasks).toFixed(2)}`;
}

/** In this order; the second worker and API are listed only for phase 2b, which runs them. */
const CPU_GROUP_NAMES: Record<CpuGroup, string> = {
  temporal: 'Temporal server',
  floorWorker: 'floor worker',
  worker: 'our worker',
  worker2: 'our second worker',
  api: 'API',
  api2: 'second API',
  postgres: 'Postgres (whole cluster)',
  bench: 'bench + sandbox',
};
/** The groups that are ours rather than the platform's, in phases 2 and 2b. */
const OURS: readonly CpuGroup[] = ['worker', 'worker2', 'api', 'api2', 'postgres', 'bench'];

/** Total and per-group CPU per lead, the platform's (Temporal server's) share and, given `ours`, ours' share. */
function cpuText(
  cpu: CpuPerLead | undefined,
  ours?: readonly CpuGroup[],
  oursLabel = 'our worker, API, Postgres, bench + sandbox',
): string {
  if (!cpu) return 'not measured';
  const { totalMsPerLead } = cpu;
  const msPerLead: Partial<Record<CpuGroup, number | null>> = cpu.msPerLead;
  const groups = (Object.keys(CPU_GROUP_NAMES) as CpuGroup[])
    .filter((group) => group in msPerLead)
    .map((group) => `${CPU_GROUP_NAMES[group]} ${msPerLead[group] === null ? 'not readable' : ms(msPerLead[group]!)}`)
    .join(' · ');
  const oursMs = ours?.reduce((sum, group) => sum + (msPerLead[group] ?? 0), 0);
  const shares =
    `platform (Temporal server) ${percent(cpu.platformShare, false)}` +
    (oursMs === undefined || totalMsPerLead <= 0
      ? ''
      : ` · ours (${oursLabel}) ${percent(oursMs / totalMsPerLead, false)}`);
  const { machineBusyMsPerLead: machine, kernelThreadsMsPerLead: kernel } = cpu;
  const outside =
    machine === null
      ? ''
      : `; the whole machine ${ms(machine)}, of which kernel threads ${ms(kernel ?? undefined)} and ` +
        `${ms(machine - totalMsPerLead - (kernel ?? 0))} in none of these (others' processes, exited ones)`;
  return `**${ms(totalMsPerLead)}** = ${groups}; ${shares}${outside}`;
}

/** Each API's requests in phase 2b by route, from its /metrics. */
function requestsText(scaleOut: ScaleOutResult): string {
  const one = (label: string, counts: Record<string, number> | undefined) =>
    counts === undefined
      ? `${label}: /metrics not readable`
      : `${label}: ${
          Object.entries(counts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([route, count]) => `${route} ${count}`)
            .join(' · ') || 'none'
        }`;
  return (
    `${one('API 1', scaleOut.requestsByApi.api)}; ${one('API 2', scaleOut.requestsByApi.api2)} ` +
    `(STARTs alternate between the APIs; the sandbox has one webhook URL, so each delivery receipt goes to the API ` +
    `the latest START went to)`
  );
}

/** Shares of workflow tasks and activity tasks each worker ran, over a sample of phase 2b's histories. */
function tasksByWorkerText(split: ScaleOutResult['tasksByWorker']): string {
  if (!split) return 'no history read';
  const shares = (counts: Record<'worker' | 'worker2' | 'other', number>) => {
    const total = counts.worker + counts.worker2 + counts.other;
    const share = (count: number) => percent(total > 0 ? count / total : Number.NaN, false);
    return `${share(counts.worker)} / ${share(counts.worker2)}${counts.other > 0 ? ` (${counts.other} by neither)` : ''}`;
  };
  return (
    `worker 1 / worker 2: workflow tasks ${shares(split.workflowTasks)} · activity tasks ${shares(split.activities)} ` +
    `(local activities run inside workflow tasks)`
  );
}

function failuresText(failures: number): string {
  return failures > 0 ? `, **${failures} failed**` : '';
}

function profileText(history: HistoryProfile | undefined): string {
  if (!history) return 'no history read';
  const each = (total: number, count: number) => ms(count > 0 ? total / count : Number.NaN);
  return (
    `${history.activities} activities × (dispatch ${each(history.activityDispatchMs, history.activities)} + ` +
    `run ${each(history.activityRunMs, history.activities)}), ` +
    `${history.workflowTasks} workflow tasks × (dispatch ${each(history.workflowTaskDispatchMs, history.workflowTasks)} + ` +
    `run ${each(history.workflowTaskRunMs, history.workflowTasks)}), ${history.events} history events`
  );
}

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function percent(fraction: number | undefined, signed = true): string {
  if (fraction === undefined || Number.isNaN(fraction)) return '–';
  return `${signed && fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(0)} %`;
}

function statusText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .map(([status, count]) => `${count}× ${status === '0' ? 'no answer' : status}`)
    .join(', ');
}
