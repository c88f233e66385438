import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createSandbox } from './sandbox';

/** Runs the Vonage sandbox on SANDBOX_PORT, posting callbacks to PUBLIC_BASE_URL, until SIGTERM or SIGINT. */
export async function main(): Promise<void> {
  let logger = createLogger({ name: 'sandbox', level: 'info' });
  try {
    const config = loadConfig();
    logger = createLogger({ name: 'sandbox', level: config.logLevel, format: config.logFormat });
    const { apiKey, apiSecret, signatureSecret } = config.vonage;
    if (apiKey === undefined || apiSecret === undefined) {
      throw new Error('the sandbox needs VONAGE_API_KEY and VONAGE_API_SECRET, or neither (sandbox defaults)');
    }
    if (!config.vonage.isSandbox) {
      logger.warn('real Vonage credentials are configured; the service reaches this sandbox only via VONAGE_API_HOST');
    }

    const sandbox = createSandbox({
      apiKey,
      apiSecret,
      signatureSecret,
      webhookBaseUrl: config.publicBaseUrl,
      logger,
    });
    const listener = await sandbox.listen(config.sandboxPort, config.host);
    logger.info({ url: listener.url, webhookBaseUrl: config.publicBaseUrl }, 'Vonage sandbox listening');

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    logger.info({ signal }, 'Vonage sandbox shutting down');
    await listener.close();
  } catch (error) {
    logger.fatal({ err: error }, 'Vonage sandbox failed');
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
