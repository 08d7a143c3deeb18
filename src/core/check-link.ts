import { createHash, createHmac } from 'node:crypto';

/**
 * The customer's link token. It is an HMAC of the check id under a key derived from the master
 * key: unguessable without that key, yet recomputable, so the merchant can be shown the link again
 * while the database keeps only its SHA-256 (a stolen database hands out no links). Redaction
 * clears the hash, which kills the link for good.
 */
export function checkLinkToken(linkKey: Buffer, checkId: string): string {
  return createHmac('sha256', linkKey).update(checkId).digest('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isLinkTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
