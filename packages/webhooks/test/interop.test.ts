import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../src/index.js';
import { vectors } from './vectors.js';

// The reference Standard Webhooks library is an independent oracle for our half of the scheme.
const secret = vectors.sign[0].secrets[0];
const body = vectors.sign[0].body;

describe('Standard Webhooks interoperability', () => {
  it('the reference library verifies what signWebhook signs', () => {
    const headers = signWebhook(body, secret);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('verifyWebhook accepts what the reference library signs', () => {
    const id = 'evt_reference';
    const now = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, body),
    };
    expect(verifyWebhook(body, headers, secret, { scheme: 'standard' }).event).toBe('check.submitted-photo');
  });

  it('the reference library rejects a signature from another secret, as we do', () => {
    const headers = signWebhook(body, vectors.sign[1].secrets[1]);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow();
    expect(() => verifyWebhook(body, headers, secret)).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
  });
});
