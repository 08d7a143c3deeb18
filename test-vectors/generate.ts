/**
 * Writes webhooks.json: the signed requests that the TypeScript and Python receivers must accept
 * or reject, with the reason. Signatures are computed here with node:crypto directly, NOT with
 * the SDK, so a bug in the SDK's signer cannot hide the same bug in its verifier.
 *
 * Regenerate (deterministic: fixed secrets, ids and times): npx tsx test-vectors/generate.ts
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_FILE = fileURLToPath(new URL('./webhooks.json', import.meta.url));

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('base64')}`;
const WRONG_SECRET = `whsec_${Buffer.alloc(32, 0x42).toString('base64')}`;
const ID = 'evt_01GKWZ3N6X0000000000000000';
const NOW = 1670599235; // 2022-12-09T15:20:35Z, the seed's created_at
const CREATED_AT = '2022-12-09T15:20:35.136Z';

const CHECK_EVENTS = ['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed', 'check.failed'];
const PRIVACY_EVENTS = ['customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request'];

/** The exact body the service sends (src/core/event-payload.ts): compact, keys in this order. */
function payload(event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const step = event.startsWith('check.') ? { step: event.slice('check.'.length) } : {};
  return { event, created_at: CREATED_AT, check: { id: 'abcdef', ...step, testing: true }, ...extra };
}

function hmac(key: Buffer, message: Buffer): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

function standardSignature(secret: string, id: string, timestamp: number, body: Buffer): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${hmac(key, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])).toString('base64')}`;
}

function realIdSignature(secret: string, body: Buffer): string {
  return hmac(Buffer.from(secret, 'utf8'), body).toString('hex');
}

/** Both header sets, as a delivery carries them. */
function deliveryHeaders(body: Buffer, { secret = SECRET, timestamp = NOW, id = ID } = {}): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(secret, id, timestamp, body),
    'x-real-id-signature': realIdSignature(secret, body),
  };
}

function without(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

type Expected = { event: Record<string, unknown> } | { error: string };
/** One request to verify, and what must come of it. */
export interface VerifyVector {
  name: string;
  secret: string;
  body?: string;
  body_base64?: string;
  body_parsed?: unknown;
  headers: Record<string, string>;
  now: number;
  options?: { scheme?: 'any' | 'standard' | 'real-id'; tolerance_seconds?: number };
  expected: Expected;
}

function textCase(name: string, body: string, headers: Record<string, string>, expected: Expected, extra: Partial<VerifyVector> = {}): VerifyVector {
  return { name, secret: SECRET, body, headers, now: NOW, expected, ...extra };
}

function compact(value: unknown): string {
  return JSON.stringify(value);
}

function goodCases(): VerifyVector[] {
  const cases: VerifyVector[] = [];
  for (const event of [...CHECK_EVENTS, ...PRIVACY_EVENTS]) {
    const body = compact(payload(event));
    const signed = deliveryHeaders(Buffer.from(body));
    cases.push(textCase(`${event}: a delivery with both schemes`, body, signed, { event: payload(event) }));
    cases.push(textCase(`${event}: X-Real-ID-Signature only`, body, { 'x-real-id-signature': signed['x-real-id-signature'] }, { event: payload(event) }));
  }
  // The seed names the event check.created but its step "delivered".
  const seedCreated = compact({ ...payload('check.delivered'), event: 'check.created' });
  cases.push(textCase("the seed's check.created example is normalised to check.delivered", seedCreated, deliveryHeaders(Buffer.from(seedCreated)), { event: payload('check.delivered') }));
  const seedPage = `{\n"event": "check.created",\n"created_at": "${CREATED_AT}",\n"check": {\n"id": "abcdef",\n"step": "delivered",\n"testing": true\n}\n}`;
  cases.push(textCase("the seed's check.created example, byte for byte as printed on the page", seedPage, { 'x-real-id-signature': realIdSignature(SECRET, Buffer.from(seedPage)) }, { event: payload('check.delivered') }));
  const seedPrivacy = `{\n"event": "customer.data_request",\n"created_at": "${CREATED_AT}",\n"check": {\n"id": "abcdef",\n"testing": true\n}\n}`;
  cases.push(textCase("the seed's customer.data_request example, byte for byte as printed on the page", seedPrivacy, deliveryHeaders(Buffer.from(seedPrivacy)), { event: payload('customer.data_request') }));

  const body = compact(payload('check.completed'));
  const bytes = Buffer.from(body);
  const rotation = `${standardSignature(OLD_SECRET, ID, NOW, bytes)} ${standardSignature(SECRET, ID, NOW, bytes)}`;
  const rotated = { ...without(deliveryHeaders(bytes), 'webhook-signature'), 'webhook-signature': rotation };
  cases.push(textCase('rotation: two signatures, verified with the new secret', body, rotated, { event: payload('check.completed') }));
  cases.push(textCase('rotation: two signatures, verified with the old secret', body, without(rotated, 'x-real-id-signature'), { event: payload('check.completed') }, { secret: OLD_SECRET }));
  cases.push(textCase('an unknown signature version beside v1 is ignored', body, { ...rotated, 'webhook-signature': `v1a,bm90IG91cnM= ${standardSignature(SECRET, ID, NOW, bytes)}` }, { event: payload('check.completed') }));
  cases.push(textCase('header names in any letter case', body, Object.fromEntries(Object.entries(deliveryHeaders(bytes)).map(([name, value]) => [name.toUpperCase(), value])), { event: payload('check.completed') }));
  cases.push(textCase('signed 299 s ago: inside the 5-minute tolerance', body, deliveryHeaders(bytes), { event: payload('check.completed') }, { now: NOW + 299 }));
  cases.push(textCase('signed 299 s in the future: inside the 5-minute tolerance', body, deliveryHeaders(bytes), { event: payload('check.completed') }, { now: NOW - 299 }));
  cases.push(textCase('an old delivery passes with scheme real-id (no timestamp in that scheme)', body, deliveryHeaders(bytes), { event: payload('check.completed') }, { now: NOW + 86_400, options: { scheme: 'real-id' } }));
  cases.push(textCase('a wider tolerance accepts an older delivery', body, deliveryHeaders(bytes), { event: payload('check.completed') }, { now: NOW + 600, options: { tolerance_seconds: 900 } }));
  const unicode = compact(payload('check.failed', { note: 'café ✓ 日本' }));
  cases.push(textCase('non-ASCII bytes and unknown fields are kept', unicode, deliveryHeaders(Buffer.from(unicode)), { event: payload('check.failed', { note: 'café ✓ 日本' }) }));
  return cases;
}

function badCases(): VerifyVector[] {
  const body = compact(payload('check.completed'));
  const bytes = Buffer.from(body);
  const signed = deliveryHeaders(bytes);
  const tampered = body.replace('"testing":true', '"testing":false');
  const signedBody = (text: string) => deliveryHeaders(Buffer.from(text));
  const error = (reason: string): Expected => ({ error: reason });
  const notUtf8 = Buffer.concat([Buffer.from('{"event":"check.completed","note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  return [
    textCase('tampered body (Standard Webhooks)', tampered, signed, error('bad_signature')),
    textCase('tampered body (X-Real-ID-Signature)', tampered, { 'x-real-id-signature': signed['x-real-id-signature'] }, error('bad_signature')),
    textCase('wrong secret (Standard Webhooks)', body, signed, error('bad_signature'), { secret: WRONG_SECRET }),
    textCase('wrong secret (X-Real-ID-Signature)', body, { 'x-real-id-signature': signed['x-real-id-signature'] }, error('bad_signature'), { secret: WRONG_SECRET }),
    textCase('body re-serialised by a JSON parser (the seed recipe bug)', JSON.stringify(JSON.parse(body), null, 2), signed, error('bad_signature')),
    textCase('body re-serialised by a JSON parser, X-Real-ID-Signature', `${JSON.stringify(JSON.parse(body), null, 1)}`, { 'x-real-id-signature': signed['x-real-id-signature'] }, error('bad_signature')),
    textCase('webhook-id changed after signing', body, { ...signed, 'webhook-id': 'evt_someone_else' }, error('bad_signature')),
    textCase('webhook-timestamp changed after signing', body, { ...signed, 'webhook-timestamp': String(NOW + 1) }, error('bad_signature'), { now: NOW + 1 }),
    textCase('X-Real-ID-Signature that is not hex', body, { 'x-real-id-signature': 'not-hex-at-all' }, error('bad_signature')),
    textCase('webhook-timestamp that is not a number', body, { ...signed, 'webhook-timestamp': 'yesterday' }, error('bad_signature')),
    textCase('signed 301 s ago', body, signed, error('timestamp_too_old'), { now: NOW + 301 }),
    textCase('signed 301 s in the future', body, signed, error('timestamp_in_future'), { now: NOW - 301 }),
    textCase('no signature headers at all', body, { 'content-type': 'application/json' }, error('missing_signature')),
    textCase('webhook-signature without webhook-id', body, without(signed, 'webhook-id'), error('missing_signature')),
    textCase('webhook-signature without webhook-timestamp', body, without(signed, 'webhook-timestamp'), error('missing_signature')),
    textCase('scheme standard, but only X-Real-ID-Signature', body, { 'x-real-id-signature': signed['x-real-id-signature'] }, error('missing_signature'), { options: { scheme: 'standard' } }),
    textCase('scheme real-id, but only Standard Webhooks headers', body, without(signed, 'x-real-id-signature'), error('missing_signature'), { options: { scheme: 'real-id' } }),
    textCase('signed, but not JSON', '{"event":"check.completed",', signedBody('{"event":"check.completed",'), error('malformed_payload')),
    textCase('signed, but a JSON array', '[1,2,3]', signedBody('[1,2,3]'), error('malformed_payload')),
    textCase('signed, but a check event without its step', compact({ ...payload('check.opened'), check: { id: 'abcdef', testing: true } }), signedBody(compact({ ...payload('check.opened'), check: { id: 'abcdef', testing: true } })), error('malformed_payload')),
    textCase('signed, but without check.id', compact({ ...payload('customer.data_request'), check: { testing: true } }), signedBody(compact({ ...payload('customer.data_request'), check: { testing: true } })), error('malformed_payload')),
    { name: 'signed, but starting with a byte-order mark', secret: SECRET, body_base64: withBom.toString('base64'), headers: deliveryHeaders(withBom), now: NOW, expected: error('malformed_payload') },
    { name: 'signed, but not UTF-8', secret: SECRET, body_base64: notUtf8.toString('base64'), headers: deliveryHeaders(notUtf8), now: NOW, expected: error('malformed_payload') },
    textCase('signed, but an event Real ID does not send', compact(payload('check.exploded')), signedBody(compact(payload('check.exploded'))), error('unknown_event')),
    textCase('a secret that is not whsec_ + base64 (Standard Webhooks)', body, signed, error('invalid_secret'), { secret: 'whsec_this is not base64!' }),
    textCase('an empty secret', body, signed, error('invalid_secret'), { secret: '' }),
    textCase('a secret with a trailing newline (from a .env file)', body, { 'x-real-id-signature': signed['x-real-id-signature'] }, error('invalid_secret'), { secret: `${SECRET}\n` }),
    { name: 'a parsed object instead of the raw body', secret: SECRET, body_parsed: payload('check.completed'), headers: signed, now: NOW, expected: error('body_not_raw') },
  ];
}

/** What `signWebhook` must produce for a given body, secrets (newest first), id and timestamp. */
export interface SignVector {
  name: string;
  secrets: string[];
  id: string;
  timestamp: number;
  body: string;
  headers: Record<string, string>;
}

function signingCases(): SignVector[] {
  return [[SECRET], [SECRET, OLD_SECRET]].map((secrets) => {
    const body = compact(payload('check.submitted-photo'));
    const bytes = Buffer.from(body);
    return {
      name: `signed with ${secrets.length} secret(s)`,
      secrets,
      id: ID,
      timestamp: NOW,
      body,
      headers: {
        'webhook-id': ID,
        'webhook-timestamp': String(NOW),
        'webhook-signature': secrets.map((secret) => standardSignature(secret, ID, NOW, bytes)).join(' '),
        'x-real-id-signature': realIdSignature(secrets[0], bytes),
      },
    };
  });
}

export function buildVectors(): { verify: VerifyVector[]; sign: SignVector[] } & Record<string, unknown> {
  return {
    about: 'Real ID webhook verification vectors, shared by packages/webhooks (TypeScript) and python/. Regenerate: npx tsx test-vectors/generate.ts',
    format: {
      now: 'unix seconds to verify at',
      body: 'the raw body as text; body_base64 when it is not UTF-8; body_parsed when the receiver is (wrongly) handed a parsed object',
      options: 'scheme (any | standard | real-id) and tolerance_seconds, when not the defaults',
      expected: '{event: the returned event} or {error: the WebhookVerificationError reason}',
    },
    verify: [...goodCases(), ...badCases()],
    sign: signingCases(),
  };
}

export function vectorsJson(): string {
  return `${JSON.stringify(buildVectors(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(VECTORS_FILE, vectorsJson());
  console.log(`wrote ${VECTORS_FILE}`);
}
