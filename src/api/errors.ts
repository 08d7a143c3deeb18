import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode } from '../core/errors.js';
import { describeValidationErrors } from './validation.js';

/** Fastify's own error codes, mapped onto ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'RID_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'RID_ERR_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'RID_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'RID_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'RID_ERR_VALIDATION',
  FST_ERR_CTP_INVALID_TYPE: 'RID_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'RID_ERR_RATE_LIMITED',
};

export function sendError(reply: FastifyReply, code: ErrorCode, message?: string, details?: unknown): FastifyReply {
  const body: Record<string, unknown> = { code, message: message ?? ERRORS[code].message };
  if (details !== undefined) body.details = details;
  return reply.status(ERRORS[code].status).type('application/json; charset=utf-8').send(body);
}

// Errors that mean "the database is away for a moment" (PostgreSQL restarting or unreachable,
// SQLite locked past its busy timeout): 503 with Retry-After, not a 500, so clients retry.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'SQLITE_BUSY']);

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|connection (is )?(closed|ended)|Client has encountered a connection error/i.test((error as Error)?.message ?? '');
}

/**
 * Every error leaves as `{code, message, details?}` with a 4xx a person can act on; anything
 * unexpected is logged with its cause and answered as a plain 500 that leaks nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return sendError(reply, error.code, error.message, error.details);
    if (error.validation) {
      const details = describeValidationErrors(error.validation as never, error.validationContext ?? 'body');
      const first = details[0];
      return sendError(reply, 'RID_ERR_VALIDATION', first ? `${first.field} ${first.message}.` : undefined, details);
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped === 'RID_ERR_RATE_LIMITED') return sendError(reply, mapped);
    if (mapped) return sendError(reply, mapped, mapped === 'RID_ERR_MALFORMED_JSON' ? `The request body is not valid JSON: ${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, 'empty body')}.` : undefined);
    if (error instanceof SyntaxError) return sendError(reply, 'RID_ERR_MALFORMED_JSON');
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Another client error from Fastify or a plugin (bad header, bad URL): keep its status, our shape.
      return reply.status(status).send({ code: status === 404 ? 'RID_ERR_NOT_FOUND' : 'RID_ERR_VALIDATION', message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 'RID_ERR_UNAVAILABLE', 'The database is not reachable right now. Retry in a few seconds.');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'RID_ERR_INTERNAL');
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 'RID_ERR_NOT_FOUND', `Nothing at ${request.method} ${request.url.split('?')[0]}.`));
}
