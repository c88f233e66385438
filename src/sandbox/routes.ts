import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { maskPhone } from '../phone';
import { describeIssues, errorMessage, MAX_TEXT_LENGTH, pause, replySchema, type Callbacks } from './callbacks';
import type { Outbox, SandboxFault, SendRequest } from './outbox';

const DEFAULT_TIMEOUT_FAULT_MS = 30_000;
const DEFAULT_SLOW_FAULT_MS = 2_000;
const MAX_CLIENT_REF_LENGTH = 100;
/** Sends to +1 305 555-9xxx are refused as invalid numbers (422), though libphonenumber accepts them. */
const INVALID_NUMBER_PREFIX = '13055559';
/** Vonage takes E.164 digits without '+'; a '+' is refused, as the real API does. */
const VONAGE_NUMBER = /^[0-9]{7,15}$/;

interface Problem {
  type: string;
  title: string;
  detail: string;
  instance: string;
  invalid_parameters?: InvalidParameter[];
}

interface InvalidParameter {
  name: string;
  reason: string;
}

const faultSchema = z.union([
  z.object({ mode: z.null() }),
  z.object({
    mode: z.enum(['http429', 'http500', 'timeout', 'slow']),
    remaining: z.number().int().positive().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  }),
]);

/** What the routes need: the credentials the SDK must present, the state they change, the callbacks they start. */
export interface RouteOptions {
  apiKey: string;
  apiSecret: string;
  outbox: Outbox;
  callbacks: Callbacks;
  logger: Logger;
}

/** The sandbox's HTTP API: Vonage's `POST /v1/messages`, and the `/_sandbox/` controls for tests and operators. */
export function createRoutes(options: RouteOptions): express.Express {
  const { outbox, callbacks, logger } = options;
  const expectedBasicCredentials = `${options.apiKey}:${options.apiSecret}`;

  function isAuthorized(header: string | undefined): boolean {
    const [scheme, credentials, ...extra] = (header ?? '').trim().split(/\s+/);
    if (scheme === undefined || credentials === undefined || extra.length > 0) return false;
    switch (scheme.toLowerCase()) {
      case 'basic':
        return constantTimeEquals(Buffer.from(credentials, 'base64').toString('utf8'), expectedBasicCredentials);
      case 'bearer':
        // Application JWTs are signed with the application's private key, which the sandbox never has.
        return isWellFormedJwt(credentials);
      default:
        return false;
    }
  }

  function acceptMessage(request: SendRequest, res: Response): void {
    // Recorded before answering so a caller that just got its 202 already finds the message in sent().
    const message = outbox.record(request);
    logger.info({ messageUuid: message.messageUuid, toMasked: maskPhone(message.to) }, 'sandbox accepted message');
    res.status(202).json({ message_uuid: message.messageUuid });
    callbacks.deliverStatuses(message, outbox.signal);
  }

  /** The `timeout` fault: never answer, then drop the connection, as a hung provider would. */
  function holdThenDrop(req: Request, res: Response, delayMs: number): void {
    const signal = outbox.signal;
    const drop = () => req.socket.destroy();
    const timer = setTimeout(drop, delayMs);
    signal.addEventListener('abort', drop, { once: true });
    res.once('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', drop);
    });
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  app.post('/v1/messages', async (req, res) => {
    if (!isAuthorized(req.headers.authorization)) {
      sendProblem(res, 401, {
        type: 'https://developer.vonage.com/api-errors#unauthorized',
        title: 'You did not provide correct credentials.',
        detail: "Check that you're using the correct credentials, and that your account has this feature enabled",
      });
      return;
    }

    const activeFault = outbox.takeFault();
    if (activeFault !== null) logger.info({ mode: activeFault.mode }, 'sandbox applying fault');
    switch (activeFault?.mode) {
      case 'http429':
        sendProblem(res, 429, {
          type: 'https://developer.vonage.com/api-errors#throttled',
          title: 'Rate Limit Hit',
          detail: 'Please wait, then retry your request',
        });
        return;
      case 'http500':
        sendProblem(res, 500, {
          type: 'https://developer.vonage.com/api-errors#internal-error',
          title: 'Internal Error',
          detail: 'There was an error processing your request in the Platform.',
        });
        return;
      case 'timeout':
        holdThenDrop(req, res, activeFault.delayMs ?? DEFAULT_TIMEOUT_FAULT_MS);
        return;
      case 'slow':
        // The message is still recorded after the pause, even if the caller gave up: the ambiguous-timeout case.
        if (!(await pause(activeFault.delayMs ?? DEFAULT_SLOW_FAULT_MS, outbox.signal))) {
          req.socket.destroy();
          return;
        }
        break;
      default:
        break;
    }

    const validated = validateSendRequest(req.body);
    if ('name' in validated) {
      logger.info({ parameter: validated.name }, 'sandbox refused message: invalid parameter');
      // An invalid `to` has its own code in Vonage's table (1430, "Invalid recipient"); other fields get 1150.
      const isRecipient = validated.name === 'to';
      sendProblem(res, 422, {
        type: `https://developer.vonage.com/api-errors/messages#${isRecipient ? 1430 : 1150}`,
        title: isRecipient ? 'Invalid recipient' : 'Invalid params',
        detail: `The value of the \`${validated.name}\` parameter is invalid: ${validated.reason}`,
        invalid_parameters: [validated],
      });
      return;
    }
    acceptMessage(validated, res);
  });

  app.get('/_sandbox/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/_sandbox/messages', (req, res) => {
    const to = typeof req.query.to === 'string' && req.query.to !== '' ? req.query.to : undefined;
    res.json(outbox.sent({ to }));
  });

  app.post('/_sandbox/reply', async (req, res) => {
    const parsed = replySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid ${describeIssues(parsed.error)}` });
      return;
    }
    if (!callbacks.hasWebhook) {
      res.status(409).json({ error: 'no webhook base URL is set' });
      return;
    }
    try {
      res.json(await callbacks.reply(parsed.data, outbox.signal));
    } catch (error) {
      res.status(502).json({ error: `could not reach the webhook: ${errorMessage(error)}` });
    }
  });

  app.post('/_sandbox/fault', (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid ${describeIssues(parsed.error)}` });
      return;
    }
    outbox.setFault(parsed.data.mode === null ? null : (parsed.data as SandboxFault));
    res.json({ fault: outbox.fault });
  });

  app.post('/_sandbox/reset', (_req, res) => {
    outbox.reset();
    res.status(204).end();
  });

  app.use((req, res) => {
    sendProblem(res, 404, {
      type: 'https://developer.vonage.com/api-errors#not-found',
      title: 'Not Found',
      detail: `The sandbox has no route ${req.method} ${req.path}`,
    });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParseError(error)) {
      sendProblem(res, 400, {
        type: 'https://developer.vonage.com/api-errors#bad-request',
        title: 'Bad Request',
        detail: 'The request body is not valid JSON',
      });
      return;
    }
    logger.error({ error: errorMessage(error) }, 'sandbox request failed');
    sendProblem(res, 500, {
      type: 'https://developer.vonage.com/api-errors#internal-error',
      title: 'Internal Error',
      detail: 'The sandbox failed to process the request',
    });
  });

  return app;
}

function validateSendRequest(body: unknown): SendRequest | InvalidParameter {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { name: 'body', reason: 'must be a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  if (fields.channel !== 'sms') return { name: 'channel', reason: "the sandbox supports only 'sms'" };
  if (fields.message_type !== 'text') return { name: 'message_type', reason: "must be 'text' for SMS" };
  for (const name of ['to', 'from'] as const) {
    const value = fields[name];
    if (typeof value !== 'string' || !VONAGE_NUMBER.test(value)) {
      return { name, reason: "must be an E.164 number of 7 to 15 digits without a leading '+'" };
    }
  }
  const to = fields.to as string;
  if (to.startsWith(INVALID_NUMBER_PREFIX)) return { name: 'to', reason: 'is not a valid mobile number' };
  const text = fields.text;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
    return { name: 'text', reason: `must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters` };
  }
  const clientRef = fields.client_ref;
  if (clientRef !== undefined && (typeof clientRef !== 'string' || clientRef.length > MAX_CLIENT_REF_LENGTH)) {
    return { name: 'client_ref', reason: `must be a string of at most ${MAX_CLIENT_REF_LENGTH} characters` };
  }
  return { to, from: fields.from as string, text, ...(clientRef === undefined ? {} : { clientRef }) };
}

function sendProblem(res: Response, status: number, problem: Omit<Problem, 'instance'>): void {
  res.status(status).json({ ...problem, instance: randomUUID() } satisfies Problem);
}

function isWellFormedJwt(token: string): boolean {
  try {
    decodeProtectedHeader(token);
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}

function constantTimeEquals(actual: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(actual), digest(expected));
}

function isBodyParseError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.parse.failed';
}
