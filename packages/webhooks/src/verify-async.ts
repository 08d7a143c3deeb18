import { rawBodyBytes, type RawBody } from './body.js';
import type { RealIdEvent } from './events.js';
import type { HeaderSource } from './headers.js';
import { acceptSignedEvent, planSignatureCheck, type VerifyOptions } from './verify-plan.js';
import { hmacSha256 } from './web-hmac.js';

/**
 * `verifyWebhook` with WebCrypto (`crypto.subtle`) instead of `node:crypto`, for edge runtimes:
 * Next.js route handlers, Cloudflare Workers, Deno, Bun. Same arguments, results and reasons.
 *
 * @example
 *   // app/api/webhooks/realid/route.ts (Next.js App Router)
 *   import { verifyWebhookAsync, WebhookVerificationError } from '@realid/webhooks';
 *
 *   export async function POST(request: Request) {
 *     try {
 *       const event = await verifyWebhookAsync(await request.text(), request.headers, process.env.REAL_ID_SIGNING_KEY!);
 *       console.log(event.event, event.check.id);
 *       return new Response(null, { status: 204 });
 *     } catch (error) {
 *       if (!(error instanceof WebhookVerificationError)) throw error;
 *       return Response.json({ reason: error.reason, message: error.message }, { status: 400 });
 *     }
 *   }
 */
export async function verifyWebhookAsync(rawBody: RawBody, headers: HeaderSource, secret: string, options: VerifyOptions = {}): Promise<RealIdEvent> {
  const body = rawBodyBytes(rawBody);
  const check = planSignatureCheck(body, headers, secret, options.scheme);
  return acceptSignedEvent(check, await hmacSha256(check.key, check.message), body, options);
}
