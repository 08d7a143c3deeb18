import { describe, expect, it } from 'vitest';
import { EVENT_TYPES as ENGINE_EVENT_TYPES } from '../../../src/core/event-types.js';
import { eventPayload } from '../../../src/core/event-payload.js';
import { signatureHeaders } from '../../../src/core/signing.js';
import { EVENT_TYPES, verifyWebhook, verifyWebhookAsync } from '../src/index.js';

// The SDK must accept exactly what the delivery engine builds and signs; these are the engine's
// own payload builder and signer, so a change on either side that breaks receivers fails here.
const secrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', `whsec_${Buffer.alloc(32, 9).toString('base64')}`];

describe('the delivery engine and the SDK agree', () => {
  it('on the eight event names', () => {
    expect([...EVENT_TYPES]).toEqual([...ENGINE_EVENT_TYPES]);
  });

  for (const type of ENGINE_EVENT_TYPES) {
    it(`${type}: the engine's payload and signatures verify, with every scheme, sync and async`, async () => {
      const body = eventPayload(type, new Date('2024-05-01T10:00:00.000Z'), { id: 'chk_01HWX', testing: false });
      const headers = signatureHeaders({ eventId: 'evt_01HWX', timestampSeconds: 1_714_557_600, body, secrets });
      const now = 1_714_557_600_000 + 10_000;
      for (const scheme of ['any', 'standard', 'real-id'] as const) {
        const event = verifyWebhook(body, headers, secrets[0], { scheme, now });
        expect(event).toEqual(JSON.parse(body));
        expect(await verifyWebhookAsync(body, headers, secrets[0], { scheme, now })).toEqual(event);
      }
      // The rotated-out secret is still honoured by the Standard Webhooks signature.
      expect(verifyWebhook(body, headers, secrets[1], { scheme: 'standard', now }).event).toBe(type);
    });
  }
});
