import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ServiceError, isGrpcServiceError } from '@temporalio/client';

/** An error whose status and message are safe to show the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 400 with every problem of a zod validation, each with its path. */
export function validationError(error: z.ZodError, where = 'body'): HttpError {
  return new HttpError(
    400,
    'invalid_request',
    `invalid ${where}`,
    error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message })),
  );
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** gRPC status codes of a Temporal call that a retry can fix: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED. */
// Numbers from gRPC's status code table (grpc/grpc doc/statuscodes.md): 4, 8 and 14.
const TRANSIENT_GRPC_STATUSES: ReadonlySet<number> = new Set([4, 8, 14]);

/**
 * Postgres SQLSTATEs a retry can fix: class 08 (connection exception), 53 (insufficient resources), 57P01-57P03
 * (admin shutdown, crash shutdown, cannot connect now), 40001 (serialization failure) and 40P01 (deadlock).
 */
function isTransientSqlState(code: string): boolean {
  return /^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === '40001' || code === '40P01';
}

/** A SQLSTATE is five characters of digits and capitals; Node's own error codes (ECONNRESET) are not. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * True for failures a retry can fix: Postgres unreachable or restarting, Temporal unavailable. Webhooks answer
 * these with 503 so Vonage retries; the API does the same so clients retry. Each is recognised by its cause's own
 * code: the gRPC status of a Temporal ServiceError, the SQLSTATE of a Postgres error, the errno of a socket.
 */
export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const grpcStatus = grpcStatusOf(error);
  if (grpcStatus !== undefined) return TRANSIENT_GRPC_STATUSES.has(grpcStatus);
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (TRANSIENT_NETWORK_CODES.has(e.code)) return true;
    if (SQLSTATE.test(e.code)) return isTransientSqlState(e.code);
  }
  if (e.name === 'KnexTimeoutError') return true;
  // node-postgres and its pool raise these without any code (they are the driver's, not the server's): a pooled
  // client whose connection was cut ("not queryable", "Connection terminated"), or no connection within the pool's
  // timeout. Their words are the only signal the driver gives.
  if (
    typeof e.message === 'string' &&
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)/.test(
      e.message,
    )
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== error ? isTransient(e.cause) : false;
}

/** The gRPC status of a Temporal client error (its own, or its cause's), when it is one. */
function grpcStatusOf(error: object): number | undefined {
  if (isGrpcServiceError(error)) return error.code;
  if (error instanceof ServiceError && error.cause && isGrpcServiceError(error.cause)) return error.cause.code;
  return undefined;
}

/** The single error middleware: known errors as their status, transient ones as 503, the rest a generic 500. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    void _next;
    const requestId = String(req.id ?? '');
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.code, message: error.message, details: error.details, requestId });
      return;
    }
    if (error instanceof z.ZodError) {
      const http = validationError(error);
      res.status(400).json({ error: http.code, message: http.message, details: http.details, requestId });
      return;
    }
    const temporal = temporalOutcome(error);
    if (temporal) {
      res.status(temporal.status).json({ error: temporal.code, message: temporal.message, requestId });
      return;
    }
    const status = (error as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser errors: malformed JSON (400), too large (413), wrong charset (415).
      const type = (error as { type?: string }).type ?? 'bad_request';
      res.status(status).json({ error: type.replace(/\./g, '_'), message: messageForParserError(status), requestId });
      return;
    }
    if (isDataException(error)) {
      logger.warn({ err: error, requestId }, 'a request value was refused by Postgres');
      res.status(400).json({
        error: 'invalid_request',
        message:
          'a value in the request cannot be stored or compared (for example a NUL character or an impossible date)',
        requestId,
      });
      return;
    }
    if (isTransient(error)) {
      logger.warn({ err: error, requestId }, 'transient dependency failure');
      res.status(503).json({ error: 'unavailable', message: 'a dependency is unavailable; retry later', requestId });
      return;
    }
    logger.error({ err: error, requestId }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'internal error', requestId });
  };
}

/**
 * Postgres data exceptions (SQLSTATE class 22: a NUL in text, an impossible date in a cursor) are raised by a value
 * from the request that validation let through; our own values are well-formed. Retrying cannot help, so the answer
 * is 400 (and Vonage does not redeliver such a webhook), and the transaction that hit it has rolled back.
 */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Known Temporal outcomes that are the caller's business: a missing workflow, a rejected update. */
function temporalOutcome(error: unknown): { status: number; code: string; message: string } | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'WorkflowNotFoundError') return { status: 404, code: 'not_found', message: 'no such workflow' };
  if (name === 'WorkflowUpdateFailedError') {
    return { status: 422, code: 'rejected', message: 'the consent workflow rejected the request' };
  }
  return undefined;
}

function messageForParserError(status: number): string {
  if (status === 413) return 'request body too large';
  if (status === 415) return 'unsupported content type or charset';
  return 'malformed request body';
}
