import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
} from '@temporalio/worker';
import { EncryptionCodec } from '../src/codec/encryption-codec';
import { loadConfig } from '../src/config';
import { MAX_CONCURRENT_ACTIVITIES } from '../src/worker-setup';
import { FLOOR_TASK_QUEUE, type FloorActivities } from './floor-workflow';

/**
 * The floor's worker, a child process of the bench like our own worker (src/worker.ts), with the same Worker
 * settings: activity slots, payload codec, shutdown grace, SDK defaults for everything else. Only the workflow
 * (bench/floor-workflow.ts, bundled here on its own) and the no-op activity differ. Reads the same environment
 * as src/worker.ts (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PAYLOAD_ENCRYPTION_KEYS, WORKER_SHUTDOWN_GRACE_MS).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./floor-workflow'),
    logger: new DefaultLogger('WARN'),
  });
  const activities: FloorActivities = { noop: async (input) => input };
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: FLOOR_TASK_QUEUE,
      workflowBundle,
      activities,
      dataConverter: { payloadCodecs: [new EncryptionCodec(config.temporal.payloadEncryptionKeys)] },
      maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
      shutdownGraceTime: config.workerShutdownGraceMs,
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
