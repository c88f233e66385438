import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How busy the machine was, from /proc (Linux): all CPUs' busy time, the bench's own processes' CPU time, and CPU
 * pressure (the share of time some runnable task waited for a CPU). Other engineers' work shares these two cores,
 * so a figure is only as good as what this says about the machine while it was measured.
 */

/** Linux reports process and system CPU times in USER_HZ: `getconf CLK_TCK`, 100 on every mainstream build. */
const TICKS_PER_SECOND = clockTicksPerSecond();
const BACKGROUND_SAMPLE_MS = 2_000;

/** Cumulative CPU ticks of the whole machine (all CPUs). */
export interface CpuSnapshot {
  atMs: number;
  totalTicks: number;
  busyTicks: number;
  /** Of busyTicks, the time the hypervisor gave this VM's CPUs to someone else. */
  stealTicks: number;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { atMs: Date.now(), totalTicks: total, busyTicks: total - idle - iowait, stealTicks: steal };
  } catch {
    return undefined;
  }
}

/** Share of all CPUs busy between two snapshots, 0..1. */
export function busyShare(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined): number | undefined {
  if (!from || !to || to.totalTicks <= from.totalTicks) return undefined;
  return (to.busyTicks - from.busyTicks) / (to.totalTicks - from.totalTicks);
}

/** How busy the machine is before the bench starts anything: a short sample. */
export async function backgroundBusyShare(): Promise<number | undefined> {
  const from = cpuSnapshot();
  await sleep(BACKGROUND_SAMPLE_MS);
  return busyShare(from, cpuSnapshot());
}

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** What /proc/<pid>/stat says about a process's CPU time. */
interface ProcessStat {
  comm: string;
  ppid: number;
  /** utime + stime + cutime + cstime: its own CPU time and that of the children it has reaped, in ticks. */
  ticks: number;
}

function processStat(pid: number): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name may contain spaces and parentheses; the fields after its last ')' are fixed.
    const nameEnd = stat.lastIndexOf(') ');
    const afterName = stat.slice(nameEnd + 2).split(' ');
    // Fields 4 (ppid) and 14-17 (utime, stime, cutime, cstime) of stat are 1 and 11-14 after the name.
    return {
      comm: stat.slice(stat.indexOf('(') + 1, nameEnd),
      ppid: Number(afterName[1]),
      ticks: [11, 12, 13, 14].reduce((sum, index) => sum + Number(afterName[index] ?? 0), 0),
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds a process and its reaped children have used, or 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  return (processStat(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
}

/** `some avg10` and `avg60` of /proc/pressure/cpu: the % of time at least one runnable task waited for a CPU. */
export function cpuPressure(): { avg10: number; avg60: number } | undefined {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('some'));
    const avg10 = /avg10=([\d.]+)/.exec(line ?? '')?.[1];
    const avg60 = /avg60=([\d.]+)/.exec(line ?? '')?.[1];
    return avg10 && avg60 ? { avg10: Number(avg10), avg60: Number(avg60) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The postmaster of the Postgres backend `backendPid` (from `pg_backend_pid()`), when that backend is a process on
 * this machine that /proc shows; undefined for a Postgres elsewhere (or in another PID namespace).
 */
export function postmasterOf(backendPid: number): number | undefined {
  const backend = processStat(backendPid);
  if (backend?.comm !== 'postgres') return undefined;
  return processStat(backend.ppid)?.comm === 'postgres' ? backend.ppid : undefined;
}

/**
 * The process groups whose CPU time phases 1, 2 and 2b read, each a process with all its descendants. `worker2` and
 * `api2` are the second worker and API that only the scale-out phase (2b) runs; the other phases leave them out.
 */
export type CpuGroup = 'temporal' | 'worker' | 'worker2' | 'floorWorker' | 'api' | 'api2' | 'postgres' | 'bench';
/** The groups every phase reads. */
export const CPU_GROUPS: readonly CpuGroup[] = ['temporal', 'worker', 'floorWorker', 'api', 'postgres', 'bench'];
/** The groups only a phase that runs them reads (phase 2b's second worker and second API). */
export type ReplicaCpuGroup = 'worker2' | 'api2';

/**
 * The root process of each group; the bench is this process. Postgres is absent when /proc cannot see it. The
 * replicas' groups are read only when their roots are given.
 */
export type CpuGroupRoots = Record<Exclude<CpuGroup, 'bench' | ReplicaCpuGroup>, number | undefined> &
  Partial<Record<ReplicaCpuGroup, number>>;

/**
 * Cumulative CPU ms of each group at one moment, of the kernel's own threads, and of the whole machine. A group
 * that is not part of the phase has no key; one that could not be read is undefined.
 */
export interface CpuReading {
  groupMs: Partial<Record<CpuGroup, number | undefined>>;
  kernelThreadsMs: number | undefined;
  machine: CpuSnapshot | undefined;
}

/** kthreadd, the parent of every kernel thread (writeback, block I/O, softirq threads). */
const KTHREADD_PID = 2;

/**
 * Reads every group's cumulative CPU time. A group is its root and every live descendant, each counted with the
 * children it has reaped (cutime + cstime): a child that exits between two readings moves its time into its
 * parent's and is still counted. That is what makes the postmaster's tree exact although backends come and go.
 * The bench itself is only this process (its children are the other groups).
 */
export function readCpuByGroup(roots: CpuGroupRoots): CpuReading {
  const processes = new Map<number, ProcessStat>();
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = processStat(pid);
    if (!stat) continue;
    processes.set(pid, stat);
    const siblings = childrenOf.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else childrenOf.set(stat.ppid, [pid]);
  }
  const treeMs = (root: number | undefined): number | undefined => {
    if (root === undefined || !processes.has(root)) return undefined;
    let ticks = 0;
    const pending = [root];
    while (pending.length > 0) {
      const pid = pending.pop()!;
      ticks += processes.get(pid)?.ticks ?? 0;
      pending.push(...(childrenOf.get(pid) ?? []));
    }
    return (ticks / TICKS_PER_SECOND) * 1000;
  };
  const own = process.cpuUsage();
  const replicas: Partial<Record<ReplicaCpuGroup, number | undefined>> = {};
  if (roots.worker2 !== undefined) replicas.worker2 = treeMs(roots.worker2);
  if (roots.api2 !== undefined) replicas.api2 = treeMs(roots.api2);
  return {
    groupMs: {
      temporal: treeMs(roots.temporal),
      worker: treeMs(roots.worker),
      floorWorker: treeMs(roots.floorWorker),
      api: treeMs(roots.api),
      postgres: treeMs(roots.postgres),
      bench: (own.user + own.system) / 1000,
      ...replicas,
    },
    // In a container's PID namespace PID 2 is an ordinary process, and the kernel's threads are not visible.
    kernelThreadsMs: processes.get(KTHREADD_PID)?.comm === 'kthreadd' ? treeMs(KTHREADD_PID) : undefined,
    machine: cpuSnapshot(),
  };
}

/** CPU time per lead between two readings, by group. */
export interface CpuPerLead {
  /** The completed leads the time is divided by, over the same window as the phase's leads/s. */
  leads: number;
  /**
   * CPU ms per lead of each group; null where a group could not be read at both ends. `worker2` and `api2` are
   * there only in phase 2b, which runs them.
   */
  msPerLead: Record<Exclude<CpuGroup, ReplicaCpuGroup>, number | null> &
    Partial<Record<ReplicaCpuGroup, number | null>>;
  /** The sum of the groups that could be read. */
  totalMsPerLead: number;
  /** The Temporal server's share of the total: the platform's part that can be told apart from ours. */
  platformShare: number;
  /**
   * All CPU time spent on the machine per lead (/proc/stat, busy less steal). Beyond the groups it holds the
   * kernel's own threads (below), other people's processes, and processes that exited between the readings.
   */
  machineBusyMsPerLead: number | null;
  kernelThreadsMsPerLead: number | null;
}

export function cpuPerLead(from: CpuReading, to: CpuReading, leads: number): CpuPerLead | undefined {
  if (leads <= 0) return undefined;
  const perLead = (ms: number) => Math.round((ms / leads) * 10) / 10;
  const usedMs = (group: CpuGroup) => {
    const [start, end] = [from.groupMs[group], to.groupMs[group]];
    return start === undefined || end === undefined ? undefined : end - start;
  };
  const groups: CpuGroup[] = [
    ...CPU_GROUPS,
    ...(['worker2', 'api2'] as const).filter((group) => group in from.groupMs || group in to.groupMs),
  ];
  const msPerLead = Object.fromEntries(
    groups.map((group) => [group, usedMs(group) === undefined ? null : perLead(usedMs(group)!)]),
  ) as CpuPerLead['msPerLead'];
  const total = groups.reduce((sum, group) => sum + (usedMs(group) ?? 0), 0);
  const machineTicks =
    from.machine && to.machine
      ? to.machine.busyTicks - to.machine.stealTicks - (from.machine.busyTicks - from.machine.stealTicks)
      : undefined;
  const kernelMs =
    from.kernelThreadsMs === undefined || to.kernelThreadsMs === undefined
      ? undefined
      : to.kernelThreadsMs - from.kernelThreadsMs;
  return {
    leads,
    msPerLead,
    totalMsPerLead: perLead(total),
    platformShare: total > 0 ? Math.round(((usedMs('temporal') ?? 0) / total) * 1000) / 1000 : 0,
    machineBusyMsPerLead: machineTicks === undefined ? null : perLead((machineTicks / TICKS_PER_SECOND) * 1000),
    kernelThreadsMsPerLead: kernelMs === undefined ? null : perLead(kernelMs),
  };
}
