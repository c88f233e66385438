import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnvironment } from '../config';

/** The child processes of `make start` (src/scripts/start-all.ts): started, watched, and stopped in order. */

const STOP_GRACE_MS = 10_000;
const POLL_INTERVAL_MS = 500;

interface ManagedChild {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: boolean;
}

/**
 * Owns the child processes. The first stop (signal, startup failure or a child dying) aborts whatever startup
 * step is waiting and stops the children newest first, so the API stops taking requests before the worker drains
 * and the worker drains before Temporal goes away.
 */
export class Supervisor {
  private readonly children: ManagedChild[] = [];
  private readonly lifetime = new AbortController();
  private stopping: Promise<void> | undefined;
  exitCode = 0;

  /** What every child's environment adds to this process's own (start-all sets the log format and colours). */
  envOverrides: Record<string, string> = {};

  /** `cwd` is where every child runs: the repository, where `.env` is. */
  constructor(private readonly cwd: string) {}

  /** Aborted when stopping begins; every startup wait listens to it. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  start(name: string, command: string, args: string[]): ChildProcess {
    if (this.signal.aborted) throw new StoppingError();
    // Its own process group, so Ctrl+C in the terminal reaches only this script, which then stops the
    // children in order instead of all at once.
    const child = spawn(command, args, {
      cwd: this.cwd,
      env: childEnvironment(this.envOverrides),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const managed: ManagedChild = { name, child, hasExited: false, exited: Promise.resolve() };
    managed.exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        say(`${name} could not start: ${error.message}`);
        managed.hasExited = true;
        resolve();
        this.childEnded(managed, null, null);
      });
      child.once('exit', (code, signal) => {
        managed.hasExited = true;
        resolve();
        this.childEnded(managed, code, signal);
      });
    });
    pipeWithPrefix(child, name);
    this.children.push(managed);
    say(`started ${name} (pid ${child.pid ?? '?'})`);
    return child;
  }

  /** Stops everything once; later calls return the same promise. */
  stop(reason: string, exitCode: number): Promise<void> {
    if (this.stopping === undefined) {
      this.exitCode = Math.max(this.exitCode, exitCode);
      process.exitCode = this.exitCode;
      say(`stopping (${reason})`);
      this.lifetime.abort();
      this.stopping = this.stopChildren();
    }
    return this.stopping;
  }

  /** Last resort when this process exits with children still running (e.g. an uncaught error). */
  killRemaining(): void {
    for (const { child, hasExited } of this.children) if (!hasExited) child.kill('SIGKILL');
  }

  private childEnded(managed: ManagedChild, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `code ${code ?? '?'}`;
    if (this.stopping !== undefined) {
      say(`${managed.name} stopped (${how})`);
      return;
    }
    say(`${managed.name} exited unexpectedly (${how}); stopping everything`);
    void this.stop(`${managed.name} died`, 1);
  }

  private async stopChildren(): Promise<void> {
    for (const managed of [...this.children].reverse()) {
      if (managed.hasExited) continue;
      managed.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (managed.hasExited) return;
        say(`${managed.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        managed.child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await managed.exited;
      clearTimeout(timer);
    }
  }
}

/** Thrown by startup steps once stopping has begun; not an error of its own. */
export class StoppingError extends Error {
  constructor() {
    super('stopping');
  }
}

export function say(line: string): void {
  console.log(`[start-all] ${line}`);
}

function pipeWithPrefix(child: ChildProcess, name: string): void {
  const prefix = `[${name}]`.padEnd(11);
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => console.log(`${prefix} ${line}`));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => console.error(`${prefix} ${line}`));
}

/** Polls `check` until it returns a value, the deadline passes (throws) or stopping begins (throws StoppingError). */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    if (signal.aborted) throw new StoppingError();
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s${lastError ? `: ${lastError}` : ''}`);
    }
    await sleep(POLL_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
}
