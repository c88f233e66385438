import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How busy the machine was, from /proc (Linux): all CPUs' busy time, the bench's own processes' CPU time, and CPU
 * pressure (the share of time some runnable task waited for a CPU). Other engineers' work shares these two cores,
 * so a figure is only as good as what this says about the machine while it was measured.
 */

/** Linux reports process and system CPU times in USER_HZ, which is 100 on every mainstream build. */
const TICKS_PER_SECOND = 100;
const BACKGROUND_SAMPLE_MS = 2_000;

/** Cumulative CPU ticks of the whole machine (all CPUs). */
export interface CpuSnapshot {
  atMs: number;
  totalTicks: number;
  busyTicks: number;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { atMs: Date.now(), totalTicks: total, busyTicks: total - idle - iowait };
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

/** CPU seconds a process and its reaped children have used, or 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const afterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 12-15 after the name.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(afterName[index] ?? 0), 0);
    return ticks / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
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
