import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT, base64url, generateKeyPair } from 'jose';
import {
  secretsForApiKey,
  signWebhook,
  singleAccountSecrets,
  verifyWebhookSignature,
  type SignatureSecrets,
  type WebhookSignatureResult,
} from '../../src/vonage/webhook-signature';

const SECRET = 'test-signature-secret-0123456789';
const MAX_AGE_SECONDS = 300;
const body = Buffer.from(JSON.stringify({ message_uuid: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab', text: 'STOP' }));
const bodyHash = createHash('sha256').update(body).digest('hex');

function verify(authorization: string | undefined, rawBody: Buffer = body): Promise<WebhookSignatureResult> {
  return verifyWebhookSignature({
    authorization,
    rawBody,
    secrets: singleAccountSecrets(SECRET),
    maxAgeSeconds: MAX_AGE_SECONDS,
  });
}

function hs256(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

describe('verifyWebhookSignature', () => {
  it('accepts a token when it was signed over this body with our secret', async () => {
    const token = await signWebhook({ rawBody: body, secret: SECRET, apiKey: 'abc123', applicationId: 'app-1' });

    const result = await verify(`Bearer ${token}`);

    assert.equal(result.ok, true);
    assert.ok(result.ok);
    assert.equal(result.claims.payload_hash, bodyHash);
    assert.equal(result.claims.api_key, 'abc123');
    assert.equal(result.claims.application_id, 'app-1');
    assert.equal(result.claims.iss, 'Vonage');
    assert.equal(typeof result.claims.jti, 'string');
  });

  it('accepts a token when the body was signed as a string', async () => {
    const token = await signWebhook({ rawBody: body.toString('utf8'), secret: SECRET });

    const result = await verify(`Bearer ${token}`);

    assert.equal(result.ok, true);
  });

  it('refuses with bad_signature when the token was signed with another secret', async () => {
    const token = await signWebhook({ rawBody: body, secret: 'some-other-secret-0123456789' });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'bad_signature' });
  });

  it('refuses with wrong_algorithm when the token is unsigned (alg none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const claims = base64url.encode(JSON.stringify({ iat: nowSeconds(), payload_hash: bodyHash }));

    assert.deepEqual(await verify(`Bearer ${header}.${claims}.`), { ok: false, reason: 'wrong_algorithm' });
  });

  it('refuses with wrong_algorithm when the token is RS256', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ payload_hash: bodyHash })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .sign(privateKey);

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'wrong_algorithm' });
  });

  it('refuses with wrong_algorithm when the token is HS512 with our secret', async () => {
    const token = await new SignJWT({ payload_hash: bodyHash })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(SECRET));

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'wrong_algorithm' });
  });

  it('refuses with payload_hash_mismatch when the body was tampered with', async () => {
    const token = await signWebhook({ rawBody: body, secret: SECRET });
    const tampered = Buffer.from(body.toString('utf8').replace('STOP', 'START'));

    assert.deepEqual(await verify(`Bearer ${token}`, tampered), { ok: false, reason: 'payload_hash_mismatch' });
  });

  it('refuses with payload_hash_mismatch when the claim is not a SHA-256 hex digest', async () => {
    const token = await hs256({ iat: nowSeconds(), payload_hash: 'not-a-hash' });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'payload_hash_mismatch' });
  });

  it('refuses with payload_hash_missing when the token has no payload_hash claim', async () => {
    const token = await hs256({ iat: nowSeconds(), iss: 'Vonage' });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'payload_hash_missing' });
  });

  it('refuses with stale_token when iat is older than the maximum age', async () => {
    const issuedAt = new Date(Date.now() - (MAX_AGE_SECONDS + 5) * 1000);
    const token = await signWebhook({ rawBody: body, secret: SECRET, issuedAt });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'stale_token' });
  });

  it('refuses with token_from_future when iat is more than a minute ahead', async () => {
    const issuedAt = new Date(Date.now() + 120_000);
    const token = await signWebhook({ rawBody: body, secret: SECRET, issuedAt });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'token_from_future' });
  });

  it('accepts a token when iat is slightly ahead, within the clock skew', async () => {
    const issuedAt = new Date(Date.now() + 30_000);
    const token = await signWebhook({ rawBody: body, secret: SECRET, issuedAt });

    assert.equal((await verify(`Bearer ${token}`)).ok, true);
  });

  it('judges age against the given now', async () => {
    const issuedAt = new Date('2025-05-01T14:00:00Z');
    const token = await signWebhook({ rawBody: body, secret: SECRET, issuedAt });

    const result = await verifyWebhookSignature({
      authorization: `Bearer ${token}`,
      rawBody: body,
      secrets: singleAccountSecrets(SECRET),
      maxAgeSeconds: MAX_AGE_SECONDS,
      now: new Date('2025-05-01T14:01:00Z'),
    });

    assert.equal(result.ok, true);
  });

  it('refuses with malformed_token when iat is missing', async () => {
    const token = await hs256({ payload_hash: bodyHash });

    assert.deepEqual(await verify(`Bearer ${token}`), { ok: false, reason: 'malformed_token' });
  });

  it('refuses with malformed_token when the header is garbage', async () => {
    for (const authorization of [
      'garbage',
      'Bearer',
      'Bearer not.a.jwt',
      'Basic dXNlcjpwYXNz',
      'Bearer a.b',
      'Bearer ...',
    ]) {
      assert.deepEqual(await verify(authorization), { ok: false, reason: 'malformed_token' }, authorization);
    }
  });

  it('refuses with missing_token when there is no header', async () => {
    assert.deepEqual(await verify(undefined), { ok: false, reason: 'missing_token' });
    assert.deepEqual(await verify(''), { ok: false, reason: 'missing_token' });
  });
});

describe('verifyWebhookSignature with secrets per api_key', () => {
  const MAIN_KEY = 'mainkey1';
  const SUB_KEY = 'subkey22';
  const MAIN_SECRET = 'main-account-secret-0123456789';
  const SUB_SECRET = 'subaccount-secret-0123456789';
  const SUB_OLD_SECRET = 'subaccount-old-secret-0123456789';
  const secrets: SignatureSecrets = {
    defaultSecrets: [MAIN_SECRET],
    defaultApiKey: MAIN_KEY,
    byApiKey: { [SUB_KEY]: [SUB_SECRET, SUB_OLD_SECRET] },
  };

  async function verifySigned(secret: string, apiKey?: string): Promise<WebhookSignatureResult> {
    const token = await signWebhook({ rawBody: body, secret, apiKey });
    return verifyWebhookSignature({
      authorization: `Bearer ${token}`,
      rawBody: body,
      secrets,
      maxAgeSeconds: MAX_AGE_SECONDS,
    });
  }

  it('accepts a subaccount token when it is signed with the subaccount secret', async () => {
    const result = await verifySigned(SUB_SECRET, SUB_KEY);

    assert.ok(result.ok);
    assert.equal(result.claims.api_key, SUB_KEY);
  });

  it('accepts both the old and the new secret when a key lists two (rotation)', async () => {
    assert.equal((await verifySigned(SUB_OLD_SECRET, SUB_KEY)).ok, true);
    assert.equal((await verifySigned(SUB_SECRET, SUB_KEY)).ok, true);
  });

  it('refuses with bad_signature when a subaccount token is signed with the main account secret', async () => {
    assert.deepEqual(await verifySigned(MAIN_SECRET, SUB_KEY), { ok: false, reason: 'bad_signature' });
  });

  it('refuses with bad_signature when a main account token is signed with a subaccount secret', async () => {
    assert.deepEqual(await verifySigned(SUB_SECRET, MAIN_KEY), { ok: false, reason: 'bad_signature' });
  });

  it('accepts a token when it has no api_key and is signed with the default secret', async () => {
    assert.equal((await verifySigned(MAIN_SECRET)).ok, true);
    assert.deepEqual(await verifySigned(SUB_SECRET), { ok: false, reason: 'bad_signature' });
  });

  it('refuses with unknown_api_key when the api_key belongs to no configured account', async () => {
    assert.deepEqual(await verifySigned(MAIN_SECRET, 'strangerkey'), { ok: false, reason: 'unknown_api_key' });
  });

  it('refuses with malformed_token when the api_key claim is not a non-empty string', async () => {
    for (const apiKey of [42, '', ['subkey22']]) {
      const token = await hs256({ iat: nowSeconds(), payload_hash: bodyHash, api_key: apiKey }, SUB_SECRET);

      const result = await verifyWebhookSignature({
        authorization: `Bearer ${token}`,
        rawBody: body,
        secrets,
        maxAgeSeconds: MAX_AGE_SECONDS,
      });

      assert.deepEqual(result, { ok: false, reason: 'malformed_token' }, JSON.stringify(apiKey));
    }
  });

  it('still names a stale token stale when it is checked against the second candidate secret', async () => {
    const issuedAt = new Date(Date.now() - (MAX_AGE_SECONDS + 5) * 1000);
    const token = await signWebhook({ rawBody: body, secret: SUB_OLD_SECRET, apiKey: SUB_KEY, issuedAt });

    const result = await verifyWebhookSignature({
      authorization: `Bearer ${token}`,
      rawBody: body,
      secrets,
      maxAgeSeconds: MAX_AGE_SECONDS,
    });

    assert.deepEqual(result, { ok: false, reason: 'stale_token' });
  });
});

describe('secretsForApiKey', () => {
  it('gives the default secrets to any api_key when no account key is known', () => {
    const single = singleAccountSecrets('only-secret-0123456789');

    assert.deepEqual(secretsForApiKey(single, 'anykey'), ['only-secret-0123456789']);
    assert.deepEqual(secretsForApiKey(single, undefined), ['only-secret-0123456789']);
  });

  it('gives nothing for an unlisted api_key once a main account key is known', () => {
    const secrets: SignatureSecrets = { defaultSecrets: ['a-secret-0123456789'], defaultApiKey: 'main', byApiKey: {} };

    assert.equal(secretsForApiKey(secrets, 'other'), undefined);
    assert.equal(secretsForApiKey(secrets, 'constructor'), undefined);
    assert.deepEqual(secretsForApiKey(secrets, 'main'), ['a-secret-0123456789']);
  });
});
