import type { RawBody } from './body.js';
import { hmacSha256Sync } from './node-hmac.js';
import { planSigning, signatureHeaders, type SignOptions, type WebhookSignatureHeaders } from './sign-plan.js';

/**
 * The signature headers Real ID would send with `rawBody`: for tests, local tools and the CLI's
 * `listen`. Pass several secrets (newest first) to sign as during a rotation.
 *
 * @example
 *   const body = '{"event":"check.opened","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"opened","testing":true}}';
 *   const headers = signWebhook(body, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
 *   await fetch('http://127.0.0.1:3000/webhooks/realid', { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 */
export function signWebhook(rawBody: RawBody, secret: string | readonly string[], options?: SignOptions): WebhookSignatureHeaders {
  const plan = planSigning(rawBody, secret, options);
  return signatureHeaders(
    plan,
    hmacSha256Sync(plan.realId.key, plan.realId.message),
    plan.standard.map((job) => hmacSha256Sync(job.key, job.message)),
  );
}
