import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils';
import type { Logger } from 'pino';
import { z } from 'zod';
import { principalOf, requireApiKey, requireRole } from '../api/auth';
import type { AccountsRepository } from '../db/accounts-repository';
import { HttpError, validationError } from '../errors';
import { PayloadCodecError } from './encryption-codec';

// Proto3 JSON bytes: standard or URL-safe base64.
const protoBytes = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadJson = z.looseObject({
  metadata: z.record(z.string(), protoBytes).nullish(),
  data: protoBytes.nullish(),
});

/** Body of POST /v1/codec/encode and /decode: Temporal's Payloads message as proto JSON. */
export const codecPayloadsSchema = z.object({ payloads: z.array(payloadJson).max(10_000) });
/** What both codec routes answer: the payloads, encoded or decoded, in the same order. */
export const codecPayloadsResultSchema = z.object({ payloads: z.array(payloadJson) });

/**
 * Temporal's blob size limit is 2 MB per payload, and the Web UI sends all payloads of one event field at once;
 * base64 and JSON add about a third.
 */
const CODEC_BODY_LIMIT = '4mb';
const ALLOWED_HEADERS = 'content-type, authorization, x-namespace';

/** What the codec routes need. */
export interface CodecRouterDeps {
  /** The codec the API's Temporal client uses; without one the routes answer 404. */
  codec?: PayloadCodec;
  accounts: AccountsRepository;
  /** The Temporal Web UI's URL; its origin may call these routes from the browser. */
  temporalUiUrl?: string;
  logger: Logger;
  /** The API's per-key limiter; a session form post, which has no key yet, is counted by client IP. */
  rateLimit: RequestHandler;
}

/**
 * The codec server of Temporal's remote-codec protocol: the Web UI and `temporal --codec-endpoint <api>/v1/codec`
 * POST `{payloads}` to `/encode` and `/decode`. Decoding reveals phone numbers and texts, so only an operator key opens
 * it; each call is logged with the key that made it. A payload that cannot be decoded answers 400, as the protocol
 * asks.
 */
export function codecRouter(deps: CodecRouterDeps): Router {
  const router = Router();
  router.use(allowTemporalUi(deps.temporalUiUrl));
  router.get('/session', (_req, res) => {
    res.type('html').send(sessionPage());
  });
  router.post('/session', deps.rateLimit, express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const apiKey = typeof req.body?.apiKey === 'string' ? req.body.apiKey.trim() : '';
    const principal = apiKey ? await deps.accounts.findPrincipal(apiKey) : undefined;
    if (!principal || principal.role !== 'operator') {
      res.status(401).type('html').send(sessionPage('That is not an active operator API key.'));
      return;
    }
    res.cookie(CODEC_COOKIE, apiKey, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/v1/codec',
      maxAge: CODEC_SESSION_MS,
    });
    deps.logger.info(
      { audit: 'codec_session', accountId: principal.accountId, keyId: principal.keyId },
      'codec session opened',
    );
    res.type('html').send(sessionPage(undefined, true));
  });
  router.use(express.json({ limit: CODEC_BODY_LIMIT }));
  router.use(keyFromCookie, requireApiKey(deps.accounts), requireRole('operator'), deps.rateLimit);

  const handle =
    (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      if (!deps.codec) throw new HttpError(404, 'not_found', 'no payload codec is configured');
      const parsed = codecPayloadsSchema.safeParse(req.body);
      if (!parsed.success) throw validationError(parsed.error);
      let payloads: Payload[];
      try {
        payloads = parsed.data.payloads.map((payload) => JSONToPayload(payload));
      } catch {
        throw new HttpError(400, 'invalid_request', 'a payload is not a Temporal Payload in proto JSON');
      }
      let result: Payload[];
      try {
        result = await deps.codec[direction](payloads);
      } catch (error) {
        if (error instanceof PayloadCodecError) throw new HttpError(400, 'codec_failed', error.message);
        throw error;
      }
      const principal = principalOf(res);
      deps.logger.info(
        {
          audit: `codec_${direction}`,
          accountId: principal.accountId,
          keyId: principal.keyId,
          namespace: req.get('x-namespace'),
          payloads: payloads.length,
        },
        `payloads ${direction}d through the codec endpoint`,
      );
      res.json({ payloads: result.map((payload) => payloadToJSON(payload)) });
    };
  router.post('/encode', handle('encode'));
  router.post('/decode', handle('decode'));
  return router;
}

/**
 * The Temporal Web UI cannot send our API key: it sends an Authorization header only with its own login token. So
 * an operator opens a codec session once (GET /v1/codec/session, paste an operator key) and turns on "Include
 * cross-origin credentials" in the UI's codec settings; the browser then sends this cookie with every decode.
 * HttpOnly (no script reads it), SameSite=Strict (sent only from the same site, which the UI on another port of the
 * same host is), scoped to /v1/codec, 8 hours. A revoked key stops working at once: the key is checked per call.
 */
const CODEC_COOKIE = 'sms_consent_codec';
const CODEC_SESSION_MS = 8 * 3600 * 1000;

/** Lets requireApiKey see the session cookie's key when no Authorization header was sent. */
const keyFromCookie: RequestHandler = (req, _res, next) => {
  if (!req.headers.authorization) {
    const key = cookieValue(req.headers.cookie, CODEC_COOKIE);
    if (key) req.headers.authorization = `Bearer ${key}`;
  }
  next();
};

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function sessionPage(error?: string, isOpen = false): string {
  const message = isOpen
    ? '<p role="status">Codec session open for 8 hours. In the Temporal Web UI, open the codec settings and turn on ' +
      '"Include cross-origin credentials"; payloads then show decrypted.</p>'
    : error
      ? `<p role="alert">${error}</p>`
      : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sms-consent codec session</title></head>
<body><main><h1>Decrypt payloads in the Temporal Web UI</h1>${message}
<form method="post" action="/v1/codec/session"><label for="apiKey">Operator API key</label>
<input id="apiKey" name="apiKey" type="password" autocomplete="off" required>
<button type="submit">Open codec session</button></form></main></body></html>`;
}

/**
 * CORS for the Temporal Web UI, which calls the codec from the operator's browser: a JSON POST with X-Namespace
 * (and Authorization when the operator presents a key) is preflighted, and the preflight carries no key, so it is
 * answered before the key check.
 */
function allowTemporalUi(temporalUiUrl: string | undefined): RequestHandler {
  const origin = temporalUiUrl ? new URL(temporalUiUrl).origin : undefined;
  return (req, res, next) => {
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    if (origin) {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
