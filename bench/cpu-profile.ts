import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 CPU profile (`node --cpu-prof`, the Chrome DevTools `.cpuprofile` format: a call tree of nodes, and
 * samples with the time since the previous one) and says where a window of it went: self time by where the code
 * lives (our files, each npm package, Node's internals, the garbage collector), and our own functions.
 */

/** The parts of the .cpuprofile format this reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  /** Microseconds on the monotonic clock (CLOCK_MONOTONIC on Linux, the clock of process.hrtime). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one group or function, in milliseconds per lead. */
export interface ProfileRow {
  name: string;
  msPerLead: number;
  /** Of the process's CPU in the window (idle excluded). */
  share: number;
}

/** Where one process's CPU went during a window, per lead. */
export interface ProfileSummary {
  process: string;
  /** CPU time in the window, idle excluded, per lead. */
  msPerLead: number;
  /** By where the code lives, largest first. */
  groups: ProfileRow[];
  /** Our own functions (src/, activities/, workflows/), largest first. */
  ours: ProfileRow[];
}

const REPO_ROOT = path.resolve(__dirname, '..');
const OUR_FOLDERS = ['src/', 'activities/', 'workflows/', 'bench/'];

/** Where a frame's code lives: our file, an npm package, Node itself, the engine. */
export function groupOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'engine (program)';
  if (url === '') return 'engine builtins';
  if (url.startsWith('node:')) return 'Node internals';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const [scopeOrName, name] = file.slice(modules + '/node_modules/'.length).split('/');
    return scopeOrName?.startsWith('@') ? `${scopeOrName}/${name}` : (scopeOrName ?? file);
  }
  // The worker runs workflow code from the bundle it builds at start: workflows/ and the SDK's workflow runtime.
  if (/workflow-bundle|workflow_bundle|\.webpack/.test(file) || !file.startsWith('/')) return 'workflow bundle';
  const relative = path.relative(REPO_ROOT, file);
  if (OUR_FOLDERS.some((folder) => relative.startsWith(folder))) return `ours: ${relative.split('/')[0]}/`;
  return 'other';
}

/**
 * Summarises `file` over the samples taken between `fromUs` and `toUs` (monotonic microseconds), divided by `leads`.
 * Throws when the window is outside the profile, which would mean the clocks differ.
 */
export function summariseProfile(options: {
  file: string;
  process: string;
  fromUs: number;
  toUs: number;
  leads: number;
  top?: number;
}): ProfileSummary {
  const profile = JSON.parse(readFileSync(options.file, 'utf8')) as CpuProfile;
  if (options.toUs < profile.startTime || options.fromUs > profile.endTime) {
    throw new Error(
      `${options.file}: the window ${options.fromUs}–${options.toUs} µs is outside the profile ` +
        `(${profile.startTime}–${profile.endTime} µs); the clocks differ`,
    );
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const groupUs = new Map<string, number>();
  const functionUs = new Map<string, number>();
  let totalUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (at < options.fromUs || at > options.toUs) continue;
    const frame = byId.get(profile.samples[i]!);
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(root)') continue;
    totalUs += duration;
    const group = groupOf(frame.url, frame.functionName);
    groupUs.set(group, (groupUs.get(group) ?? 0) + duration);
    if (group.startsWith('ours: ')) {
      const where = `${frame.functionName || '(anonymous)'} ${path.relative(REPO_ROOT, fileOf(frame.url))}:${frame.lineNumber + 1}`;
      functionUs.set(where, (functionUs.get(where) ?? 0) + duration);
    }
  }
  const rows = (map: Map<string, number>): ProfileRow[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top ?? 12)
      .map(([name, us]) => ({
        name,
        msPerLead: Math.round((us / 1000 / options.leads) * 100) / 100,
        share: totalUs > 0 ? Math.round((us / totalUs) * 1000) / 1000 : 0,
      }));
  return {
    process: options.process,
    msPerLead: Math.round((totalUs / 1000 / options.leads) * 100) / 100,
    groups: rows(groupUs),
    ours: rows(functionUs),
  };
}

function fileOf(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}

/** The summaries as markdown: one table of groups and one of our functions per process. */
export function renderProfiles(summaries: readonly ProfileSummary[]): string {
  const lines: string[] = [];
  for (const summary of summaries) {
    lines.push(`**${summary.process}**: ${summary.msPerLead} ms of CPU per lead in the window`, '');
    lines.push('| where | ms per lead | share |', '| --- | --- | --- |');
    for (const row of summary.groups)
      lines.push(`| ${row.name} | ${row.msPerLead} | ${Math.round(row.share * 100)} % |`);
    lines.push('', '| our function | ms per lead | share |', '| --- | --- | --- |');
    for (const row of summary.ours)
      lines.push(`| \`${row.name}\` | ${row.msPerLead} | ${Math.round(row.share * 100)} % |`);
    lines.push('');
  }
  return lines.join('\n');
}
