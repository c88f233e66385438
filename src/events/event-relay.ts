import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DeliveryBatch, EventEndpointsRepository } from '../db/event-endpoints-repository';
import {
  EVENT_DELIVERY_WORKFLOW_TYPE,
  EVENT_TASK_QUEUE,
  eventDeliveryWorkflowId,
  eventsQueuedSignal,
  type EventDeliveryWorkflow,
} from '../../workflows/event-delivery.contract';

/*
 * The relay between the events the database records (crm_events, written in the transaction of each change) and
 * the Temporal workflows that deliver them (workflows/event-delivery.ts). It is the outbox pattern's reader: it only
 * hands events over; the retries, the backoff and the order are the delivery workflow's. Every worker process runs
 * one, and one at a time takes events (a transaction lock): two at once could hand one number's events to its
 * workflow out of order. The others wait their turn, so a relay that dies is replaced at the next step.
 */

/** Between steps while there is nothing to take; a step that found events is followed at once by the next. */
const DEFAULT_IDLE_POLL_MS = 250;
const BATCH_SIZE = 200;
/** After a failed step (Postgres or Temporal down): the events stay undispatched and are taken again. */
const ERROR_BACKOFF_MS = 2_000;
/**
 * Events and their deliveries are kept this long, for the deliveries list and replay; then forgotten, unless a
 * delivery is still pending. The consent ledger (consent_events) is the permanent record, not this.
 */
export const EVENT_RETENTION_DAYS = 30;
const RETENTION_EVERY_MS = 3600_000;
const RETENTION_FIRST_MS = 60_000;

/** Hands each batch to its (endpoint, number) workflow, starting it when it is not running. */
export async function dispatchBatches(client: Client, batches: DeliveryBatch[]): Promise<void> {
  await Promise.all(
    batches.map((batch) =>
      client.workflow.signalWithStart<EventDeliveryWorkflow, [{ eventIds: string[] }]>(EVENT_DELIVERY_WORKFLOW_TYPE, {
        workflowId: eventDeliveryWorkflowId(batch.endpointId, batch.phoneKey),
        taskQueue: EVENT_TASK_QUEUE,
        args: [{ endpointId: batch.endpointId }],
        signal: eventsQueuedSignal,
        signalArgs: [{ eventIds: batch.eventIds }],
      }),
    ),
  );
}

export interface EventRelay {
  /** Resolves once the loop has stopped. */
  stop(): Promise<void>;
}

export function startEventRelay(deps: {
  repository: EventEndpointsRepository;
  client: Client;
  logger: Logger;
  idlePollMs?: number;
}): EventRelay {
  let isStopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // Soon after start, then hourly: a worker restarted more often than hourly still forgets old events.
  let nextRetentionAt = Date.now() + RETENTION_FIRST_MS;
  const loop = (async () => {
    while (!isStopping) {
      try {
        if (Date.now() >= nextRetentionAt) {
          nextRetentionAt = Date.now() + RETENTION_EVERY_MS;
          const forgotten = await deps.repository.deleteEventsOlderThan(EVENT_RETENTION_DAYS);
          if (forgotten > 0) deps.logger.info({ forgotten }, 'forgot events past their retention');
        }
        const taken = await deps.repository.relayStep(BATCH_SIZE, (batches) => dispatchBatches(deps.client, batches));
        if (taken === 0) await pause(deps.idlePollMs ?? DEFAULT_IDLE_POLL_MS);
      } catch (error) {
        deps.logger.warn({ err: error }, 'event relay step failed; retrying');
        await pause(ERROR_BACKOFF_MS);
      }
    }
  })();
  return {
    async stop() {
      isStopping = true;
      wake?.();
      await loop;
    },
  };
}
