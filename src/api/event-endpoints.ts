import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { EventEndpointsRepository } from '../db/event-endpoints-repository';
import { endpointUrlProblem, type EndpointUrlPolicy } from '../events/endpoint-url';
import { dispatchBatches } from '../events/event-relay';
import { HttpError, validationError } from '../errors';
import { principalOf } from './auth';
import { NO_NUL, NO_NUL_MESSAGE } from './text-rules';

/** An account may register this many live endpoints; each event is delivered to every one. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 10;

/** Body of POST /v1/event-endpoints. */
export const createEventEndpointSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'url must be an absolute http or https URL' }).max(2000),
    description: z.string().max(200).regex(NO_NUL, NO_NUL_MESSAGE).optional(),
  })
  .strict();
/** Body of POST /v1/event-endpoints/:endpointId/replay. */
export const replayEventsSchema = z
  .object({
    webhookIds: z
      .array(z.string().regex(/^msg_[0-9a-f]{32}$/, 'a webhook-id as delivered: msg_ and 32 hex digits'))
      .min(1)
      .max(500)
      .optional(),
  })
  .strict();
/** Query of GET /v1/event-endpoints/:endpointId/deliveries. */
export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
});
/** The `:endpointId` path parameter. */
export const endpointIdSchema = z.uuid();

/** /v1/event-endpoints: where the account's events are pushed (docs/events.md). Admins only. */
export function eventEndpointsRouter(deps: {
  endpoints: EventEndpointsRepository;
  client: Client;
  urlPolicy: EndpointUrlPolicy;
}): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ endpoints: await deps.endpoints.list(principalOf(res).accountId) });
  });
  router.post('/', async (req, res) => {
    const parsed = createEventEndpointSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const problem = endpointUrlProblem(parsed.data.url, deps.urlPolicy);
    if (problem) {
      throw new HttpError(400, 'invalid_request', 'invalid body', [{ path: 'body.url', message: problem }]);
    }
    const accountId = principalOf(res).accountId;
    if ((await deps.endpoints.list(accountId)).length >= MAX_ENDPOINTS_PER_ACCOUNT) {
      throw new HttpError(409, 'conflict', `an account has at most ${MAX_ENDPOINTS_PER_ACCOUNT} event endpoints`);
    }
    res.status(201).json(await deps.endpoints.create(accountId, parsed.data));
  });
  router.get('/:endpointId', async (req, res) => {
    const endpoint = await deps.endpoints.find(principalOf(res).accountId, parseId(req.params.endpointId));
    if (!endpoint) throw notFound();
    res.json(endpoint);
  });
  router.delete('/:endpointId', async (req, res) => {
    if (!(await deps.endpoints.remove(principalOf(res).accountId, parseId(req.params.endpointId)))) throw notFound();
    res.status(204).end();
  });
  router.post('/:endpointId/rotate-secret', async (req, res) => {
    const rotated = await deps.endpoints.rotateSecret(principalOf(res).accountId, parseId(req.params.endpointId));
    if (!rotated) throw notFound();
    res.json(rotated);
  });
  router.get('/:endpointId/deliveries', async (req, res) => {
    const query = deliveriesQuerySchema.safeParse(req.query);
    if (!query.success) throw validationError(query.error, 'query');
    const accountId = principalOf(res).accountId;
    const endpointId = parseId(req.params.endpointId);
    if (!(await deps.endpoints.find(accountId, endpointId))) throw notFound();
    res.json({ deliveries: await deps.endpoints.deliveries(accountId, endpointId, query.data) });
  });
  router.post('/:endpointId/replay', async (req, res) => {
    const parsed = replayEventsSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const accountId = principalOf(res).accountId;
    const endpointId = parseId(req.params.endpointId);
    if (!(await deps.endpoints.find(accountId, endpointId))) throw notFound();
    const result = await deps.endpoints.replay(accountId, endpointId, parsed.data.webhookIds, (batches) =>
      dispatchBatches(deps.client, batches),
    );
    res.status(202).json(result);
  });
  return router;
}

const notFound = () => new HttpError(404, 'not_found', 'no such event endpoint');

function parseId(raw: unknown): string {
  const parsed = endpointIdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'endpointId must be a UUID');
  return parsed.data;
}
