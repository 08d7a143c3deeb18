/**
 * Receiving Real ID webhooks in a Next.js App Router route handler: copy this file to
 * app/api/webhooks/realid/route.ts and set REAL_ID_SIGNING_KEY. The URL to enter in
 * Settings › DevTools is then https://<your app>/api/webhooks/realid.
 *
 * request.text() gives the raw body (never request.json(): the signature covers the exact bytes).
 * verifyWebhookAsync uses WebCrypto, so the route runs on the Node.js and the edge runtime alike.
 */
import { verifyWebhookAsync, WebhookVerificationError } from '@realid/webhooks';

export const runtime = 'edge';

export async function POST(request: Request): Promise<Response> {
  const secret = process.env.REAL_ID_SIGNING_KEY;
  if (!secret) return Response.json({ message: 'REAL_ID_SIGNING_KEY is not set' }, { status: 500 });
  try {
    const event = await verifyWebhookAsync(await request.text(), request.headers, secret);
    // Deliveries are at least once: skip a webhook-id you have already processed.
    console.log(JSON.stringify({ verified: event.event, check: event.check.id, webhook_id: request.headers.get('webhook-id') }));
    return new Response(null, { status: 204 });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return Response.json({ reason: error.reason, message: error.message }, { status: 400 });
  }
}
