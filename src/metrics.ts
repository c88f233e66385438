import type { RequestHandler } from 'express';
import type { ServiceFigures } from './db/messages-repository';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The API's Prometheus metrics. Counts that must agree across replicas and workers (texts by kind and status,
 * held texts, consent transitions) are read from Postgres at scrape time, cached briefly, so every replica reports
 * the same truth; per-process facts (HTTP latency, webhook outcomes) are counted in memory.
 */
export interface ApiMetrics {
  registry: Registry;
  httpMetrics: RequestHandler;
  webhookOutcome(webhook: 'inbound' | 'status', outcome: string): void;
}

/** How long a Postgres-derived figure is reused between scrapes. */
const DB_FIGURES_TTL_MS = 10_000;

/** Builds the registry and the middleware that times every request by route. */
export function createApiMetrics(readFigures: () => Promise<ServiceFigures>): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sms_consent_api_' });

  const httpDuration = new Histogram({
    name: 'sms_consent_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'sms_consent_webhooks_total',
    help: 'Vonage webhooks by webhook and outcome (accepted, duplicate, ignored, refused_401, unsigned_503, ...)',
    labelNames: ['webhook', 'outcome'] as const,
    registers: [registry],
  });

  const figures = cachedFigures(readFigures);
  new Gauge({
    name: 'sms_consent_texts',
    help: 'Texts in Postgres by direction, kind and status (the outbox and inbox)',
    labelNames: ['direction', 'kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await figures()).texts)
        this.set({ direction: row.direction, kind: row.kind, status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'sms_consent_held_texts',
    help: 'Texts held waiting for a START',
    registers: [registry],
    async collect() {
      this.set((await figures()).texts.filter((r) => r.status === 'held').reduce((sum, r) => sum + r.count, 0));
    },
  });
  new Gauge({
    name: 'sms_consent_consent_events',
    help: 'Consent ledger rows by event type (a monotonic count: the ledger is append-only)',
    labelNames: ['event_type'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await figures()).events) this.set({ event_type: row.event_type }, row.count);
    },
  });

  const httpMetrics: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.once('finish', () => {
      // The matched route pattern, never the raw path: lead ids and phone numbers stay out of label values.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
      end({ route, status: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };

  return {
    registry,
    httpMetrics,
    webhookOutcome: (webhook, outcome) => webhooks.inc({ webhook, outcome }),
  };
}

function cachedFigures(readFigures: () => Promise<ServiceFigures>): () => Promise<ServiceFigures> {
  let cached: { at: number; value: Promise<ServiceFigures> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > DB_FIGURES_TTL_MS) {
      const value = readFigures();
      value.catch(() => {
        cached = undefined;
      });
      cached = { at: Date.now(), value };
    }
    return cached.value;
  };
}
