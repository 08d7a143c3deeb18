import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * The two signatures every delivery carries (product.md, "Signing").
 *
 * - `X-Real-ID-Signature`: the seed's scheme, lower-case hex HMAC-SHA256 of the body keyed by the
 *   UTF-8 bytes of the whole `whsec_…` string, so the seed's Node and Python recipes verify it.
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): base64 HMAC-SHA256
 *   of `id.timestamp.body` keyed by the base64-decoded part after `whsec_`; one `v1,` signature per
 *   secret still valid, space-separated, so receivers can rotate without downtime.
 *
 * @example
 *   signatureHeaders({ eventId: 'evt_1', timestampSeconds: 1700000000, body: '{}', secrets: ['whsec_…'] })
 *   // { 'x-real-id-signature': 'ab12…', 'webhook-id': 'evt_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,…' }
 */
const SECRET_PREFIX = 'whsec_';

/**
 * Each secret's two HMAC keys, made once: every delivery signs with them, and re-making them (a
 * Buffer of the secret, a base64 decode) was garbage on every attempt. Bounded, like every cache
 * that a stream of rotations could grow.
 */
const keysOf = new Map<string, { realId?: KeyObject; standard?: KeyObject }>();

function keysFor(secret: string): { realId?: KeyObject; standard?: KeyObject } {
  let found = keysOf.get(secret);
  if (!found) {
    if (keysOf.size >= 1_000) keysOf.clear();
    found = {};
    keysOf.set(secret, found);
  }
  return found;
}

export function realIdSignature(body: string, secret: string): string {
  return createHmac('sha256', (keysFor(secret).realId ??= createSecretKey(Buffer.from(secret, 'utf8')))).update(body, 'utf8').digest('hex');
}

/** The raw key of a `whsec_` secret for the Standard Webhooks scheme. */
export function standardWebhooksKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a signing secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

export function standardWebhooksSignature(eventId: string, timestampSeconds: number, body: string, secret: string): string {
  const mac = createHmac('sha256', (keysFor(secret).standard ??= createSecretKey(standardWebhooksKey(secret)))).update(`${eventId}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export interface SignatureInput {
  eventId: string;
  timestampSeconds: number;
  body: string;
  /** The current secret first, then rotated-out secrets that still sign. */
  secrets: readonly string[];
}

export function signatureHeaders(input: SignatureInput): Record<string, string> {
  return addSignatureHeaders({}, input);
}

/** The same headers, added to `headers` (the sender's own copy, so a delivery makes one headers object, not two). */
export function addSignatureHeaders(headers: Record<string, string>, { eventId, timestampSeconds, body, secrets }: SignatureInput): Record<string, string> {
  if (secrets.length === 0) throw new Error('an account without a signing secret cannot send webhooks');
  headers['x-real-id-signature'] = realIdSignature(body, secrets[0]!);
  headers['webhook-id'] = eventId;
  headers['webhook-timestamp'] = String(timestampSeconds);
  headers['webhook-signature'] = secrets.map((secret) => standardWebhooksSignature(eventId, timestampSeconds, body, secret)).join(' ');
  return headers;
}
