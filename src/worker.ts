import { planSend, sendAtAnyHour } from './sending-window/plan-send';
import { Runtime, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';
import { EncryptionCodec } from './codec/encryption-codec';
import { loadConfig } from './config';
import { createKnex } from './db/knex';
import { createLogger } from './logger';
import { createEventDelivery } from './events/event-worker';
import { connectClient, connectWorker } from './temporal';
import { createWorker, MAX_CONCURRENT_ACTIVITIES, MAX_CONCURRENT_LOCAL_ACTIVITIES } from './worker-setup';
import { temporalLoggerFor } from './worker-logging';

/** Entry point: build knex + Vonage, create the activities, run the Worker until SIGTERM, then drain. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'worker', format: config.logFormat });
  Runtime.install({
    logger: temporalLoggerFor(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      // The SDK's own runtime metrics (task slots, latencies, polls) for Prometheus.
      ...(config.workerMetricsAddress ? { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } : {}),
    },
  });
  const knex = createKnex({
    databaseUrl: config.databaseUrl,
    poolMax: MAX_CONCURRENT_ACTIVITIES + MAX_CONCURRENT_LOCAL_ACTIVITIES,
  });
  const lockKnex = createKnex({ databaseUrl: config.databaseUrl, poolMax: MAX_CONCURRENT_ACTIVITIES });
  // Bundled here rather than by Worker.create, whose bundler logs webpack's multi-line report at INFO on every
  // start; a warning-level logger keeps webpack's warnings and errors and drops the report.
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: temporalLoggerFor(logger, 'WARN'),
  });
  logger.info({ sizeKb: Math.round(workflowBundle.code.length / 1024) }, 'workflow bundle built');
  const connection = await connectWorker(config.temporal);
  // The event relay starts delivery workflows with a client of its own (src/events/event-relay.ts).
  const client = await connectClient(config.temporal);
  try {
    const worker = await createWorker({
      workflowBundle,
      connection,
      namespace: config.temporal.namespace,
      knex,
      lockKnex,
      vonage: config.vonage,
      payloadCodec: new EncryptionCodec(config.temporal.payloadEncryptionKeys),
      shutdownGraceMs: config.workerShutdownGraceMs,
      reconcileWindowMs: config.sendReconcileWindowMs,
      planSend: config.isQuietHoursEnforced ? planSend : sendAtAnyHour,
      maxCachedWorkflows: config.workerMaxCachedWorkflows,
      logger,
    });
    logger.info(
      {
        taskQueue: 'sms-consent',
        temporal: config.temporal.address,
        sandbox: config.vonage.isSandbox,
        // The effective value: when WORKER_MAX_CACHED_WORKFLOWS is unset the SDK derives it from the heap limit.
        maxCachedWorkflows: worker.options.maxCachedWorkflows,
      },
      'worker started',
    );
    const events = await createEventDelivery({
      connection,
      namespace: config.temporal.namespace,
      client,
      knex,
      payloadCodec: new EncryptionCodec(config.temporal.payloadEncryptionKeys),
      urlPolicy: config.eventEndpointUrlPolicy,
      logger,
      workflowBundle,
    });
    // Worker.run() returns after SIGTERM/SIGINT once in-flight activities finished (or the grace time passed); the
    // Runtime shuts down every worker of the process on the signal.
    await Promise.all([worker.run(), events.run()]);
    logger.info('worker stopped');
  } finally {
    await Promise.all([connection.close(), client.connection.close()]);
    await Promise.all([knex.destroy(), lockKnex.destroy()]);
  }
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console -- the logger may not exist when configuration fails
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
