import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Encrypts every payload the service hands to Temporal (workflow and activity inputs and results, signals, queries,
 * updates, memos), so Temporal's database and Web UI never hold a phone number or a text in clear. Search
 * attributes are not payloads of the codec; they never carry personal data (see docs/consent-model.md).
 *
 * AES-256-GCM over the whole original Payload (proto-encoded, so its own metadata is hidden too), a fresh 12-byte
 * IV per payload. The stored data is IV || ciphertext || 16-byte tag, the layout of Temporal's encryption samples.
 * The key id travels in the metadata, so keys rotate: the first configured key encrypts, any configured key
 * decrypts.
 */

/** The encoding that marks a payload this codec encrypted. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key that encrypted the payload. */
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

/** One configured key: its id (stored with every payload it encrypts) and 32 bytes of key material, base64. */
export interface PayloadEncryptionKey {
  id: string;
  key: string;
}

/** A payload that cannot be decrypted or is not a well-formed encrypted payload. The message names no data. */
export class PayloadCodecError extends Error {
  override readonly name = 'PayloadCodecError';
}

/**
 * Parses `PAYLOAD_ENCRYPTION_KEYS`: comma-separated `keyId:base64key`, each key 32 bytes; the first encrypts.
 * Throws one error listing every problem; the message never contains key material.
 */
export function parsePayloadEncryptionKeys(value: string): PayloadEncryptionKey[] {
  const problems: string[] = [];
  const keys: PayloadEncryptionKey[] = [];
  const entries = value.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 0) {
      problems.push(`${where} is not keyId:base64key`);
      return;
    }
    const id = entry.slice(0, separator);
    const key = entry.slice(separator + 1);
    if (!KEY_ID_PATTERN.test(id)) problems.push(`${where}: key id must be 1-64 of A-Z a-z 0-9 . _ -`);
    else if (keys.some((known) => known.id === id)) problems.push(`${where}: key id "${id}" is listed twice`);
    const length = BASE64_PATTERN.test(key) ? Buffer.from(key, 'base64').length : -1;
    if (length !== KEY_BYTES) {
      problems.push(
        `${where}${KEY_ID_PATTERN.test(id) ? ` ("${id}")` : ''}: key must be ${KEY_BYTES} bytes in base64` +
          (length >= 0 ? `, got ${length} bytes` : ', got something that is not base64') +
          ' (make one with `openssl rand -base64 32`)',
      );
    }
    keys.push({ id, key });
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return keys;
}

/** AES-256-GCM payload codec; see the file comment. */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly encryptingKeyId: string;

  /** `keys[0]` encrypts; every key decrypts what it encrypted (key rotation). */
  constructor(keys: readonly PayloadEncryptionKey[]) {
    const first = keys[0];
    if (!first) throw new Error('the payload codec needs at least one key');
    this.keys = new Map(keys.map(({ id, key }) => [id, keyBytes(id, key)]));
    if (this.keys.size !== keys.length) throw new Error('payload encryption key ids must be unique');
    this.encryptingKeyId = first.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.encryptingKeyId)!;
    const keyId = Buffer.from(this.encryptingKeyId);
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [METADATA_ENCRYPTION_KEY_ID]: keyId },
        data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    // Payloads written before encryption was switched on stay readable, so their histories still replay.
    if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
    const keyIdBytes = payload.metadata?.[METADATA_ENCRYPTION_KEY_ID];
    if (!keyIdBytes) throw new PayloadCodecError(`encrypted payload has no ${METADATA_ENCRYPTION_KEY_ID} metadata`);
    const keyId = Buffer.from(keyIdBytes).toString();
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadCodecError(
        `payload was encrypted with key id "${keyId}", which is not in PAYLOAD_ENCRYPTION_KEYS ` +
          `(configured: ${[...this.keys.keys()].join(', ')})`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError('encrypted payload is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError(
        `payload failed authentication with key "${keyId}": the ciphertext was altered or the key material differs`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plaintext);
  }
}

function keyBytes(id: string, key: string): Buffer {
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== KEY_BYTES) throw new Error(`payload encryption key "${id}" must be ${KEY_BYTES} bytes`);
  return bytes;
}
