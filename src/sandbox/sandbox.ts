import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import pino, { type Logger } from 'pino';
import { createCallbacks, type SandboxReplyInput } from './callbacks';
import { createOutbox, type SandboxFault, type SandboxMessage } from './outbox';
import { createRoutes } from './routes';

export type { SandboxReplyInput } from './callbacks';
export type { SandboxFault, SandboxMessage } from './outbox';

/**
 * A local stand-in for Vonage's Messages API (SMS only). It answers `POST /v1/messages` the way Vonage does, then
 * posts signed status callbacks to our webhooks, and can post signed inbound SMS as if a lead had replied. It runs
 * when no Vonage credentials are configured and in every test; the real Vonage API is never called from either.
 *
 * Three parts: routes.ts is the HTTP API, outbox.ts what it remembers, callbacks.ts what it posts to our webhooks.
 *
 * Magic recipients let tests exercise the provider's refusals: `to` starting with 13055550 (+1 305 555-0xxx) is "opted out at the
 * carrier" (202, then a `rejected` status), and `to` starting with 13055559 (+1 305 555-9xxx) is refused as an invalid number (422). Both are valid numbers for libphonenumber, so they pass our own validation and reach the sandbox.
 */

/** Construction options of the sandbox. */
export interface SandboxOptions {
  /** Credentials the SDK must present as Basic auth. */
  apiKey: string;
  apiSecret: string;
  /** Secret the callbacks are signed with; our webhooks verify with the same one. */
  signatureSecret: string;
  /** Where our service listens; status and inbound callbacks are posted under `/webhooks/vonage/`. */
  webhookBaseUrl?: string;
  logger?: Logger;
  /** Pause before each status callback; defaults to 20 ms. */
  statusDelayMs?: number;
}

/** A running sandbox server. */
export interface SandboxListener {
  url: string;
  close(): Promise<void>;
}

/** The sandbox: an Express app plus the controls tests and operators use. */
export interface Sandbox {
  app: express.Express;
  listen(port: number, host?: string): Promise<SandboxListener>;
  /** Recorded sends, oldest first, optionally only those to one number (with or without '+'). */
  sent(filter?: { to?: string }): SandboxMessage[];
  /** Posts a signed inbound SMS to our webhook once, and returns the HTTP status our service answered. */
  reply(input: SandboxReplyInput): Promise<{ status: number; messageUuid: string }>;
  setWebhookBaseUrl(url: string): void;
  setFault(fault: SandboxFault | null): void;
  /** Forgets recorded sends, clears the fault and cancels pending callbacks. */
  reset(): void;
}

const DEFAULT_STATUS_DELAY_MS = 20;

/** Builds a sandbox; it does not listen until `listen()` is called. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const logger = options.logger ?? pino({ level: 'silent' });
  const outbox = createOutbox();
  const callbacks = createCallbacks({
    apiKey: options.apiKey,
    signatureSecret: options.signatureSecret,
    webhookBaseUrl: options.webhookBaseUrl,
    logger,
    statusDelayMs: options.statusDelayMs ?? DEFAULT_STATUS_DELAY_MS,
  });
  const app = createRoutes({ apiKey: options.apiKey, apiSecret: options.apiSecret, outbox, callbacks, logger });

  return {
    app,

    listen(port, host = '127.0.0.1') {
      const server = createServer(app);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({
            url: `http://${urlHost(address.address)}:${address.port}`,
            close: () =>
              new Promise<void>((resolveClose, rejectClose) => {
                outbox.cancelPendingWork();
                server.close((error) => (error ? rejectClose(error) : resolveClose()));
                server.closeAllConnections();
              }),
          });
        });
      });
    },

    sent: (filter) => outbox.sent(filter),
    reply: (input) => callbacks.reply(input, outbox.signal),
    setWebhookBaseUrl: (url) => callbacks.setWebhookBaseUrl(url),
    setFault: (fault) => outbox.setFault(fault),
    reset: () => outbox.reset(),
  };
}

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}
