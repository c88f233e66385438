import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

/**
 * Vonage Messages API signed webhooks (REFERENCE.md c.5): every inbound and status callback carries
 * `Authorization: Bearer <JWT>`, signed HS256 with the account signature secret, whose `payload_hash` claim is the
 * hex SHA-256 of the raw request body.
 */

/** Claims of a Vonage webhook token once its signature, age and payload hash have been checked. */
export interface WebhookClaims extends JWTPayload {
  iat: number;
  payload_hash: string;
  api_key?: string;
  application_id?: string;
}

/** Why a webhook's signature was refused; every reason maps to 401 at the webhook. */
export type WebhookSignatureFailure =
  | 'missing_token'
  | 'malformed_token'
  | 'bad_signature'
  | 'wrong_algorithm'
  | 'stale_token'
  | 'token_from_future'
  | 'payload_hash_missing'
  | 'payload_hash_mismatch';

/** Outcome of `verifyWebhookSignature`; bad input is a value, never an exception. */
export type WebhookSignatureResult =
  { ok: true; claims: WebhookClaims } | { ok: false; reason: WebhookSignatureFailure };

/** Options of `signWebhook`. */
export interface SignWebhookOptions {
  rawBody: string | Buffer;
  secret: string;
  apiKey?: string;
  applicationId?: string;
  issuedAt?: Date;
}

/** Options of `verifyWebhookSignature`. */
export interface VerifyWebhookSignatureOptions {
  authorization: string | undefined;
  rawBody: Buffer;
  secret: string;
  maxAgeSeconds: number;
  now?: Date;
}

/** Senders' clocks drift; a token up to this far ahead of ours is still accepted. */
const ALLOWED_CLOCK_SKEW_SECONDS = 60;
const ACCEPTED_ALGORITHM = 'HS256';
const BEARER_PATTERN = /^Bearer +([^\s]+)$/i;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/i;

/** Builds the token Vonage would send for this body; used by the sandbox and by tests. */
export async function signWebhook(options: SignWebhookOptions): Promise<string> {
  const claims: JWTPayload = { payload_hash: sha256(options.rawBody).toString('hex') };
  if (options.apiKey !== undefined) claims.api_key = options.apiKey;
  if (options.applicationId !== undefined) claims.application_id = options.applicationId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ACCEPTED_ALGORITHM, typ: 'JWT' })
    .setIssuedAt(options.issuedAt ?? new Date())
    .setJti(randomUUID())
    .setIssuer('Vonage')
    .sign(secretKey(options.secret));
}

/** Checks a webhook's `Authorization` header against the raw body it came with. */
export async function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): Promise<WebhookSignatureResult> {
  const header = options.authorization?.trim();
  if (header === undefined || header === '') return refuse('missing_token');
  const token = BEARER_PATTERN.exec(header)?.[1];
  if (token === undefined || token.split('.').length !== 3) return refuse('malformed_token');

  // Checked before verifying so that `alg: none` or an RS256 token is named for what it is, not a bad signature.
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    return refuse('malformed_token');
  }
  if (algorithm !== ACCEPTED_ALGORITHM) return refuse('wrong_algorithm');

  let payload: JWTPayload;
  try {
    // iat is checked below rather than with jose's maxTokenAge so that stale and future tokens get distinct reasons.
    ({ payload } = await jwtVerify(token, secretKey(options.secret), {
      algorithms: [ACCEPTED_ALGORITHM],
      currentDate: options.now,
    }));
  } catch (error) {
    return refuse(classifyJoseError(error));
  }

  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) return refuse('malformed_token');
  if (payload.iat > nowSeconds + ALLOWED_CLOCK_SKEW_SECONDS) return refuse('token_from_future');
  if (nowSeconds - payload.iat > options.maxAgeSeconds) return refuse('stale_token');

  const claimedHash = payload.payload_hash;
  if (typeof claimedHash !== 'string' || claimedHash === '') return refuse('payload_hash_missing');
  // A hash that is not 64 hex digits cannot match; checking the shape first keeps timingSafeEqual on equal lengths.
  if (!SHA256_HEX_PATTERN.test(claimedHash)) return refuse('payload_hash_mismatch');
  if (!timingSafeEqual(Buffer.from(claimedHash, 'hex'), sha256(options.rawBody))) {
    return refuse('payload_hash_mismatch');
  }

  return { ok: true, claims: { ...payload, iat: payload.iat, payload_hash: claimedHash } };
}

function classifyJoseError(error: unknown): WebhookSignatureFailure {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'wrong_algorithm';
  if (error instanceof errors.JWTExpired) return 'stale_token';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return 'token_from_future';
  // JWSInvalid, JWTInvalid, a failed nbf check, or anything unexpected: the token is not one we can trust.
  return 'malformed_token';
}

function refuse(reason: WebhookSignatureFailure): WebhookSignatureResult {
  return { ok: false, reason };
}

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function sha256(body: string | Buffer): Buffer {
  return createHash('sha256').update(body).digest();
}
