import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requireApiKey, requireRole } from './api/auth';
import { consentEventsRouter } from './api/consent-events';
import { recentMessagesRouter } from './api/recent-messages';
import { codecRouter } from './codec/codec-routes';
import { consoleRouter } from './console';
import { doNotContactRouter } from './api/do-not-contact';
import { settingsRouter } from './api/settings';
import { templatesRouter } from './api/templates';
import { DoNotContactRepository } from './db/do-not-contact-repository';
import { EventEndpointsRepository } from './db/event-endpoints-repository';
import { eventEndpointsRouter } from './api/event-endpoints';
import { PERMISSIVE_URL_POLICY, type EndpointUrlPolicy } from './events/endpoint-url';
import { LeadSearchRepository } from './db/lead-search-repository';
import { TemplatesRepository } from './db/templates-repository';
import { leadsRouter } from './api/leads';
import { messagesRouter } from './api/messages';
import { createRateLimiters, DEFAULT_RATE_LIMITS, type RateLimits } from './api/rate-limits';
import { AccountsRepository } from './db/accounts-repository';
import { MessagesRepository } from './db/messages-repository';
import { WebhookRepository } from './db/webhook-repository';
import { errorMiddleware, HttpError } from './errors';
import { createApiMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { renderDocsPage } from './openapi/docs-page';
import { rejectUndeclaredMethods } from './openapi/method-not-allowed';
import { inboundMessageRouter } from './webhooks/inbound-message';
import { messageStatusRouter } from './webhooks/message-status';
import { requireVonageSignature } from './webhooks/signature-check';
import { singleAccountSecrets, type SignatureSecrets } from './vonage/webhook-signature';

/** What createApp needs; built by src/server.ts (or a test) from Config. */
export interface AppDeps {
  knex: Knex;
  client: Client;
  logger: Logger;
  phoneHashKey: string;
  /** The one secret of a single-account set-up (tests); ignored when `vonageSignatureSecrets` is given. */
  vonageSignatureSecret: string;
  /** Webhook secrets by API key (main account, subaccounts, two during a rotation); see src/config.ts. */
  vonageSignatureSecrets?: SignatureSecrets;
  webhookMaxAgeSeconds: number;
  /** Per API key, per minute; DEFAULT_RATE_LIMITS unless given (tests set small numbers). */
  rateLimits?: RateLimits;
  /** The codec the client encrypts payloads with; /v1/codec decodes with it for admins (404 without one). */
  payloadCodec?: PayloadCodec;
  /** The Temporal Web UI's URL: its origin may call /v1/codec from the operator's browser (CORS). */
  temporalUiUrl?: string;
  /** Development only: /v1/codec/local decodes for a Web UI on this machine without a key (src/codec/codec-routes.ts). */
  isLocalUiCodecOpen?: boolean;
  /** Where CRM event endpoints may point (src/events/endpoint-url.ts); tests and development allow any. */
  eventEndpointUrlPolicy?: EndpointUrlPolicy;
  /** How long a STOP webhook waits for a text already at the provider before it answers 503 (default 5 s). */
  stopSettleTimeoutMs?: number;
}

/** Webhook bodies from Vonage are small; anything larger is refused before it is read (413). */
const WEBHOOK_BODY_LIMIT = '64kb';
const API_BODY_LIMIT = '256kb';
/** Well under Vonage's 15 s response timeout, so a STOP that must wait still gets its answer (200 or 503) back. */
const DEFAULT_STOP_SETTLE_TIMEOUT_MS = 5_000;

/**
 * The request's path as the client sent it, without the query string (it can carry a phone number). Express rewrites
 * req.url inside mounted routers, and the response is logged from there; originalUrl keeps the whole path.
 */
function pathOf(req: { url?: string; originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!;
}

/** Builds the Express app. It never listens and never reads the environment. */
export function createApp(deps: AppDeps): Express {
  const accounts = new AccountsRepository(deps.knex);
  const messages = new MessagesRepository(deps.knex);
  const webhooks = new WebhookRepository(deps.knex);
  const templates = new TemplatesRepository(deps.knex);
  const doNotContact = new DoNotContactRepository(deps.knex);
  const leadSearch = new LeadSearchRepository(deps.knex);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Paths only: query strings can carry phone numbers (GET /v1/do-not-contact?phone=).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // The message alone reads as a line at a terminal (src/logger.ts); the fields stay for JSON consumers.
      customSuccessMessage: (req, res, responseTime) =>
        `${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(responseTime)} ms`,
      customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
    }),
  );

  const metrics = createApiMetrics(() => messages.serviceFigures());
  app.use(metrics.httpMetrics);
  const openApiDocument = buildOpenApiDocument();
  // The codec's paths answer the Temporal Web UI's CORS preflight themselves (src/codec/codec-routes.ts).
  app.use(rejectUndeclaredMethods(openApiDocument.paths, ['/v1/codec/decode', '/v1/codec/encode']));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      messages.isReachable(),
      deps.client.workflowService.getSystemInfo({}).then(
        () => true,
        () => false,
      ),
    ]);
    const [postgres, temporal] = checks;
    res
      .status(postgres && temporal ? 200 : 503)
      .json({ status: postgres && temporal ? 'ready' : 'not_ready', postgres, temporal });
  });

  // Public, like /healthz: the document describes the interface, never an account's data.
  const docsPage = renderDocsPage(openApiDocument);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });

  const signature = requireVonageSignature({
    signatureSecrets: deps.vonageSignatureSecrets ?? singleAccountSecrets(deps.vonageSignatureSecret),
    maxAgeSeconds: deps.webhookMaxAgeSeconds,
    logger: deps.logger,
  });
  const rawBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const countOutcome =
    (webhook: 'inbound' | 'status'): express.RequestHandler =>
    (_req, res, next) => {
      res.once('finish', () => {
        const outcome = res.statusCode < 300 ? (res.locals.webhookOutcome ?? 'ok') : `http_${res.statusCode}`;
        metrics.webhookOutcome(webhook, String(outcome));
      });
      next();
    };
  // No rate limit on the webhooks: Vonage retries a 429, so it would only delay opt-outs (src/api/rate-limits.ts).
  app.use(
    '/webhooks/vonage/inbound',
    countOutcome('inbound'),
    rawBody,
    signature,
    inboundMessageRouter({
      client: deps.client,
      accounts,
      webhooks,
      phoneHashKey: deps.phoneHashKey,
      logger: deps.logger,
      stopSettleTimeoutMs: deps.stopSettleTimeoutMs ?? DEFAULT_STOP_SETTLE_TIMEOUT_MS,
    }),
  );
  app.use(
    '/webhooks/vonage/status',
    countOutcome('status'),
    rawBody,
    signature,
    messageStatusRouter({ client: deps.client, accounts, webhooks, logger: deps.logger }),
  );

  const rateLimits = createRateLimiters(deps.rateLimits ?? DEFAULT_RATE_LIMITS, deps.logger);
  // Before /v1's key check: the Web UI's CORS preflight carries no key, and history payloads exceed API bodies.
  app.use(
    '/v1/codec',
    codecRouter({
      codec: deps.payloadCodec,
      accounts,
      temporalUiUrl: deps.temporalUiUrl,
      isLocalUiCodecOpen: deps.isLocalUiCodecOpen,
      logger: deps.logger,
      rateLimit: rateLimits.api,
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: API_BODY_LIMIT }));
  api.use(requireApiKey(accounts));
  api.use(rateLimits.api);
  api.use(
    '/messages',
    requireRole('admin', 'agent'),
    rateLimits.sends,
    messagesRouter({ client: deps.client, accounts, messages, templates, phoneHashKey: deps.phoneHashKey }),
    recentMessagesRouter({ messages }),
  );
  api.use('/leads', requireRole('admin', 'agent'), leadsRouter({ messages, leadSearch }));
  api.use(
    '/do-not-contact',
    requireRole('admin', 'agent'),
    doNotContactRouter({ client: deps.client, doNotContact, leadSearch, phoneHashKey: deps.phoneHashKey }),
  );
  api.use('/settings', requireRole('admin', 'agent'), settingsRouter({ accounts, messages, client: deps.client }));
  api.use('/templates', requireRole('admin', 'agent'), templatesRouter({ templates }));
  api.use('/consent-events', requireRole('admin', 'agent'), consentEventsRouter({ messages }));
  api.use(
    '/event-endpoints',
    requireRole('admin'),
    eventEndpointsRouter({
      endpoints: new EventEndpointsRepository(deps.knex),
      client: deps.client,
      urlPolicy: deps.eventEndpointUrlPolicy ?? PERMISSIVE_URL_POLICY,
    }),
  );
  app.use('/v1', api);

  // The console: a static page that calls /v1 with the signed-in user's own admin or agent key (src/console.ts).
  app.use(consoleRouter({ temporalUiUrl: deps.temporalUiUrl, client: deps.client }));

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorMiddleware(deps.logger));
  return app;
}
