import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createEventDeliveryActivities } from '../../activities/event-delivery';
import { EventEndpointsRepository } from '../db/event-endpoints-repository';
import { EVENT_TASK_QUEUE } from '../../workflows/event-delivery.contract';
import { deliveryAgent, resolvedAddressProblem, type EndpointUrlPolicy } from './endpoint-url';
import { startEventRelay } from './event-relay';

/** What pushing events to CRM endpoints needs: its own worker, and the relay that feeds it (docs/events.md). */
export interface EventDeliverySetup {
  connection: NativeConnection;
  namespace: string;
  /** Starts delivery workflows; it must encrypt with the same codec as the worker. */
  client: Client;
  knex: Knex;
  payloadCodec: PayloadCodec;
  urlPolicy: EndpointUrlPolicy;
  logger: Logger;
  workflowBundle?: { code: string };
  /** One request's limit (default 10 s). */
  requestTimeoutMs?: number;
  relayIdlePollMs?: number;
}

/**
 * Deliveries are HTTP requests that may each wait up to the request timeout on a slow endpoint: many at once cost
 * little (no Postgres connection is held across the request), and the limit keeps one account's dead endpoint
 * from starving another's.
 */
const MAX_CONCURRENT_DELIVERIES = 100;

export interface EventDelivery {
  /** Runs until shutdown() and then until in-flight deliveries finish. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createEventDelivery(setup: EventDeliverySetup): Promise<EventDelivery> {
  const repository = new EventEndpointsRepository(setup.knex);
  const worker = await Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: EVENT_TASK_QUEUE,
    ...(setup.workflowBundle
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: require.resolve('../../workflows') }),
    activities: createEventDeliveryActivities({
      store: repository,
      destinationProblem: (url) => resolvedAddressProblem(url, setup.urlPolicy),
      timeoutMs: setup.requestTimeoutMs,
      dispatcher: deliveryAgent(setup.urlPolicy),
    }),
    dataConverter: { payloadCodecs: [setup.payloadCodec] },
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_DELIVERIES,
    shutdownGraceTime: 15_000,
  });
  let relay: ReturnType<typeof startEventRelay> | undefined;
  return {
    async run() {
      relay = startEventRelay({
        repository,
        client: setup.client,
        logger: setup.logger,
        idlePollMs: setup.relayIdlePollMs,
      });
      try {
        await worker.run();
      } finally {
        await relay.stop();
      }
    },
    shutdown() {
      void relay?.stop();
      worker.shutdown();
    },
  };
}
