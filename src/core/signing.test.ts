import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { realIdSignature, signatureHeaders } from './signing.js';
import { generateWebhookSecret } from './webhook-secret.js';

describe('signatureHeaders', () => {
  it('signs X-Real-ID-Signature the way the seed recipes compute it (UTF-8 bytes of the whole secret)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"event":"check.completed","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"completed","testing":true}}';
    expect(realIdSignature(body, secret)).toBe(createHmac('sha256', secret).update(body).digest('hex'));
    expect(realIdSignature(body, secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('produces Standard Webhooks headers that the standardwebhooks package verifies, for every valid secret (property)', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 2 }), fc.integer({ min: 1, max: 3 }), (body, count) => {
      const secrets = Array.from({ length: count }, () => generateWebhookSecret());
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = signatureHeaders({ eventId: 'evt_1', timestampSeconds: timestamp, body, secrets });
      expect(headers['webhook-signature'].split(' ')).toHaveLength(count);
      for (const secret of secrets) expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
      expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
    }), { numRuns: 50 });
  });

  it('refuses to sign without a secret', () => {
    expect(() => signatureHeaders({ eventId: 'evt_1', timestampSeconds: 1, body: '{}', secrets: [] })).toThrow();
  });
});
