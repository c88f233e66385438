import { ApplicationFailure, log } from '@temporalio/activity';
import { Webhook } from 'standardwebhooks';
import { fetch, type Dispatcher } from 'undici';

/*
 * One attempt to deliver one event to one CRM endpoint (docs/events.md), signed per the Standard Webhooks
 * specification: `webhook-id` (the event's, the same on every retry and replay), `webhook-timestamp` (this attempt,
 * in seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per live secret, space
 * separated, so a receiver that has either secret during a rotation verifies).
 */

/** What the activity needs of Postgres; implemented by src/db/event-endpoints-repository.ts. */
export interface EventDeliveryStore {
  /**
   * The delivery as committed: waits for a relay or a replay still holding the event or the delivery. `missing`
   * when the endpoint is live but the delivery does not exist (a relay that rolled back; it will be relayed again).
   */
  deliveryWork(
    endpointId: string,
    eventId: string,
  ): Promise<
    | {
        url: string;
        secrets: string[];
        isEndpointDeleted: boolean;
        status: 'pending' | 'delivered' | 'failed' | 'cancelled';
        webhookId: string;
        body: string;
      }
    | 'endpoint_gone'
    | 'missing'
  >;
  recordAttempt(
    endpointId: string,
    eventId: string,
    outcome: { isDelivered: boolean; statusCode?: number; error?: string },
  ): Promise<void>;
  finishDelivery(endpointId: string, eventId: string, status: 'failed' | 'cancelled'): Promise<void>;
}

export interface EventDeliveryDeps {
  store: EventDeliveryStore;
  /** Why the URL may not be posted to now (SSRF rules, src/events/endpoint-url.ts); undefined when it may. */
  destinationProblem: (url: string) => Promise<string | undefined>;
  /** One request's limit; the endpoint must answer within it. */
  timeoutMs?: number;
  /** The HTTP agent (src/events/endpoint-url.ts deliveryAgent: it checks every address it connects to). */
  dispatcher?: Dispatcher;
}

export interface DeliveryRef {
  endpointId: string;
  eventId: string;
}

export type DeliveryOutcome = 'delivered' | 'already_delivered' | 'endpoint_deleted';

const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'sms-consent-events/1';

export function createEventDeliveryActivities(deps: EventDeliveryDeps) {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    /** Posts the event; resolves on a 2xx, throws (so Temporal retries) on anything else. */
    async deliverEvent(ref: DeliveryRef): Promise<DeliveryOutcome> {
      const work = await deps.store.deliveryWork(ref.endpointId, ref.eventId);
      if (work === 'endpoint_gone' || (work !== 'missing' && work.isEndpointDeleted)) return 'endpoint_deleted';
      // Never read as "nothing to do": the event is relayed again and its delivery row appears; retrying waits for it.
      if (work === 'missing') throw ApplicationFailure.retryable('the delivery is not recorded yet', 'DeliveryMissing');
      // A replay sets the delivery back to pending before it signals; anything else already acknowledged is done.
      if (work.status === 'delivered') return 'already_delivered';
      const problem = await deps.destinationProblem(work.url);
      if (problem) {
        await deps.store.recordAttempt(ref.endpointId, ref.eventId, { isDelivered: false, error: problem });
        throw ApplicationFailure.retryable(problem, 'EndpointAddressRefused');
      }
      const now = new Date();
      const signature = work.secrets
        .map((secret) => new Webhook(secret).sign(work.webhookId, now, work.body))
        .join(' ');
      let status: number | undefined;
      let error: string | undefined;
      try {
        const response = await fetch(work.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'webhook-id': work.webhookId,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: work.body,
          // A redirect is not followed: it could lead anywhere, past the address check.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
      } catch (cause) {
        error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      }
      const isDelivered = status !== undefined && status >= 200 && status < 300;
      await deps.store.recordAttempt(ref.endpointId, ref.eventId, {
        isDelivered,
        statusCode: status,
        error: isDelivered ? undefined : (error ?? `answered ${status}`),
      });
      if (isDelivered) return 'delivered';
      log.info('event delivery attempt failed', { endpointId: ref.endpointId, status, error });
      throw ApplicationFailure.retryable(error ?? `endpoint answered ${status}`, 'EndpointNotAcknowledged');
    },

    /** Ends a delivery after its retries ran out (`failed`) or its endpoint was deleted (`cancelled`). */
    async finishDelivery(input: DeliveryRef & { status: 'failed' | 'cancelled' }): Promise<void> {
      await deps.store.finishDelivery(input.endpointId, input.eventId, input.status);
    },
  };
}

export type EventDeliveryActivities = ReturnType<typeof createEventDeliveryActivities>;
