import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VECTORS_FILE, vectorsJson } from '../../../test-vectors/generate.js';
import { signWebhook, signWebhookAsync, verifyWebhook, verifyWebhookAsync, WebhookVerificationError } from '../src/index.js';
import * as edge from '../src/web.js';
import { outcome, vectorBody, vectorOptions, vectors } from './vectors.js';

describe('the shared test vectors', () => {
  it('are what test-vectors/generate.ts writes (regenerate them, never edit by hand)', () => {
    expect(readFileSync(VECTORS_FILE, 'utf8')).toBe(vectorsJson());
  });

  it('cover every reason and both results', () => {
    const reasons = new Set(vectors.verify.map((vector) => ('error' in vector.expected ? vector.expected.error : 'ok')));
    expect([...reasons].sort()).toEqual(['bad_signature', 'body_not_raw', 'invalid_secret', 'malformed_payload', 'missing_signature', 'ok', 'timestamp_in_future', 'timestamp_too_old', 'unknown_event']);
  });
});

const verifiers = {
  'verifyWebhook (node:crypto)': verifyWebhook,
  'verifyWebhookAsync (WebCrypto)': verifyWebhookAsync,
  'verifyWebhookAsync from the edge entry': edge.verifyWebhookAsync,
};

for (const [label, verify] of Object.entries(verifiers)) {
  describe(label, () => {
    for (const vector of vectors.verify) {
      it(vector.name, async () => {
        const result = await outcome(() => verify(vectorBody(vector), vector.headers, vector.secret, vectorOptions(vector)));
        expect(result).toEqual(vector.expected);
      });
    }

    it('reads a fetch Headers object like a plain object', async () => {
      for (const vector of vectors.verify) {
        const result = await outcome(() => verify(vectorBody(vector), new Headers(vector.headers), vector.secret, vectorOptions(vector)));
        expect(result, vector.name).toEqual(vector.expected);
      }
    });

    it('throws WebhookVerificationError with a message that explains the fix for a parsed body', async () => {
      const vector = vectors.verify.find((each) => each.body_parsed !== undefined)!;
      const error = await Promise.resolve()
        .then(() => verify(vectorBody(vector), vector.headers, vector.secret, vectorOptions(vector)))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect((error as Error).message).toMatch(/express\.raw\(\{ type: 'application\/json' \}\)/);
    });
  });
}

describe('signing', () => {
  for (const vector of vectors.sign) {
    it(`signWebhook and signWebhookAsync match the vector: ${vector.name}`, async () => {
      const options = { id: vector.id, timestamp: vector.timestamp };
      expect(signWebhook(vector.body, vector.secrets, options)).toEqual(vector.headers);
      expect(await signWebhookAsync(vector.body, vector.secrets, options)).toEqual(vector.headers);
      expect(await edge.signWebhookAsync(vector.body, vector.secrets, options)).toEqual(vector.headers);
    });
  }

  it('signs with the current time and a fresh evt_ id by default, which verifies now', () => {
    const body = '{"event":"check.opened","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"opened","testing":true}}';
    const secret = vectors.sign[0].secrets[0];
    const first = signWebhook(body, secret);
    expect(first['webhook-id']).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(signWebhook(body, secret)['webhook-id']).not.toBe(first['webhook-id']);
    expect(Math.abs(Number(first['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhook(body, first, secret, { scheme: 'standard' }).event).toBe('check.opened');
  });
});

describe('the edge entry', () => {
  it('points the synchronous functions at their async twins instead of failing obscurely', () => {
    expect(() => edge.verifyWebhook()).toThrow(/use verifyWebhookAsync/);
    expect(() => edge.signWebhook()).toThrow(/use signWebhookAsync/);
  });
});
