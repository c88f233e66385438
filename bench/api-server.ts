import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { EncryptionCodec } from '../src/codec/encryption-codec';
import { loadConfig } from '../src/config';
import { createKnex } from '../src/db/knex';
import { createLogger } from '../src/logger';
import { connectClient } from '../src/temporal';

/**
 * Our API as src/server.ts runs it, with one difference: the per-key rate limits are lifted, because the bench
 * sends thousands of texts a minute with one key and the default (120 sends a minute) would only measure the
 * limiter. src/server.ts has no setting for them (see docs/benchmarks.md). Listens on PORT (0: any free port) and
 * prints `ready <url>` on stdout once it accepts requests.
 */
const UNLIMITED = { apiPerMinute: 1_000_000_000, sendsPerMinute: 1_000_000_000 };

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  const knex = createKnex({ databaseUrl: config.databaseUrl });
  const client = await connectClient(config.temporal);
  const app = createApp({
    knex,
    client,
    logger,
    phoneHashKey: config.phoneHashKey,
    vonageSignatureSecret: config.vonage.signatureSecret,
    webhookMaxAgeSeconds: config.webhookMaxAgeSeconds,
    payloadCodec: new EncryptionCodec(config.temporal.payloadEncryptionKeys),
    temporalUiUrl: config.temporal.uiUrl,
    rateLimits: UNLIMITED,
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  console.log(`ready http://${config.host}:${(server.address() as AddressInfo).port}`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  await client.connection.close();
  await knex.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
