import { rawBodyBytes, type RawBody } from './body.js';
import type { RealIdEvent } from './events.js';
import type { HeaderSource } from './headers.js';
import { hmacSha256Sync } from './node-hmac.js';
import { acceptSignedEvent, planSignatureCheck, type VerifyOptions } from './verify-plan.js';

/**
 * Verifies a Real ID webhook and returns its typed event, or throws a `WebhookVerificationError`
 * whose `reason` says why. Synchronous, with Node's crypto; on edge runtimes use `verifyWebhookAsync`.
 *
 * @param rawBody the body exactly as received (string, Buffer, Uint8Array or ArrayBuffer), never a parsed object
 * @param headers the request headers (Node's `req.headers`, a fetch `Headers`, or a plain object)
 * @param secret the endpoint's signing secret, `whsec_…`
 *
 * @example
 *   import express from 'express';
 *   import { verifyWebhook, WebhookVerificationError } from '@realid/webhooks';
 *
 *   const app = express();
 *   app.post('/webhooks/realid', express.raw({ type: 'application/json' }), (req, res) => {
 *     try {
 *       const event = verifyWebhook(req.body, req.headers, process.env.REAL_ID_SIGNING_KEY!);
 *       if (event.event === 'check.completed') console.log('check passed', event.check.id);
 *       res.sendStatus(204);
 *     } catch (error) {
 *       if (!(error instanceof WebhookVerificationError)) throw error;
 *       res.status(400).json({ reason: error.reason, message: error.message });
 *     }
 *   });
 */
export function verifyWebhook(rawBody: RawBody, headers: HeaderSource, secret: string, options: VerifyOptions = {}): RealIdEvent {
  const body = rawBodyBytes(rawBody);
  const check = planSignatureCheck(body, headers, secret, options.scheme);
  return acceptSignedEvent(check, hmacSha256Sync(check.key, check.message), body, options);
}
