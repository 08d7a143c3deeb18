import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, signWebhook, verifyWebhook, verifyWebhookAsync, type SignatureScheme } from '../src/index.js';
import { outcome } from './vectors.js';

const secrets = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
const bodies = fc.uint8Array({ maxLength: 512 });
const timestamp = 1_700_000_000;
const verifyAt = { now: timestamp * 1000 };
const schemes: SignatureScheme[] = ['standard', 'real-id'];

/** A valid Real ID event with arbitrary ids, flags and extra fields, as JSON text. */
const events = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    id: fc.string({ minLength: 1, maxLength: 40 }),
    testing: fc.boolean(),
    extra: fc.dictionary(fc.string({ maxLength: 8 }).filter((key) => !['event', 'created_at', 'check', '__proto__'].includes(key)), fc.string()),
  })
  .map(({ type, id, testing, extra }) => ({
    event: type,
    created_at: '2023-11-14T22:13:20.000Z',
    check: type.startsWith('check.') ? { id, step: type.slice('check.'.length), testing } : { id, testing },
    ...extra,
  }));

describe('properties', () => {
  it('any event signed by signWebhook with any secret verifies to the same event, with either scheme', () => {
    fc.assert(
      fc.property(events, secrets, fc.constantFrom(...schemes), (event, secret, scheme) => {
        const body = JSON.stringify(event);
        const headers = signWebhook(body, secret, { timestamp });
        expect(verifyWebhook(body, headers, secret, { ...verifyAt, scheme })).toEqual(event);
      }),
    );
  });

  it('any body signed by signWebhook passes the signature check (only the payload checks may reject it)', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, secrets, fc.constantFrom(...schemes), async (body, secret, scheme) => {
        const headers = signWebhook(body, secret, { timestamp });
        const result = await outcome(() => verifyWebhook(body, headers, secret, { ...verifyAt, scheme }));
        expect(['ok', 'malformed_payload', 'unknown_event']).toContain('error' in result ? result.error : 'ok');
      }),
    );
  });

  it('changing any single byte of the body makes it fail with bad_signature, sync and async', async () => {
    await fc.assert(
      fc.asyncProperty(bodies.filter((body) => body.length > 0), secrets, fc.constantFrom(...schemes), fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, secret, scheme, at, flip) => {
        const headers = signWebhook(body, secret, { timestamp });
        const changed = Uint8Array.from(body);
        changed[at % changed.length] ^= flip;
        expect(await outcome(() => verifyWebhook(changed, headers, secret, { ...verifyAt, scheme }))).toEqual({ error: 'bad_signature' });
        expect(await outcome(() => verifyWebhookAsync(changed, headers, secret, { ...verifyAt, scheme }))).toEqual({ error: 'bad_signature' });
      }),
    );
  });

  it('verifyWebhook and verifyWebhookAsync agree on arbitrary headers, bodies and secrets', async () => {
    const headerValues = fc.oneof(fc.string(), fc.constantFrom('v1,', 'v1,AAAA', '1700000000', 'deadbeef'));
    const headers = fc.dictionary(fc.constantFrom('webhook-id', 'Webhook-Timestamp', 'webhook-signature', 'X-Real-ID-Signature', 'other'), headerValues);
    await fc.assert(
      fc.asyncProperty(bodies, headers, fc.oneof(secrets, fc.string()), fc.constantFrom<SignatureScheme>('any', 'standard', 'real-id'), async (body, headers, secret, scheme) => {
        const sync = await outcome(() => verifyWebhook(body, headers, secret, { ...verifyAt, scheme }));
        const edge = await outcome(() => verifyWebhookAsync(body, headers, secret, { ...verifyAt, scheme }));
        expect(edge).toEqual(sync);
      }),
    );
  });
});
