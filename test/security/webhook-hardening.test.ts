import assert from 'node:assert/strict';
import crypto, { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { SignJWT, generateKeyPair } from 'jose';
import { signWebhook, singleAccountSecrets, verifyWebhookSignature } from '../../src/vonage/webhook-signature';
import { SIGNATURE_SECRET, type TestAccount, type TestSystem } from '../support/system';
import { footprintOf, startSystemPerFile } from '../support/system-per-file';
import { inboundBody, postWebhook, statusBody } from '../support/webhooks';
import { listenApp, type ExtraApi } from './harness';

const INBOUND = '/webhooks/vonage/inbound';
const STATUS = '/webhooks/vonage/status';

function sha256Hex(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

describe('webhook hardening', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const footprint = (phone: string) => footprintOf(system, account.accountId, phone);

  function stopFrom(phone: string) {
    const body = inboundBody({ from: phone, to: account.senderNumber, text: 'STOP' });
    return { body, raw: JSON.stringify(body) };
  }

  it('refuses an RS256 token with 401 wrong_algorithm and changes nothing', async () => {
    const phone = system.newLeadPhone();
    const { raw } = stopFrom(phone);
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ payload_hash: sha256Hex(raw) })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuedAt()
      .sign(privateKey);

    const answer = await postWebhook(system.apiUrl, INBOUND, raw, { token });

    assert.equal(answer.status, 401);
    assert.deepEqual(
      [answer.body.error, answer.body.message],
      ['invalid_signature', 'webhook signature refused: wrong_algorithm'],
    );
    assert.deepEqual(await footprint(phone), { messages: 0, dnc: 0, ledger: 0 });
  });

  it('refuses an HS512 token signed with our own secret with 401 and changes nothing', async () => {
    const phone = system.newLeadPhone();
    const { raw } = stopFrom(phone);
    const token = await new SignJWT({ payload_hash: sha256Hex(raw) })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(SIGNATURE_SECRET));

    const answer = await postWebhook(system.apiUrl, INBOUND, raw, { token });

    assert.equal(answer.status, 401);
    assert.equal(answer.body.message, 'webhook signature refused: wrong_algorithm');
    assert.deepEqual(await footprint(phone), { messages: 0, dnc: 0, ledger: 0 });
  });

  it('refuses a valid token replayed with another body (payload_hash) on both webhooks', async () => {
    const phone = system.newLeadPhone();
    const original = inboundBody({ from: phone, to: account.senderNumber, text: 'what time is the showing?' });
    const token = await signWebhook({ rawBody: JSON.stringify(original), secret: SIGNATURE_SECRET });
    const accepted = await postWebhook(system.apiUrl, INBOUND, original, { token });
    const before_ = await footprint(phone);
    const swapped = { ...original, message_uuid: randomUUID(), text: 'STOP' };
    const status = statusBody({ from: account.senderNumber, to: phone, status: 'delivered' });
    const statusToken = await signWebhook({ rawBody: JSON.stringify(status), secret: SIGNATURE_SECRET });

    const replayedInbound = await postWebhook(system.apiUrl, INBOUND, swapped, { token });
    const replayedStatus = await postWebhook(
      system.apiUrl,
      STATUS,
      { ...status, status: 'rejected' },
      { token: statusToken },
    );

    assert.equal(accepted.status, 200);
    for (const replayed of [replayedInbound, replayedStatus]) {
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.message, 'webhook signature refused: payload_hash_mismatch');
    }
    assert.deepEqual(await footprint(phone), before_, 'the replay changed nothing');
    assert.equal(before_.dnc, 0);
  });

  it('refuses a token issued beyond the clock skew in the future, and accepts one within it', async () => {
    const phone = system.newLeadPhone();
    const { body } = stopFrom(phone);

    const future = await postWebhook(system.apiUrl, INBOUND, body, { issuedAt: new Date(Date.now() + 5 * 60_000) });
    const footprintAfterFuture = await footprint(phone);
    const withinSkew = await postWebhook(system.apiUrl, INBOUND, body, { issuedAt: new Date(Date.now() + 30_000) });

    assert.equal(future.status, 401);
    assert.equal(future.body.message, 'webhook signature refused: token_from_future');
    assert.deepEqual(footprintAfterFuture, { messages: 0, dnc: 0, ledger: 0 });
    assert.equal(withinSkew.status, 200, JSON.stringify(withinSkew.body));
  });

  it('answers an unsigned status callback with 503 so Vonage retries with a signed one', async () => {
    const status = statusBody({ from: account.senderNumber, to: '14155550123', status: 'delivered' });

    const answer = await postWebhook(system.apiUrl, STATUS, status, { unsigned: true });

    assert.equal(answer.status, 503);
    assert.equal(answer.body.error, 'unsigned_webhook');
    assert.equal(
      await system.db.knex('webhook_events').where({ provider_message_id: status.message_uuid }).first(),
      undefined,
    );
  });

  it('refuses a forged status callback with 401 whatever the forgery', async () => {
    const status = {
      ...statusBody({ from: account.senderNumber, to: '14155550123', status: 'rejected' }),
      error: { title: '1320', detail: 'forged carrier opt-out' },
    };
    const raw = JSON.stringify(status);
    const header = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forgeries: Record<string, Parameters<typeof postWebhook>[3]> = {
      'another secret': { secret: 'not-our-secret-0123456789abcdef' },
      'alg none': {
        token: `${header({ alg: 'none' })}.${header({ iat: Math.floor(Date.now() / 1000), payload_hash: sha256Hex(raw) })}.`,
      },
      'a garbage token': { token: 'not.a.jwt' },
      'a stale token': { issuedAt: new Date(Date.now() - 10 * 60_000) },
    };

    for (const [name, options] of Object.entries(forgeries)) {
      const answer = await postWebhook(system.apiUrl, STATUS, raw, options);

      assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error, 'invalid_signature', name);
    }
    assert.equal(
      await system.db.knex('webhook_events').where({ provider_message_id: status.message_uuid }).first(),
      undefined,
    );
  });

  it('compares the payload hash with crypto.timingSafeEqual, in the source and when it runs', async () => {
    const source = readFileSync(path.resolve(__dirname, '../../src/vonage/webhook-signature.ts'), 'utf8');
    const rawBody = Buffer.from('{"text":"STOP"}');
    const realHash = sha256Hex(rawBody.toString());
    // Same length and shape, differing only in the last digit: the case a short-circuiting compare leaks.
    const nearMiss = `${realHash.slice(0, -1)}${realHash.endsWith('0') ? '1' : '0'}`;
    const token = (hash: string) =>
      new SignJWT({ payload_hash: hash })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .sign(new TextEncoder().encode(SIGNATURE_SECRET));
    const spy = mock.method(crypto, 'timingSafeEqual');

    let results;
    try {
      results = [
        await verifyWebhookSignature({
          authorization: `Bearer ${await token(realHash)}`,
          rawBody,
          secrets: singleAccountSecrets(SIGNATURE_SECRET),
          maxAgeSeconds: 300,
        }),
        await verifyWebhookSignature({
          authorization: `Bearer ${await token(nearMiss)}`,
          rawBody,
          secrets: singleAccountSecrets(SIGNATURE_SECRET),
          maxAgeSeconds: 300,
        }),
      ];
    } finally {
      spy.mock.restore();
    }

    assert.match(source, /import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
    assert.match(source, /timingSafeEqual\(Buffer\.from\(claimedHash, 'hex'\), sha256\(options\.rawBody\)\)/);
    // Only typeof and empty-string checks may compare the claim with ===; never the digest itself.
    assert.doesNotMatch(source, /claimedHash\s*[!=]==?\s*[^'\s=]|[^'\s=!]\s*[!=]==?\s*claimedHash|\.equals\(/);
    assert.deepEqual(
      results.map((result) => (result.ok ? 'ok' : result.reason)),
      ['ok', 'payload_hash_mismatch'],
    );
    assert.equal(spy.mock.callCount(), 2, 'both the match and the near miss went through timingSafeEqual');
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments as [Buffer, Buffer];
      assert.deepEqual([a.length, b.length], [32, 32], 'equal-length digests, so no early length exit');
    }
  });

  it('leaves the token signature to WebCrypto HMAC verify (constant time), never a string compare', async () => {
    const rawBody = Buffer.from('{"text":"START"}');
    const forged = await signWebhook({ rawBody, secret: 'not-our-secret-0123456789abcdef' });
    const spy = mock.method(globalThis.crypto.subtle, 'verify');

    let result;
    try {
      result = await verifyWebhookSignature({
        authorization: `Bearer ${forged}`,
        rawBody,
        secrets: singleAccountSecrets(SIGNATURE_SECRET),
        maxAgeSeconds: 300,
      });
    } finally {
      spy.mock.restore();
    }

    assert.deepEqual(result, { ok: false, reason: 'bad_signature' });
    assert.equal(spy.mock.callCount(), 1);
    const algorithm = spy.mock.calls[0]!.arguments[0] as string | { name: string };
    assert.equal(typeof algorithm === 'string' ? algorithm : algorithm.name, 'HMAC');
  });

  describe('secrets per api_key', () => {
    const MAIN_KEY = 'mainkey1';
    const SUB_KEY = 'subkey22';
    const MAIN_SECRET = 'main-account-secret-0123456789';
    const SUB_OLD_SECRET = 'subaccount-old-secret-0123456789';
    const SUB_NEW_SECRET = 'subaccount-new-secret-0123456789';
    let api: ExtraApi;

    before(async () => {
      api = await listenApp(
        system,
        { apiPerMinute: 1_000_000, sendsPerMinute: 1_000_000 },
        {
          vonageSignatureSecrets: {
            defaultSecrets: [MAIN_SECRET],
            defaultApiKey: MAIN_KEY,
            byApiKey: { [SUB_KEY]: [SUB_OLD_SECRET, SUB_NEW_SECRET] },
          },
        },
      );
    });
    after(async () => {
      await api?.close();
    });

    /** A delivery receipt for a message nobody sent: a signature that passes gets 200 and changes nothing. */
    async function postStatus(secret: string, apiKey?: string) {
      const raw = JSON.stringify({
        ...statusBody({ from: account.senderNumber, to: system.newLeadPhone(), status: 'delivered' }),
        channel: 'sms',
      });
      const token = await signWebhook({ rawBody: raw, secret, apiKey });
      return postWebhook(api.url, STATUS, raw, { token });
    }

    it('accepts a subaccount webhook when it is signed with that subaccount secret', async () => {
      const answer = await postStatus(SUB_NEW_SECRET, SUB_KEY);

      assert.equal(answer.status, 200);
    });

    it('accepts the main account webhook, with or without api_key, signed with the default secret', async () => {
      assert.equal((await postStatus(MAIN_SECRET, MAIN_KEY)).status, 200);
      assert.equal((await postStatus(MAIN_SECRET)).status, 200);
    });

    it('refuses with 401 a subaccount webhook signed with the main account secret', async () => {
      const answer = await postStatus(MAIN_SECRET, SUB_KEY);

      assert.equal(answer.status, 401);
      assert.match(JSON.stringify(answer.body), /bad_signature/);
    });

    it('accepts both the old and the new secret while the subaccount secret is rotated', async () => {
      assert.equal((await postStatus(SUB_OLD_SECRET, SUB_KEY)).status, 200);
      assert.equal((await postStatus(SUB_NEW_SECRET, SUB_KEY)).status, 200);
    });

    it('refuses with 401 unknown_api_key a webhook naming an api_key with no secret here', async () => {
      const answer = await postStatus(MAIN_SECRET, 'strangerkey');

      assert.equal(answer.status, 401);
      assert.match(JSON.stringify(answer.body), /unknown_api_key/);
    });

    it('still answers 503 to an unsigned webhook', async () => {
      const answer = await postWebhook(api.url, STATUS, { status: 'delivered' }, { unsigned: true });

      assert.equal(answer.status, 503);
    });
  });
});
