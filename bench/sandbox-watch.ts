import type { Sandbox, SandboxMessage } from '../src/sandbox/sandbox';

interface Waiter {
  to: string;
  matches: (message: SandboxMessage) => boolean;
  deadline: number;
  resolve: (message: SandboxMessage) => void;
  reject: (error: Error) => void;
}

const POLL_MS = 20;

/**
 * Sees what the sandbox "sent", by number, without rescanning everything for every lead: it reads only the texts
 * recorded since its last look, and looks only while someone waits (or when asked to catch up).
 */
export class SandboxWatch {
  private seen = 0;
  private readonly byNumber = new Map<string, SandboxMessage[]>();
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sandbox: Sandbox) {}

  /** Reads the texts recorded since the last look. */
  catchUp(): void {
    const all = this.sandbox.sent();
    for (const message of all.slice(this.seen)) {
      const list = this.byNumber.get(message.to);
      if (list) list.push(message);
      else this.byNumber.set(message.to, [message]);
    }
    this.seen = all.length;
  }

  /** Every text to `phone` so far, oldest first. */
  textsTo(phone: string): SandboxMessage[] {
    this.catchUp();
    return [...(this.byNumber.get(digits(phone)) ?? [])];
  }

  /** How many texts the sandbox has recorded. */
  total(): number {
    this.catchUp();
    return this.seen;
  }

  /** The first text to `phone` that `matches` (one already recorded counts); rejects after `timeoutMs`. */
  waitFor(phone: string, matches: (message: SandboxMessage) => boolean, timeoutMs: number): Promise<SandboxMessage> {
    const found = this.textsTo(phone).find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.waiters.add({ to: digits(phone), matches, deadline: Date.now() + timeoutMs, resolve, reject });
      this.timer ??= setInterval(() => this.poll(), POLL_MS);
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters) waiter.reject(new Error('the sandbox watch stopped'));
    this.waiters.clear();
  }

  private poll(): void {
    this.catchUp();
    const now = Date.now();
    for (const waiter of this.waiters) {
      const found = this.byNumber.get(waiter.to)?.find(waiter.matches);
      if (found) {
        this.waiters.delete(waiter);
        waiter.resolve(found);
      } else if (now > waiter.deadline) {
        this.waiters.delete(waiter);
        waiter.reject(new Error('no such text reached the sandbox in time'));
      }
    }
    if (this.waiters.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

function digits(phone: string): string {
  return phone.replace(/^\+/, '');
}
