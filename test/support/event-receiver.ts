import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A CRM's event endpoint for tests: it verifies every delivery with the published Standard Webhooks library
 * (npm `standardwebhooks`), exactly as a CRM would, and records what it got. `answer` decides each status code, so a
 * test can keep the endpoint down, then bring it up.
 */
export interface ReceivedEvent {
  webhookId: string;
  timestamp: string;
  signature: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Which of the receiver's secrets verified it (index into `secrets`), or -1 when none did. */
  verifiedWith: number;
  /** The status this receiver answered. */
  answered: number;
}

export interface EventReceiver {
  url: string;
  /** Secrets to verify with, in order; set once the endpoint is registered. */
  secrets: string[];
  /** Every delivery attempt, in arrival order. */
  attempts: ReceivedEvent[];
  /** The acknowledged ones (2xx), in arrival order. */
  acknowledged(): ReceivedEvent[];
  answer: (attempt: ReceivedEvent) => number;
  close(): Promise<void>;
}

export async function startEventReceiver(): Promise<EventReceiver> {
  const receiver: EventReceiver = {
    url: '',
    secrets: [],
    attempts: [],
    acknowledged: () => receiver.attempts.filter((a) => a.answered >= 200 && a.answered < 300),
    answer: () => 204,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      const verifiedWith = receiver.secrets.findIndex((secret) => {
        try {
          new Webhook(secret).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
      const attempt: ReceivedEvent = {
        webhookId: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body: JSON.parse(raw),
        verifiedWith,
        answered: 0,
      };
      attempt.answered = verifiedWith < 0 ? 401 : receiver.answer(attempt);
      receiver.attempts.push(attempt);
      res.statusCode = attempt.answered;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
