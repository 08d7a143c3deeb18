import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { DASHBOARD_DIR, buildDashboardIfMissing, isDashboardBuilt } from '../web/build-dashboard.js';

/**
 * Serves the dashboard and the customer pages (one React app, src/web, built to dist/web).
 * Hashed assets are cached for good; every other GET that is not an API path gets index.html and
 * the app's router takes over (`/`, `/checks/…`, `/settings/devtools`, the customer's `/c/:token`).
 * Registered last, so every API route wins, and unknown `/api/…` paths keep their JSON 404.
 */
export async function register(app: FastifyInstance, ctx: AppContext): Promise<void> {
  let buildError: Error | null = null;
  if (!isDashboardBuilt()) {
    ctx.log.warn({ dir: DASHBOARD_DIR }, 'The dashboard is not built yet (dist/web is missing): building it now with Vite (npm run build:web); the API works meanwhile');
    const started = Date.now();
    buildDashboardIfMissing().then(
      () => ctx.log.info({ seconds: (Date.now() - started) / 1000 }, 'dashboard built'),
      (error: Error) => {
        buildError = error;
        ctx.log.error({ err: error }, 'the dashboard could not be built; run `npm run build:web` to see why');
      },
    );
  }

  await app.register(fastifyStatic, {
    root: path.join(DASHBOARD_DIR, 'assets'),
    prefix: '/assets/',
    index: false,
    // File names carry a content hash: a changed file is a new URL.
    immutable: true,
    maxAge: '365d',
  });

  const contentSecurityPolicy = [
    "default-src 'self'",
    `img-src 'self' blob: data: ${new URL(ctx.config.publicUrl).origin}`,
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

  const sendApp = async (reply: FastifyReply) => {
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      // The customer's link carries its token in the path: never hand it to another site.
      .header('referrer-policy', 'same-origin');
    try {
      return reply.type('text/html; charset=utf-8').send(await readFile(path.join(DASHBOARD_DIR, 'index.html')));
    } catch {
      return reply.status(503).header('retry-after', '5').type('text/html; charset=utf-8').send(notBuiltPage(buildError));
    }
  };

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0];
    if (pathname === '/api' || pathname.startsWith('/api/') || path.extname(pathname) !== '') return reply.callNotFound();
    return sendApp(reply);
  });
}

function notBuiltPage(error: Error | null): string {
  const message = error
    ? `The dashboard could not be built (${escapeHtml(error.message)}). Run <code>npm run build:web</code> to see why; the API works meanwhile.`
    : 'The dashboard is being built; this page reloads itself in a few seconds.';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Real ID</title>${error ? '' : '<meta http-equiv="refresh" content="3">'}`
    + `<meta name="viewport" content="width=device-width, initial-scale=1"></head>`
    + `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5"><h1>Real ID</h1><p>${message}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
