/**
 * Receiving Real ID webhooks with Hono, on Node here; the route works unchanged on Cloudflare
 * Workers, Deno and Bun because it uses the WebCrypto verifier.
 *
 *   REAL_ID_SIGNING_KEY=whsec_… PORT=3000 npx tsx examples/hono.ts
 *
 * Read the body with c.req.arrayBuffer() (or c.req.text()), never c.req.json(): the signature
 * covers the exact bytes.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { verifyWebhookAsync, WebhookVerificationError } from '@realid/webhooks';
import { logRejection, onVerifiedEvent } from './on-event.js';
import { isMain, receiverConfig, WEBHOOK_PATH } from './receiver-config.js';

export function createApp(secret: string): Hono {
  const app = new Hono();
  app.post(WEBHOOK_PATH, async (c) => {
    try {
      const event = await verifyWebhookAsync(await c.req.arrayBuffer(), c.req.raw.headers, secret);
      onVerifiedEvent(event, c.req.header('webhook-id'));
      return c.body(null, 204);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      logRejection(error.reason, error.message);
      return c.json({ reason: error.reason, message: error.message }, 400);
    }
  });
  return app;
}

if (isMain(import.meta.url)) {
  const { host, port, secret } = receiverConfig();
  serve({ fetch: createApp(secret).fetch, hostname: host, port }, (info) => {
    console.log(`listening on http://${host}:${info.port}${WEBHOOK_PATH}`);
  });
}
