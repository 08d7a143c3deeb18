/**
 * Verify Real ID webhooks on edge runtimes (Cloudflare Workers, the Next.js edge runtime, browsers):
 * everything here runs on WebCrypto, and nothing imports `node:*`. Bundlers pick this file through
 * the `workerd`, `edge-light`, `worker` and `browser` export conditions, or import `@realid/webhooks/web`.
 *
 * @example
 *   import { verifyWebhookAsync } from '@realid/webhooks/web';
 *   const event = await verifyWebhookAsync(await request.text(), request.headers, env.REAL_ID_SIGNING_KEY);
 *
 * @module
 */
import type { RealIdEvent } from './events.js';
import type { WebhookSignatureHeaders } from './sign-plan.js';

export * from './public-types.js';

// A programming error, not a rejected webhook, hence a plain Error rather than WebhookVerificationError.
function needsNodeCrypto(name: string): never {
  throw new Error(`${name} needs node:crypto, which this runtime does not have: use ${name}Async instead.`);
}

/** Not available without `node:crypto`: throws, pointing at `verifyWebhookAsync`. */
export function verifyWebhook(..._args: unknown[]): RealIdEvent {
  return needsNodeCrypto('verifyWebhook');
}

/** Not available without `node:crypto`: throws, pointing at `signWebhookAsync`. */
export function signWebhook(..._args: unknown[]): WebhookSignatureHeaders {
  return needsNodeCrypto('signWebhook');
}
