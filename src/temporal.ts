import { Connection, Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { EncryptionCodec, type PayloadEncryptionKey } from './codec/encryption-codec';

/** The task queue every consent workflow and activity runs on. */
export const TASK_QUEUE = 'sms-consent';

/** Temporal connection settings, from Config. */
export interface TemporalOptions {
  address: string;
  namespace: string;
  apiKey?: string;
  /** Keys of the payload codec: every payload the client sends is encrypted, every one it reads decrypted. */
  payloadEncryptionKeys: readonly PayloadEncryptionKey[];
}

/** A client for the API server and scripts. */
export async function connectClient(options: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect({
    address: options.address,
    ...(options.apiKey ? { apiKey: options.apiKey, tls: true } : {}),
  });
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: { payloadCodecs: [new EncryptionCodec(options.payloadEncryptionKeys)] },
  });
}

/** A native connection for the worker. */
export async function connectWorker(options: TemporalOptions): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: options.address,
    ...(options.apiKey ? { apiKey: options.apiKey, tls: true } : {}),
  });
}
