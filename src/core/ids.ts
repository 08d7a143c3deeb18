import { randomFillSync } from 'node:crypto';

/**
 * Every id carries a prefix that says what it is, and sorts by creation time (a ULID body:
 * 48 bits of milliseconds, then 80 random bits, Crockford base32), so cursors can page by id.
 *
 * @example newId('chk') // 'chk_01JF3Q8X3W5V0N9QK6B7C2R4TD'
 */
export const ID_PREFIXES = {
  account: 'acct',
  user: 'user',
  apiKey: 'key',
  check: 'chk',
  photo: 'photo',
  event: 'evt',
  endpoint: 'ep',
  delivery: 'msg',
  attempt: 'atmpt',
  secret: 'whsec',
} as const;

type Prefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];
declare const brand: unique symbol;
export type Id<P extends Prefix> = `${P}_${string}` & { readonly [brand]?: P };
export type AccountId = Id<'acct'>;
export type UserId = Id<'user'>;
export type ApiKeyId = Id<'key'>;
export type CheckId = Id<'chk'>;
export type PhotoId = Id<'photo'>;
export type EventId = Id<'evt'>;
export type EndpointId = Id<'ep'>;
export type DeliveryId = Id<'msg'>;
export type AttemptId = Id<'atmpt'>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom: Buffer = Buffer.alloc(10);

/** Milliseconds since the epoch (48 bits) as 10 Crockford base32 characters. */
export function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** 10 bytes (80 bits) as 16 Crockford base32 characters, most significant bits first. */
export function encodeRandom(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(value >> bits) & 31];
    }
  }
  return out;
}

// Random bytes come from a pool refilled 256 ids at a time: one call into the CSPRNG per id cost
// more than the rest of making the id (the same reason crypto.randomUUID keeps a cache).
const randomPool = Buffer.alloc(10 * 256);
let randomOffset = randomPool.length;

function freshRandom(): Buffer {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  // A copy: nextRandom increments it in place for the next id of the same millisecond.
  const bytes = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 10));
  randomOffset += 10;
  return bytes;
}

/** Increments the random part so ids made in the same millisecond still sort in creation order. */
function nextRandom(now: number): Buffer {
  if (now === lastTime) {
    const next = Buffer.from(lastRandom);
    for (let i = next.length - 1; i >= 0; i--) {
      if (next[i] === 255) { next[i] = 0; continue; }
      next[i]++;
      break;
    }
    lastRandom = next;
  } else {
    lastTime = now;
    lastRandom = freshRandom();
  }
  return lastRandom;
}

export function newId<P extends Prefix>(prefix: P, now = Date.now()): Id<P> {
  // Plain number arithmetic: ids are made several times per delivery, and BigInt was a hot spot.
  const body = encodeTime(now) + encodeRandom(nextRandom(now));
  return `${prefix}_${body}` as Id<P>;
}

const ID_PATTERN = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id with this prefix (used to answer 404 before touching the database). */
export function isId<P extends Prefix>(prefix: P, value: unknown): value is Id<P> {
  return typeof value === 'string' && value.startsWith(`${prefix}_`) && ID_PATTERN.test(value);
}
