import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { hashApiKey } from '../core/api-keys.js';
import { authenticate } from './auth.js';
import { installErrorHandling, sendError } from './errors.js';
import { ErrorOut } from './schemas.js';
import { validatorCompiler } from './validation.js';
import * as apiKeys from './api-keys.js';
import * as checks from './checks.js';
import * as customer from './customer.js';
import * as deliveries from './deliveries.js';
import * as endpoints from './endpoints.js';
import * as events from './events.js';
import * as health from './health.js';
import * as photos from './photos.js';
import * as sessions from './sessions.js';
import * as webhookSecret from './webhook-secret.js';
import * as web from './web.js';

type RouteModule = { register(app: FastifyInstance, ctx: AppContext): void | Promise<void> };

/** Routes anyone may call: health, sign-in, the customer's check link. */
const PUBLIC_ROUTES: RouteModule[] = [health, sessions, customer, photos];
/** Routes behind an API key or a dashboard session; each module is one resource. */
const AUTHENTICATED_ROUTES: RouteModule[] = [apiKeys, checks, events, endpoints, webhookSecret, deliveries];

export const API_VERSION = '1.0.0';

/** Builds the HTTP API (and, when present, the dashboard); does not listen. */
export async function buildApp(ctx: AppContext, extra: { publicRoutes?: RouteModule[]; authenticatedRoutes?: RouteModule[] } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    bodyLimit: ctx.config.maxBodyBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors raised by the router before any handler (a malformed or over-long URL) get our shape too.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, (error as { statusCode?: number }).statusCode === 414 ? 'RID_ERR_URI_TOO_LONG' : 'RID_ERR_VALIDATION', error.message),
  });
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);

  // An empty body with a JSON content type means "no body" (curl -X POST -H 'content-type: application/json').
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || body === undefined) return done(null, undefined);
    jsonParser(request, body as string, done);
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    max: ctx.config.apiRateLimitPerMinute,
    timeWindow: '1 minute',
    // Per API key when there is one (so one noisy integration cannot starve the others), else per address.
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return auth ? `key:${hashApiKey(auth)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('RID_ERR_RATE_LIMITED', `Too many requests: at most ${context.max} per ${context.after}. Retry after the time in Retry-After.`),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Real ID API', version: API_VERSION, description: 'ID checks with real-time, signed webhooks. Every error is `{code, message, details?}`; see docs/api.md for the catalogue.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'rid_test_… or rid_live_…' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.addSchema(ErrorOut);

  for (const module of [...PUBLIC_ROUTES, ...(extra.publicRoutes ?? [])]) await module.register(app, ctx);
  await app.register(async (scope) => {
    scope.addHook('onRequest', authenticate(ctx));
    for (const module of [...AUTHENTICATED_ROUTES, ...(extra.authenticatedRoutes ?? [])]) await module.register(scope, ctx);
  });
  // Last: the dashboard's catch-all GET must not shadow any API route.
  await web.register(app, ctx);
  return app;
}
