import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import pino from 'pino';
import { codecRouter } from '../../src/codec/codec-routes';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { loadConfig } from '../../src/config';
import type { AccountsRepository } from '../../src/db/accounts-repository';
import { errorMiddleware } from '../../src/errors';

const UI_URL = 'http://127.0.0.1:8233';
const CLEAR = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'IkhpIERhbmEi' };

/** The routes alone, in development (local UI open) or not; the local routes never look a key up. */
async function listen(isLocalUiCodecOpen: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const logger = pino({ level: 'silent' });
  const app = express();
  const noKeys = {
    findPrincipal: () => Promise.resolve(undefined),
  } as unknown as AccountsRepository;
  app.use(
    '/v1/codec',
    codecRouter({
      codec: new EncryptionCodec(loadConfig({}).temporal.payloadEncryptionKeys),
      accounts: noKeys,
      temporalUiUrl: UI_URL,
      isLocalUiCodecOpen,
      logger,
      rateLimit: (_req, _res, next) => next(),
    }),
  );
  app.use(errorMiddleware(logger));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function post(url: string, body: unknown, origin?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify(body),
  });
}

describe('the development codec endpoint for the local Web UI', () => {
  let development: { url: string; close(): Promise<void> };
  let production: { url: string; close(): Promise<void> };

  before(async () => {
    [development, production] = await Promise.all([listen(true), listen(false)]);
  });
  after(async () => {
    await Promise.all([development?.close(), production?.close()]);
  });

  it('encodes and decodes without a key for the UI under each loopback name when in development', async () => {
    const encoded = await post(`${development.url}/v1/codec/local/encode`, { payloads: [CLEAR] }, UI_URL);
    const { payloads } = (await encoded.json()) as { payloads: (typeof CLEAR)[] };
    const decoded = await post(`${development.url}/v1/codec/local/decode`, { payloads }, 'http://localhost:8233');

    assert.equal(encoded.status, 200);
    assert.equal(Buffer.from(payloads[0]!.metadata.encoding, 'base64').toString(), 'binary/encrypted');
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), 'http://localhost:8233');
    assert.deepEqual(await decoded.json(), { payloads: [CLEAR] });
  });

  it('answers the local UI preflight with its own origin', async () => {
    const response = await fetch(`${development.url}/v1/codec/local/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI_URL, 'access-control-request-method': 'POST' },
    });

    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), UI_URL);
  });

  it('refuses a request from another origin or with no origin with 403', async () => {
    const otherSite = await post(
      `${development.url}/v1/codec/local/decode`,
      { payloads: [CLEAR] },
      'https://a.example',
    );
    const otherPort = await post(
      `${development.url}/v1/codec/local/decode`,
      { payloads: [CLEAR] },
      'http://127.0.0.1:9999',
    );
    const noOrigin = await post(`${development.url}/v1/codec/local/decode`, { payloads: [CLEAR] });

    assert.equal(otherSite.status, 403);
    assert.equal(otherPort.status, 403);
    assert.equal(noOrigin.status, 403);
  });

  it('leaves only the operator routes, which need a key, when not in development', async () => {
    const local = await post(`${production.url}/v1/codec/local/decode`, { payloads: [CLEAR] }, UI_URL);
    const operator = await post(`${production.url}/v1/codec/decode`, { payloads: [CLEAR] }, UI_URL);

    assert.equal(local.status, 401, 'the key check answers before any route');
    assert.equal(operator.status, 401);
  });
});
