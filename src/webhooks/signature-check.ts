import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { verifyWebhookSignature, type SignatureSecrets } from '../vonage/webhook-signature';
import { HttpError } from '../errors';

/** Options of the signature check shared by both Vonage webhooks. */
export interface SignatureCheckOptions {
  /** Chosen by the token's `api_key` claim: the main account's and each subaccount's, two of one while rotating. */
  signatureSecrets: SignatureSecrets;
  maxAgeSeconds: number;
  logger: Logger;
}

/**
 * Verifies Vonage's signed-webhook JWT against the raw body (express.raw must run first).
 * No token at all → 503: Vonage may send an unsigned callback after an internal error, and a 5xx makes it retry
 * with a signed one. Any other failure → 401, which ends Vonage's retries for a request we will never accept.
 */
export function requireVonageSignature(options: SignatureCheckOptions): RequestHandler {
  return async (req, _res, next) => {
    const result = await verifyWebhookSignature({
      authorization: req.get('authorization'),
      rawBody: rawBodyOf(req),
      secrets: options.signatureSecrets,
      maxAgeSeconds: options.maxAgeSeconds,
    });
    if (!result.ok) {
      options.logger.warn({ reason: result.reason, path: req.path }, 'webhook signature refused');
      if (result.reason === 'missing_token') {
        throw new HttpError(503, 'unsigned_webhook', 'unsigned webhook refused; retry with a signed one');
      }
      throw new HttpError(401, 'invalid_signature', `webhook signature refused: ${result.reason}`);
    }
    next();
  };
}

/** The raw bytes express.raw left on the request (an empty buffer when there was no body). */
export function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Parses the raw body as JSON; a malformed body is the sender's error (400). */
export function parseJsonBody(req: Request): unknown {
  try {
    return JSON.parse(rawBodyOf(req).toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_body', 'body is not valid JSON');
  }
}
