import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  METADATA_ENCRYPTION_KEY_ID,
  parsePayloadEncryptionKeys,
  PayloadCodecError,
} from '../../src/codec/encryption-codec';
import { JSONToPayload } from '@temporalio/common/lib/proto-utils';
import { codecPayloadsSchema } from '../../src/codec/codec-routes';
import { loadConfig } from '../../src/config';
import { PAYLOAD_ENCRYPTION_KEYS } from '../support/system';

const newKey = (id: string) => ({ id, key: randomBytes(32).toString('base64') });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();

/** A payload as the SDK's JSON converter writes it. */
function jsonPayload(value: unknown): Payload {
  return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}

/** Metadata and data as strings, so payloads compare whatever class the proto decoder returns. */
function readable(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, text(v)])),
    data: text(payload.data),
  };
}

describe('EncryptionCodec', () => {
  const lead = { phone: '+12125550147', body: 'See you at 12 Elm St' };

  it('decodes what it encoded, hiding the value and its metadata, when one key is configured', async () => {
    const codec = new EncryptionCodec([newKey('k1')]);
    const payloads = [jsonPayload(lead), { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/null') } }];

    const encoded = await codec.encode(payloads);
    const decoded = await codec.decode(encoded);

    assert.equal(encoded.length, 2);
    for (const payload of encoded) {
      assert.deepEqual(Object.keys(payload.metadata ?? {}).sort(), [METADATA_ENCODING_KEY, METADATA_ENCRYPTION_KEY_ID]);
      assert.equal(text(payload.metadata?.[METADATA_ENCODING_KEY]), ENCRYPTED_ENCODING);
      assert.equal(text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]), 'k1');
      assert.doesNotMatch(text(payload.data), /2125550147|Elm St|json\/plain|binary\/null/);
    }
    assert.deepEqual(decoded.map(readable), payloads.map(readable));
  });

  it('uses a fresh IV for every payload when the same value is encoded twice', async () => {
    const codec = new EncryptionCodec([newKey('k1')]);

    const [first, second] = await codec.encode([jsonPayload(lead), jsonPayload(lead)]);

    assert.notDeepEqual(Buffer.from(first!.data!), Buffer.from(second!.data!));
    assert.notDeepEqual(Buffer.from(first!.data!).subarray(0, 12), Buffer.from(second!.data!).subarray(0, 12));
  });

  it('refuses a payload when any byte of its ciphertext, IV or tag was changed', async () => {
    const codec = new EncryptionCodec([newKey('k1')]);
    const [encoded] = await codec.encode([jsonPayload(lead)]);
    const data = Buffer.from(encoded!.data!);

    for (const index of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[index]! ^= 0x01;

      await assert.rejects(
        codec.decode([{ ...encoded!, data: tampered }]),
        (error: Error) =>
          error instanceof PayloadCodecError && /failed authentication with key "k1"/.test(error.message),
        `byte ${index}`,
      );
    }
  });

  it('decodes payloads of the old key and encrypts with the new one when keys are rotated', async () => {
    const oldKey = newKey('2025-q4');
    const newestKey = newKey('2026-q1');
    const [fromBefore] = await new EncryptionCodec([oldKey]).encode([jsonPayload(lead)]);
    const rotated = new EncryptionCodec([newestKey, oldKey]);

    const [decoded] = await rotated.decode([fromBefore!]);
    const [fresh] = await rotated.encode([jsonPayload(lead)]);

    assert.deepEqual(readable(decoded!), readable(jsonPayload(lead)));
    assert.equal(text(fresh!.metadata?.[METADATA_ENCRYPTION_KEY_ID]), '2026-q1');
    assert.deepEqual(readable((await rotated.decode([fresh!]))[0]!), readable(jsonPayload(lead)));
    await assert.rejects(new EncryptionCodec([oldKey]).decode([fresh!]), /key id "2026-q1"/);
  });

  it('names the key id and the configured ones when a payload was encrypted with an unknown key', async () => {
    const [encoded] = await new EncryptionCodec([newKey('retired')]).encode([jsonPayload(lead)]);

    await assert.rejects(
      new EncryptionCodec([newKey('current'), newKey('previous')]).decode([encoded!]),
      (error: Error) =>
        error instanceof PayloadCodecError &&
        error.message.includes('key id "retired"') &&
        error.message.includes('PAYLOAD_ENCRYPTION_KEYS') &&
        error.message.includes('current, previous'),
    );
  });

  it('passes a payload through unchanged when it was written before encryption', async () => {
    const codec = new EncryptionCodec([newKey('k1')]);
    const plaintext = jsonPayload(lead);
    const noMetadata: Payload = { data: Buffer.from('raw') };

    const [decoded, bare] = await codec.decode([plaintext, noMetadata]);

    assert.equal(decoded, plaintext);
    assert.equal(bare, noMetadata);
  });

  it('replays every committed history, plaintext or recorded encrypted, when the worker has the codec', async () => {
    const dir = path.join(__dirname, '../workflows/histories');
    const files = (await readdir(dir)).filter((file) => file.endsWith('.json'));
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: path.basename(file, '.json'),
        history: JSON.parse(await readFile(path.join(dir, file), 'utf8')) as unknown,
      })),
    );

    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: require.resolve('../../workflows'),
        // The keys test/workflows/record-histories.ts records with (through test/support/system.ts).
        dataConverter: { payloadCodecs: [new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS)] },
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }

    assert.ok(files.length > 0);
    assert.deepEqual(failures, []);
  });
});

describe('PAYLOAD_ENCRYPTION_KEYS', () => {
  const key32 = Buffer.alloc(32, 7).toString('base64');

  it('reads keyId:base64key pairs in order, the first one encrypting, when the value is valid', () => {
    const keys = parsePayloadEncryptionKeys(`2026-01:${key32}, 2025-07:${Buffer.alloc(32, 9).toString('base64')}`);

    assert.deepEqual(
      keys.map((k) => k.id),
      ['2026-01', '2025-07'],
    );
  });

  it('names every bad entry in one error without echoing key material when the value is wrong', () => {
    const shortKey = Buffer.alloc(16, 1).toString('base64');

    assert.throws(
      () => loadConfig({ PAYLOAD_ENCRYPTION_KEYS: `a:${shortKey},no-colon,b:not*base64,a:${key32}` }),
      (error: Error) =>
        /PAYLOAD_ENCRYPTION_KEYS/.test(error.message) &&
        /entry 1 \("a"\): key must be 32 bytes in base64, got 16 bytes/.test(error.message) &&
        /entry 2 is not keyId:base64key/.test(error.message) &&
        /entry 3 \("b"\): key must be 32 bytes in base64, got something that is not base64/.test(error.message) &&
        /entry 4: key id "a" is listed twice/.test(error.message) &&
        !error.message.includes(shortKey) &&
        !error.message.includes(key32),
    );
  });

  it('uses the embedded development key when unset, and production refuses it', () => {
    const development = loadConfig({});

    assert.equal(development.temporal.payloadEncryptionKeys.length, 1);
    assert.throws(
      () =>
        loadConfig({
          NODE_ENV: 'production',
          PAYLOAD_ENCRYPTION_KEYS: `prod:${key32},${development.temporal.payloadEncryptionKeys[0]!.id}:${development.temporal.payloadEncryptionKeys[0]!.key}`,
        }),
      /PAYLOAD_ENCRYPTION_KEYS: production must not use the development default key/,
    );
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /PAYLOAD_ENCRYPTION_KEYS: production must not/);
  });
});

describe('codecPayloadsSchema', () => {
  it('refuses at validation exactly the base64 the proto JSON decoder refuses, when bytes are malformed', () => {
    const samples = [
      '',
      'YQ',
      'YQ=',
      'YQ==',
      'YQ===',
      'YQ=a',
      'YWI',
      'YWI=',
      'YWJj',
      'Q/dj6-Fc',
      'Y',
      'Y===',
      'wPEj==',
    ];

    for (const data of samples) {
      const body = { payloads: [{ metadata: { encoding: data }, data }] };
      let isDecodable = true;
      try {
        JSONToPayload(body.payloads[0]!);
      } catch {
        isDecodable = false;
      }

      assert.equal(codecPayloadsSchema.safeParse(body).success, isDecodable, JSON.stringify(data));
    }
  });
});
