/**
 * Receiving Real ID webhooks with Fastify.
 *
 *   REAL_ID_SIGNING_KEY=whsec_… PORT=3000 npx tsx examples/fastify.ts
 *
 * Fastify parses JSON by default; inside this plugin a content-type parser keeps the body as the
 * Buffer that was signed instead (the rest of your app keeps its normal JSON parsing).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { verifyWebhook, WebhookVerificationError } from '@realid/webhooks';
import { logRejection, onVerifiedEvent } from './on-event.js';
import { isMain, receiverConfig, WEBHOOK_PATH } from './receiver-config.js';

export function createApp(secret: string): FastifyInstance {
  const app = Fastify();
  app.register(async (webhooks) => {
    webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    webhooks.post(WEBHOOK_PATH, async (request, reply) => {
      try {
        const event = verifyWebhook(request.body as Buffer, request.headers, secret);
        onVerifiedEvent(event, request.headers['webhook-id'] as string | undefined);
        return reply.code(204).send();
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        logRejection(error.reason, error.message);
        return reply.code(400).send({ reason: error.reason, message: error.message });
      }
    });
  });
  return app;
}

if (isMain(import.meta.url)) {
  const { host, port, secret } = receiverConfig();
  const address = await createApp(secret).listen({ host, port });
  console.log(`listening on ${address}${WEBHOOK_PATH}`);
}
