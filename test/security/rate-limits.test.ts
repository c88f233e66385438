import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import pino from 'pino';
import { createRateLimiters } from '../../src/api/rate-limits';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { PAYLOAD_ENCRYPTION_KEYS, startSystem, type TestSystem } from '../support/system';
import { postWebhook } from '../support/webhooks';
import { listenApp, send, type ExtraApi } from './harness';

describe('rate limits', () => {
  let system: TestSystem;
  let limited: ExtraApi;

  before(async () => {
    system = await startSystem({ inProcessWorker: false });
    limited = await listenApp(system, { apiPerMinute: 5, sendsPerMinute: 2 });
  });
  after(async () => {
    await limited?.close();
    await system?.close();
  });

  it('answers 429 with the JSON error shape and RateLimit headers when a key passes its /v1 limit', async () => {
    const account = await system.createAccount();

    const allowed = [];
    for (let i = 0; i < 5; i += 1)
      allowed.push(await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.agentKey }));
    const refused = await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.agentKey });

    assert.deepEqual(
      allowed.map((answer) => answer.status),
      [200, 200, 200, 200, 200],
    );
    assert.match(allowed[0]!.headers.get('ratelimit') ?? '', /^"api"; r=4; t=\d+$/);
    assert.match(allowed[0]!.headers.get('ratelimit-policy') ?? '', /^"api"; q=5; w=60; pk=:[\w+/=]+:$/);
    assert.equal(refused.status, 429);
    assert.deepEqual(Object.keys(refused.body).sort(), ['error', 'message', 'requestId']);
    assert.equal(refused.body.error, 'rate_limited');
    assert.match(refused.body.message, /more than 5 requests a minute/);
    assert.equal(refused.body.requestId, refused.headers.get('x-request-id'));
    assert.match(refused.headers.get('ratelimit') ?? '', /^"api"; r=0; t=\d+$/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After is set');
  });

  it('counts each API key on its own when one key is exhausted', async () => {
    const account = await system.createAccount();
    const other = await system.createAccount();
    for (let i = 0; i < 6; i += 1)
      await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.agentKey });

    const sameKey = await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.agentKey });
    const sameAccountAdmin = await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.adminKey });
    const otherAccount = await send(limited.url, { method: 'GET', path: '/v1/templates', key: other.agentKey });

    assert.equal(sameKey.status, 429);
    assert.equal(sameAccountAdmin.status, 200);
    assert.equal(otherAccount.status, 200);
  });

  it('refuses a send with 429 before it reaches the workflow when the key passes its send limit', async () => {
    const account = await system.createAccount();
    const phone = system.newLeadPhone();
    // Refused sends count too: a client looping on a bad request is still a runaway client.
    for (let i = 0; i < 2; i += 1) {
      const invalid = await send(limited.url, {
        method: 'POST',
        path: '/v1/messages',
        key: account.agentKey,
        json: {},
      });
      assert.equal(invalid.status, 400);
    }

    const valid = { leadId: 'lead-rate-1', phone, body: 'Hello' };
    const refused = await send(limited.url, {
      method: 'POST',
      path: '/v1/messages',
      key: account.agentKey,
      json: valid,
    });
    const read = await send(limited.url, { method: 'GET', path: '/v1/templates', key: account.agentKey });

    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, 'rate_limited');
    assert.match(refused.body.message, /more than 2 sends a minute/);
    const policies = refused.headers.get('ratelimit-policy') ?? '';
    assert.match(policies, /"api"; q=5;/);
    assert.match(policies, /"sends"; q=2;/);
    assert.equal(read.status, 200, 'reads stay open while sends are limited');
    assert.equal((await system.db.knex('messages').where({ account_id: account.accountId })).length, 0);
  });

  it('never limits the Vonage webhooks when far more arrive than any API limit', async () => {
    const answers = [];
    for (let i = 0; i < 20; i += 1) {
      answers.push(
        await postWebhook(limited.url, '/webhooks/vonage/status', {
          message_uuid: `rate-${i}`,
          to: '14155550123',
          from: '12025550000',
          timestamp: new Date().toISOString(),
          status: 'delivered',
        }),
      );
    }

    assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([200]));
  });

  it('limits an operator key on the codec routes like any /v1 key when the Web UI decodes too often', async () => {
    const account = await system.createAccount();
    const codec = await listenApp(
      system,
      { apiPerMinute: 3, sendsPerMinute: 2 },
      { payloadCodec: new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS) },
    );
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const answer = await send(codec.url, {
          method: 'POST',
          path: '/v1/codec/encode',
          key: account.operatorKey!,
          json: { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'e30=' }] },
        });
        statuses.push(answer.status);
      }

      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      await codec.close();
    }
  });

  it('still answers 401, not 429, to requests without a valid key', async () => {
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await send(limited.url, { method: 'GET', path: '/v1/templates' }));

    assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([401]));
  });

  it('uses 600 requests and 120 sends a minute when createApp is given no limits', async () => {
    const account = await system.createAccount();
    // The shared test app runs with generous limits; this one is built with none given, as src/server.ts does.
    const defaults = await listenApp(system, { apiPerMinute: 1, sendsPerMinute: 1 }, { rateLimits: undefined });

    let answer;
    try {
      answer = await send(defaults.url, { method: 'POST', path: '/v1/messages', key: account.agentKey, json: {} });
    } finally {
      await defaults.close();
    }

    assert.equal(answer.status, 400);
    assert.match(answer.headers.get('ratelimit-policy') ?? '', /"api"; q=600; w=60;.*"sends"; q=120; w=60;/);
  });

  it('counts callers without a key by IP when a limiter runs before authentication', async () => {
    const app = express();
    app.use(createRateLimiters({ apiPerMinute: 2, sendsPerMinute: 1 }, pino({ level: 'silent' })).api);
    app.get('/', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(((error, _req, res, _next) => {
      res.status(error.status).json({ error: error.code });
    }) as express.ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await send(url, { method: 'GET', path: '/' })).status);

      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
