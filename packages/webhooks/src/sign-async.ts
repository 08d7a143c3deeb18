import type { RawBody } from './body.js';
import { planSigning, signatureHeaders, type SignOptions, type WebhookSignatureHeaders } from './sign-plan.js';
import { hmacSha256 } from './web-hmac.js';

/**
 * `signWebhook` with WebCrypto, for edge runtimes and browsers. Same headers, byte for byte.
 *
 * @example
 *   const headers = await signWebhookAsync(body, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { id: 'evt_1', timestamp: 1670599235 });
 */
export async function signWebhookAsync(rawBody: RawBody, secret: string | readonly string[], options?: SignOptions): Promise<WebhookSignatureHeaders> {
  const plan = planSigning(rawBody, secret, options);
  const [realIdMac, ...standardMacs] = await Promise.all([plan.realId, ...plan.standard].map((job) => hmacSha256(job.key, job.message)));
  return signatureHeaders(plan, realIdMac, standardMacs);
}
