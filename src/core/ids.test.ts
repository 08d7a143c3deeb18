import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.js';

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
});
