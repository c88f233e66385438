import { Router } from 'express';
import { z } from 'zod';
import type { MessagesRepository, RecentMessageView } from '../db/messages-repository';
import { validationError } from '../errors';
import { messageViewSchema } from '../openapi/response-schemas';
import { principalOf } from './auth';

const MESSAGE_STATUSES = [
  'queued',
  'held',
  'sending',
  'sent',
  'delivered',
  'failed',
  'blocked',
  'cancelled',
  'expired',
  'received',
] as const;
const OPT_IN_STATUSES = ['not_sent', 'sent', 'accepted', 'rejected'] as const;

/** Query of GET /v1/messages. */
export const recentMessagesQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    status: z.enum(MESSAGE_STATUSES).optional(),
    optIn: z.enum(OPT_IN_STATUSES).optional(),
  })
  .refine((value) => value.status === undefined || value.optIn === undefined, {
    message: 'give status or optIn, not both',
  })
  // The refinement above, as JSON Schema for the OpenAPI document.
  .meta({ not: { required: ['status', 'optIn'] } });

/** 200 of GET /v1/messages. */
export const recentMessagesResultSchema = z.object({
  messages: z
    .array(
      messageViewSchema.extend({
        phone: z.string().describe("E.164: the lead's number, or the number a reply came from"),
        optIn: z
          .enum(OPT_IN_STATUSES)
          .nullable()
          .describe('for an opt-in text, how its lead stands on it; null for other texts'),
      }) satisfies z.ZodType<RecentMessageView>,
    )
    .describe('newest first'),
});

/**
 * GET /v1/messages: the account's latest texts in both directions, newest first, for the console's Messaging
 * Center, which polls it. Filtered by text status, or to the opt-ins whose lead stands at `optIn`.
 */
export function recentMessagesRouter(deps: { messages: MessagesRepository }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const parsed = recentMessagesQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const messages = await deps.messages.recentMessages(principalOf(res).accountId, parsed.data);
    res.json({ messages });
  });
  return router;
}
