import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys: `rid_test_…` or `rid_live_…` + 32 random base62-ish characters. Only a SHA-256 of the
 * key is stored: the key has 190 bits of entropy, so a slow hash adds nothing, and lookup by hash
 * is an index hit (no timing oracle on the secret itself).
 */
export type KeyMode = 'test' | 'live';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateApiKey(mode: KeyMode): string {
  const bytes = randomBytes(32);
  let body = '';
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
  return `rid_${mode}_${body}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The part of a key that is safe to show again: `rid_live_AbCd…wxyz`. */
export function apiKeyHint(key: string): string {
  return `${key.slice(0, 13)}…${key.slice(-4)}`;
}

export function apiKeyMode(key: string): KeyMode | null {
  const match = /^rid_(test|live)_[A-Za-z0-9]{32}$/.exec(key);
  return match ? (match[1] as KeyMode) : null;
}
