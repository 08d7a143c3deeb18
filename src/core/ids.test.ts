import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { encodeRandom, encodeTime, isId, newId } from './ids.js';

/** The straightforward encoding (one big number, 5 bits at a time from the bottom), to check the fast one against. */
function reference(bytes: Uint8Array, length: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < length; i++) {
    out = alphabet[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

describe('newId', () => {
  it('carries its prefix and 26 Crockford base32 characters', () => {
    const id = newId('chk');
    expect(id).toMatch(/^chk_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isId('chk', id)).toBe(true);
    expect(isId('evt', id)).toBe(false);
    expect(isId('chk', 'chk_../../etc/passwd')).toBe(false);
  });

  it('sorts in creation order, even many in the same millisecond', () => {
    const now = Date.now();
    const ids = Array.from({ length: 1000 }, () => newId('evt', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(newId('evt', now + 1) > ids[999]).toBe(true);
  });

  it('encodes time and randomness exactly as ULID does (checked against a BigInt reference)', () => {
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(10);
      expect(encodeRandom(bytes)).toBe(reference(bytes, 16));
      const ms = Math.floor(Math.random() * 2 ** 48);
      const time = Buffer.alloc(6);
      time.writeUIntBE(ms, 0, 6);
      expect(encodeTime(ms)).toBe(reference(time, 10));
    }
    expect(encodeRandom(Buffer.alloc(10, 255))).toBe('ZZZZZZZZZZZZZZZZ');
    expect(encodeTime(2 ** 48 - 1)).toBe('7ZZZZZZZZZ');
  });
});
