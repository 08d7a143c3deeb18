/**
 * Verify Real ID webhooks. Node.js entry: synchronous `verifyWebhook`/`signWebhook` on `node:crypto`,
 * plus the WebCrypto `verifyWebhookAsync`/`signWebhookAsync`. Edge runtimes resolve `./web.ts` instead.
 *
 * @example
 *   import { verifyWebhook } from '@realid/webhooks';
 *   const event = verifyWebhook(rawBody, req.headers, process.env.REAL_ID_SIGNING_KEY!);
 *
 * @module
 */
export * from './public-types.js';
export { verifyWebhook } from './verify.js';
export { signWebhook } from './sign.js';
