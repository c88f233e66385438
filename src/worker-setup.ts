import type { SendPlanner } from '../activities';
import { planSend } from './sending-window/plan-send';
import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { OutboxRepository } from './db/outbox-repository';
import { createVonageClient, VonageSmsGateway, type VonageOptions } from './vonage/sms-gateway';
import { TASK_QUEUE } from './temporal';
import type { Logger } from 'pino';
import { activityAttemptLogging } from './worker-logging';

/** What a worker needs: built once by src/worker.ts, or by a test with its own server and database. */
export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  knex: Knex;
  lockKnex: Knex;
  vonage: VonageOptions;
  /** Encrypts what the worker sends to Temporal and decrypts what it reads (src/codec/encryption-codec.ts). */
  payloadCodec: PayloadCodec;
  reconcileWindowMs?: number;
  shutdownGraceMs?: number;
  /** Workflows kept in the sticky cache; undefined: the SDK's default, derived from the V8 heap limit. */
  maxCachedWorkflows?: number;
  /** Structured logger for one line per activity attempt. */
  logger?: Logger;
  /** Quiet hours; the real planner unless a test suite that runs at any hour passes `sendAtAnyHour`. */
  planSend?: SendPlanner;
  /** Pre-built workflow bundle (tests build one per file); otherwise bundled from workflows/. */
  workflowBundle?: { code: string };
}

/** How many activities run at once; each holds at most two Postgres connections (lock + work). */
export const MAX_CONCURRENT_ACTIVITIES = 16;
/** Local activities (Postgres only) at once; see the Worker options below. */
export const MAX_CONCURRENT_LOCAL_ACTIVITIES = 8;

/** Creates the Worker with real activities: Postgres through knex, Vonage through the SDK. */
export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const created: { worker?: Worker } = {};
  const activities = createActivities({
    store: new OutboxRepository(setup.knex, setup.lockKnex),
    sms: new VonageSmsGateway(createVonageClient(setup.vonage)),
    reconcileWindowMs: setup.reconcileWindowMs ?? 10 * 60 * 1000,
    planSend: setup.planSend ?? planSend,
    // Once SIGTERM starts the drain, a batch of texts stops after the one in flight (activities/messaging.ts).
    isWorkerStopping: () => created.worker !== undefined && created.worker.getState() !== 'RUNNING',
  });
  const worker = await Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: TASK_QUEUE,
    ...(setup.workflowBundle
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities,
    dataConverter: { payloadCodecs: [setup.payloadCodec] },
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
    // The Postgres bookkeeping runs as local activities (workflows/sms-consent.ts). The SDK's default of 100 at once
    // would queue them on the worker's 20 Postgres connections until their 10 s attempt timeout fired and a second
    // attempt overlapped the first; this keeps them within the pool.
    maxConcurrentLocalActivityExecutions: MAX_CONCURRENT_LOCAL_ACTIVITIES,
    shutdownGraceTime: setup.shutdownGraceMs ?? 30_000,
    maxCachedWorkflows: setup.maxCachedWorkflows,
    ...(setup.logger ? { interceptors: { activity: [activityAttemptLogging(setup.logger)] } } : {}),
  });
  created.worker = worker;
  return worker;
}
