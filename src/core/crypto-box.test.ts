import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCryptoBox } from './crypto-box.js';

describe('crypto box (AES-256-GCM)', () => {
  const box = createCryptoBox(randomBytes(32));

  it('round-trips any bytes, and never stores them in the clear', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), (bytes) => {
      const plain = Buffer.from(bytes);
      const sealed = box.seal(plain);
      expect(box.open(sealed).equals(plain)).toBe(true);
      if (plain.length >= 8) expect(sealed.includes(plain)).toBe(false);
    }));
  });

  it('refuses a tampered value or a different key', () => {
    const sealed = box.seal('whsec_secret');
    const tampered = Buffer.from(sealed);
    tampered[20] ^= 1;
    expect(() => box.open(tampered)).toThrow();
    expect(() => createCryptoBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('uses a fresh nonce each time', () => {
    expect(box.sealText('same')).not.toBe(box.sealText('same'));
  });

  it('insists on a 32-byte key', () => {
    expect(() => createCryptoBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
