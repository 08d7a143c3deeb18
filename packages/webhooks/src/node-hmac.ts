import { createHmac } from 'node:crypto';

/** HMAC-SHA256 with Node's crypto: synchronous, which the WebCrypto API cannot be. */
export function hmacSha256Sync(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(message).digest());
}
