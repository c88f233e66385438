import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

/**
 * Vonage Messages API signed webhooks (https://developer.vonage.com/en/messages/concepts/signed-webhooks): every
 * inbound and status callback carries `Authorization: Bearer <JWT>`, signed HS256 with the signature secret of the
 * account named by its `api_key` claim (a main account and each subaccount have their own), whose `payload_hash`
 * claim is the hex SHA-256 of the raw request body.
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
  | 'payload_hash_mismatch'
  | 'unknown_api_key';

/**
 * Which secrets may have signed a token, by the token's `api_key` claim. Rotating an account's secret means a
 * while with two valid secrets (Vonage signs with the new one as soon as it is saved, callbacks already queued
 * were signed with the old one), so every account has a list.
 */
export interface SignatureSecrets {
  /** For a token without an `api_key` claim, and for the main account's key. */
  defaultSecrets: readonly string[];
  /** The main account's API key; undefined when only an application is configured. */
  defaultApiKey?: string;
  /** Secrets of other accounts (subaccounts), by API key. */
  byApiKey: Readonly<Record<string, readonly string[]>>;
}

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
  secrets: SignatureSecrets;
  maxAgeSeconds: number;
  now?: Date;
}

/** Senders' clocks drift; a token up to this far ahead of ours is still accepted. */
const ALLOWED_CLOCK_SKEW_SECONDS = 60;
const ACCEPTED_ALGORITHM = 'HS256';
const BEARER_PATTERN = /^Bearer +([^\s]+)$/i;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/i;

/**
 * One account's secrets, accepted whatever `api_key` a token names: the set-up with no API key and no subaccounts
 * (an application-only configuration, and the tests), where there is nothing to tell accounts apart by.
 */
export function singleAccountSecrets(...secrets: string[]): SignatureSecrets {
  return { defaultSecrets: secrets, byApiKey: {} };
}

/**
 * The secrets a token naming `apiKey` may be signed with; undefined when that key belongs to no account we know.
 * Without any known key (see `singleAccountSecrets`) every token is checked against the default secrets.
 */
export function secretsForApiKey(secrets: SignatureSecrets, apiKey: string | undefined): readonly string[] | undefined {
  if (apiKey === undefined || apiKey === secrets.defaultApiKey) return secrets.defaultSecrets;
  if (Object.hasOwn(secrets.byApiKey, apiKey)) return secrets.byApiKey[apiKey];
  const knowsAnyKey = secrets.defaultApiKey !== undefined || Object.keys(secrets.byApiKey).length > 0;
  return knowsAnyKey ? undefined : secrets.defaultSecrets;
}

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

  // The claims are read before the signature is checked only to pick the secret, as Vonage's guide says to; nothing
  // else is trusted until a candidate secret verifies the token.
  let claimedApiKey: unknown;
  try {
    claimedApiKey = decodeJwt(token).api_key;
  } catch {
    return refuse('malformed_token');
  }
  if (claimedApiKey !== undefined && (typeof claimedApiKey !== 'string' || claimedApiKey === '')) {
    return refuse('malformed_token');
  }
  const candidates = secretsForApiKey(options.secrets, claimedApiKey);
  if (candidates === undefined || candidates.length === 0) return refuse('unknown_api_key');

  const verified = await verifyWithAny(token, candidates, options.now);
  if (!verified.ok) return verified;
  const payload = verified.payload;

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

/** Tries each candidate secret in turn; only a signature mismatch moves on to the next one. */
async function verifyWithAny(
  token: string,
  candidates: readonly string[],
  now: Date | undefined,
): Promise<{ ok: true; payload: JWTPayload } | { ok: false; reason: WebhookSignatureFailure }> {
  for (const secret of candidates) {
    try {
      // iat is checked by the caller rather than with jose's maxTokenAge so that stale and future tokens get
      // distinct reasons.
      const { payload } = await jwtVerify(token, secretKey(secret), {
        algorithms: [ACCEPTED_ALGORITHM],
        currentDate: now,
      });
      return { ok: true, payload };
    } catch (error) {
      const reason = classifyJoseError(error);
      if (reason !== 'bad_signature') return { ok: false, reason };
    }
  }
  return { ok: false, reason: 'bad_signature' };
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
