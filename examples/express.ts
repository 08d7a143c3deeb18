/**
 * Receiving Real ID webhooks with Express.
 *
 *   REAL_ID_SIGNING_KEY=whsec_… PORT=3000 npx tsx examples/express.ts
 *
 * The one thing to get right: express.raw() on this route, so req.body is the Buffer that was
 * signed. express.json() would hand over a parsed object, and re-serialising it does not give the
 * signed bytes back.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { verifyWebhook, WebhookVerificationError } from '@realid/webhooks';
import { logRejection, onVerifiedEvent } from './on-event.js';
import { isMain, receiverConfig, WEBHOOK_PATH } from './receiver-config.js';

export function createApp(secret: string): express.Express {
  const app = express();
  app.post(WEBHOOK_PATH, express.raw({ type: 'application/json' }), (req, res) => {
    try {
      const event = verifyWebhook(req.body, req.headers, secret);
      onVerifiedEvent(event, req.get('webhook-id'));
      res.status(204).end();
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      logRejection(error.reason, error.message);
      res.status(400).json({ reason: error.reason, message: error.message });
    }
  });
  return app;
}

if (isMain(import.meta.url)) {
  const { host, port, secret } = receiverConfig();
  const server = createApp(secret).listen(port, host, () => {
    console.log(`listening on http://${host}:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`);
  });
}
