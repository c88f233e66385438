import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT, base64url, generateKeyPair } from 'jose';
import { signWebhook, verifyWebhookSignature, type WebhookSignatureResult } from '../../src/vonage/webhook-signature';

const SECRET = 'test-signature-secret-0123456789';
const MAX_AGE_SECONDS = 300;
const body = Buffer.from(JSON.stringify({ message_uuid: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab', text: 'STOP' }));
const bodyHash = createHash('sha256').update(body).digest('hex');

function verify(authorization: string | undefined, rawBody: Buffer = body): Promise<WebhookSignatureResult> {
  return verifyWebhookSignature({ authorization, rawBody, secret: SECRET, maxAgeSeconds: MAX_AGE_SECONDS });
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
      secret: SECRET,
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
