import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { answerClientErrors } from './client-errors';
import { EncryptionCodec } from './codec/encryption-codec';
import { loadConfig } from './config';
import { createKnex } from './db/knex';
import { createLogger } from './logger';
import { connectClient } from './temporal';

/** Entry point: load config, connect to Temporal and Postgres, listen; on SIGTERM stop accepting and drain. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'api', format: config.logFormat });
  const knex = createKnex({ databaseUrl: config.databaseUrl });
  const client = await connectClient(config.temporal);
  const app = createApp({
    knex,
    client,
    logger,
    phoneHashKey: config.phoneHashKey,
    vonageSignatureSecret: config.vonage.signatureSecret,
    vonageSignatureSecrets: config.vonage.signatureSecrets,
    webhookMaxAgeSeconds: config.webhookMaxAgeSeconds,
    payloadCodec: new EncryptionCodec(config.temporal.payloadEncryptionKeys),
    temporalUiUrl: config.temporal.uiUrl,
    // Production and tests keep decoding for operator keys; `make start` (development) serves its own Web UI.
    isLocalUiCodecOpen: config.nodeEnv === 'development',
    rateLimits: config.rateLimits,
    eventEndpointUrlPolicy: config.eventEndpointUrlPolicy,
  });
  const server = createServer(app);
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  // PORT=0 takes any free port, so the address comes from the socket rather than from the config.
  const { port } = server.address() as AddressInfo;
  logger.info({ url: `http://${config.host}:${port}`, rateLimits: config.rateLimits }, 'API listening');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  logger.info('shutting down: no new requests, finishing those in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; requests in flight finish and then their sockets close.
  server.closeIdleConnections();
  await closed;
  await client.connection.close();
  await knex.destroy();
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console -- the logger may not exist when configuration fails
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
