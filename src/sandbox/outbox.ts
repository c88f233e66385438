import { randomUUID } from 'node:crypto';

/** One message the sandbox accepted for sending. */
export interface SandboxMessage {
  messageUuid: string;
  to: string;
  from: string;
  text: string;
  clientRef?: string;
  receivedAt: string;
}

/** Misbehaviour to inject into `POST /v1/messages`; `remaining` counts requests (undefined: until cleared). */
export interface SandboxFault {
  mode: 'http429' | 'http500' | 'timeout' | 'slow';
  remaining?: number;
  delayMs?: number;
}

/** A `POST /v1/messages` body that passed validation. */
export interface SendRequest {
  to: string;
  from: string;
  text: string;
  clientRef?: string;
}

/** What the sandbox remembers between requests: the accepted messages, the fault to inject, pending work. */
export interface Outbox {
  /** Records an accepted message and gives it its Vonage message UUID. */
  record(request: SendRequest): SandboxMessage;
  /** Recorded sends, oldest first, optionally only those to one number (with or without '+'). */
  sent(filter?: { to?: string }): SandboxMessage[];
  readonly fault: SandboxFault | null;
  setFault(fault: SandboxFault | null): void;
  /** The fault for the next request, counting it against `remaining`. */
  takeFault(): SandboxFault | null;
  /** Aborted by `cancelPendingWork()` and `reset()`; every callback, back-off and held request listens to it. */
  readonly signal: AbortSignal;
  cancelPendingWork(): void;
  /** Forgets recorded sends, clears the fault and cancels pending work. */
  reset(): void;
}

export function createOutbox(): Outbox {
  let messages: SandboxMessage[] = [];
  let fault: SandboxFault | null = null;
  // One controller for all pending work, so a reset cancels callbacks, back-offs and held requests in one move.
  let lifecycle = new AbortController();

  function cancelPendingWork(): void {
    lifecycle.abort();
    lifecycle = new AbortController();
  }

  return {
    record(request) {
      const message: SandboxMessage = {
        messageUuid: randomUUID(),
        to: request.to,
        from: request.from,
        text: request.text,
        ...(request.clientRef === undefined ? {} : { clientRef: request.clientRef }),
        receivedAt: new Date().toISOString(),
      };
      messages.push(message);
      return message;
    },

    sent(filter = {}) {
      const to = filter.to?.replace(/^\+/, '');
      return messages.filter((message) => to === undefined || message.to === to).map((message) => ({ ...message }));
    },

    get fault() {
      return fault;
    },

    setFault(next) {
      const isExhausted = next?.remaining !== undefined && next.remaining < 1;
      fault = next === null || isExhausted ? null : { ...next };
    },

    takeFault() {
      if (fault === null) return null;
      const applied = fault;
      if (applied.remaining !== undefined) {
        fault = applied.remaining > 1 ? { ...applied, remaining: applied.remaining - 1 } : null;
      }
      return applied;
    },

    get signal() {
      return lifecycle.signal;
    },

    cancelPendingWork,

    reset() {
      cancelPendingWork();
      messages = [];
      fault = null;
    },
  };
}
