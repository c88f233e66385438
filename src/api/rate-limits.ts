import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { Principal } from '../db/accounts-repository';
import { HttpError } from '../errors';

/** Requests a minute each API key may make: on all of /v1, and sends (POST /v1/messages) on top of that. */
export interface RateLimits {
  apiPerMinute: number;
  sendsPerMinute: number;
}

/** Generous for a CRM integration, tight enough that a runaway loop cannot run up the SMS bill. */
export const DEFAULT_RATE_LIMITS: RateLimits = { apiPerMinute: 600, sendsPerMinute: 120 };

const WINDOW_MS = 60_000;

/**
 * The /v1 rate limiters, counted per API key. Mount them after requireApiKey so the key is known; a request
 * without one (were a limiter ever mounted before auth) is counted by client IP instead of sharing one bucket.
 *
 * Counts live in this process's memory: with several API replicas a key may make up to replicas x the limit.
 * That is the point of a per-minute guard rail against runaway clients, not a billing quota.
 *
 * The Vonage webhooks are deliberately not limited. Vonage answers a 429 by retrying later, so a limit would only
 * delay what it must deliver anyway, and an opt-out (STOP) must be honoured at once. Forged or replayed webhooks
 * are refused by the signature check, which is cheap, before any work is done.
 */
export function createRateLimiters(limits: RateLimits, logger: Logger): { api: RequestHandler; sends: RequestHandler } {
  return {
    api: limiter({ name: 'api', limit: limits.apiPerMinute, what: 'requests', logger }),
    // Every route under /v1/messages is mounted behind this limiter; only POST sends a text, and sends cost money.
    sends: limiter({
      name: 'sends',
      limit: limits.sendsPerMinute,
      what: 'sends',
      logger,
      skip: (req) => req.method !== 'POST',
    }),
  };
}

function limiter(options: {
  name: string;
  limit: number;
  what: string;
  logger: Logger;
  skip?: (req: Request) => boolean;
}): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.limit,
    keyGenerator: callerKey,
    skip: options.skip ?? (() => false),
    // IETF draft 8: `RateLimit` and `RateLimit-Policy`, one named policy each, so a send shows both limits.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: options.name,
    // Through the error middleware, so a 429 has the same JSON shape and request ID as every other error.
    handler: (_req, _res, next) => {
      next(
        new HttpError(
          429,
          'rate_limited',
          `more than ${options.limit} ${options.what} a minute for this API key; retry after the Retry-After seconds`,
        ),
      );
    },
    logger: {
      warn: (error, message) => options.logger.warn({ err: error }, message ?? 'rate limiter warning'),
      error: (error, message) => options.logger.error({ err: error }, message ?? 'rate limiter error'),
    },
  });
}

function callerKey(req: Request, res: Response): string {
  const principal = res.locals.principal as Principal | undefined;
  if (principal) return `key:${principal.keyId}`;
  return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
}
