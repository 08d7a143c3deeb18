import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { sendError } from './errors.js';

/** Liveness, readiness and Prometheus metrics: unauthenticated, not rate limited, not in the OpenAPI doc. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  const hidden = { hide: true };
  app.get('/healthz', { schema: hidden, config: { rateLimit: false } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: hidden, config: { rateLimit: false } }, async (request, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.db.kysely);
      return { status: 'ready', database: ctx.db.dialect };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return sendError(reply, 'RID_ERR_UNAVAILABLE', 'The database is not reachable.');
    }
  });

  app.get('/metrics', { schema: hidden, config: { rateLimit: false } }, async (_request, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
