import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils';
import type { Logger } from 'pino';
import { z } from 'zod';
import { principalOf, requireApiKey, requireRole } from '../api/auth';
import type { AccountsRepository } from '../db/accounts-repository';
import { HttpError, validationError } from '../errors';
import { PayloadCodecError } from './encryption-codec';

// Proto3 JSON bytes: standard or URL-safe base64, exactly as the decoder behind JSONToPayload reads it: whole
// groups of four, then two or three more, after which an '=' ends the value. A lone sixth-bit character, or an '='
// where no group can end, is refused, so such a payload fails validation (with its path) rather than the decoder.
const protoBytes = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}(?:=[\s\S]*)?)?$/, 'must be base64');
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
  /**
   * Development only: also serve /local/decode and /local/encode for a Web UI on a loopback origin, without a key
   * (see localUiOnly). Never set in production, where decoding stays with operator keys.
   */
  isLocalUiCodecOpen?: boolean;
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
  const localUiOrigins = deps.isLocalUiCodecOpen ? loopbackOrigins(deps.temporalUiUrl) : new Set<string>();
  router.use(allowTemporalUi(deps.temporalUiUrl, localUiOrigins));
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
  // The form is a page for a browser, so whatever refuses the post before the key is checked (a body over 4 kB, a
  // charset the parser does not read, too many tries) answers the page again with the reason, as a 401 does.
  router.use('/session', ((error, req, res, next) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (req.method !== 'POST' || typeof status !== 'number' || status < 400 || status >= 500) {
      next(error);
      return;
    }
    res
      .status(status)
      .type('html')
      .send(sessionPage(sessionRefusal(status)));
  }) as ErrorRequestHandler);
  router.use(express.json({ limit: CODEC_BODY_LIMIT }));

  const handle =
    (direction: 'encode' | 'decode', via: 'operator' | 'local-ui'): RequestHandler =>
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
      const fields = { audit: `codec_${direction}`, namespace: req.get('x-namespace'), payloads: payloads.length };
      if (via === 'operator') {
        const principal = principalOf(res);
        deps.logger.info(
          { ...fields, accountId: principal.accountId, keyId: principal.keyId },
          `payloads ${direction}d through the codec endpoint`,
        );
      } else {
        // Every page of the local Web UI decodes; at info level that would bury the development terminal.
        deps.logger.debug({ ...fields, via }, `payloads ${direction}d for the local Web UI`);
      }
      res.json({ payloads: result.map((payload) => payloadToJSON(payload)) });
    };
  if (deps.isLocalUiCodecOpen) {
    const localOnly = localUiOnly(localUiOrigins);
    router.post('/local/encode', localOnly, handle('encode', 'local-ui'));
    router.post('/local/decode', localOnly, handle('decode', 'local-ui'));
  }
  router.use(keyFromCookie, requireApiKey(deps.accounts), requireRole('operator'), deps.rateLimit);
  router.post('/encode', handle('encode', 'operator'));
  router.post('/decode', handle('decode', 'operator'));
  return router;
}

const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The origins of the Web UI in TEMPORAL_UI_URL under each loopback name, when it is on this machine: the dev server
 * prints its UI as http://localhost:8233 while TEMPORAL_UI_URL says 127.0.0.1, and both are the same UI. None otherwise.
 */
function loopbackOrigins(temporalUiUrl: string | undefined): ReadonlySet<string> {
  const ui = temporalUiUrl ? new URL(temporalUiUrl) : undefined;
  if (!ui || !LOOPBACK_HOSTNAMES.includes(ui.hostname)) return new Set();
  return new Set(LOOPBACK_HOSTNAMES.map((hostname) => `${ui.protocol}//${hostname}${ui.port ? `:${ui.port}` : ''}`));
}

/**
 * The development codec (`make start` points the dev server's --ui-codec-endpoint here) answers only the Web UI
 * configured in TEMPORAL_UI_URL, and only when that UI is on this machine: the browser's Origin must be that UI's, and
 * the connection must come from loopback. A web page on any other origin cannot send that Origin header, so it cannot
 * read decoded payloads through the operator's browser; a process on this machine could, but it can also read the
 * development keys. Everything else gets 403.
 */
function localUiOnly(localUiOrigins: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    const isLoopback = LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '');
    if (!localUiOrigins.has(req.get('origin') ?? '') || !isLoopback) {
      throw new HttpError(403, 'forbidden', 'this codec endpoint answers only the local Temporal Web UI');
    }
    next();
  };
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

/** The reason the session page shows for a post refused before its key was read. */
function sessionRefusal(status: number): string {
  if (status === 413) return 'That form post is larger than 4 kB; an API key is far shorter.';
  if (status === 429) return 'Too many tries from this address; wait a minute and try again.';
  if (status === 415) return 'That form post is not in a character set the page reads (use UTF-8).';
  return 'That form post could not be read.';
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
function allowTemporalUi(temporalUiUrl: string | undefined, localUiOrigins: ReadonlySet<string>): RequestHandler {
  const configuredOrigin = temporalUiUrl ? new URL(temporalUiUrl).origin : undefined;
  return (req, res, next) => {
    const requestOrigin = req.get('origin') ?? '';
    const isLocalUi = req.path.startsWith('/local/') && localUiOrigins.has(requestOrigin);
    const origin = isLocalUi ? requestOrigin : configuredOrigin;
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (localUiOrigins.size > 0) res.setHeader('Vary', 'Origin');
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
