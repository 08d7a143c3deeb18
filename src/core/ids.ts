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
const CROCKFORD_CODES = Uint8Array.from(CROCKFORD, (c) => c.charCodeAt(0));
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;

/**
 * Ids are made several times per delivery, so making one allocates only the string itself: the
 * characters are written into this scratch buffer and read out as one latin1 string. (Building
 * it by string concatenation and copying the random part cost ~1 KB of garbage per id — a
 * quarter of the delivery path's allocations, and so of its garbage collection.)
 */
const scratch = Buffer.alloc(64);

/** Writes `ms` (48 bits) as 10 Crockford base32 characters at `at`; returns the next offset. */
function writeTime(out: Uint8Array, at: number, ms: number): number {
  for (let i = TIME_CHARS - 1; i >= 0; i--) {
    out[at + i] = CROCKFORD_CODES[ms % 32]!;
    ms = Math.floor(ms / 32);
  }
  return at + TIME_CHARS;
}

/** Writes 10 bytes (80 bits) as 16 Crockford base32 characters at `at`, most significant bits first. */
function writeRandom(out: Uint8Array, at: number, bytes: Uint8Array): number {
  let bits = 0;
  let value = 0;
  for (let i = 0; i < RANDOM_BYTES; i++) {
    value = ((value << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out[at++] = CROCKFORD_CODES[(value >> bits) & 31]!;
    }
  }
  return at;
}

/** Milliseconds since the epoch (48 bits) as 10 Crockford base32 characters. */
export function encodeTime(ms: number): string {
  return scratch.toString('latin1', 0, writeTime(scratch, 0, ms));
}

/** 10 bytes (80 bits) as 16 Crockford base32 characters, most significant bits first. */
export function encodeRandom(bytes: Uint8Array): string {
  return scratch.toString('latin1', 0, writeRandom(scratch, 0, bytes));
}

// Random bytes come from a pool refilled 256 ids at a time: one call into the CSPRNG per id cost
// more than the rest of making the id (the same reason crypto.randomUUID keeps a cache).
const randomPool = Buffer.alloc(RANDOM_BYTES * 256);
let randomOffset = randomPool.length;
let lastTime = -1;
/** The random part of the last id, incremented in place for the next id of the same millisecond. */
const lastRandom = new Uint8Array(RANDOM_BYTES);

/** The random part for an id made at `now`: fresh bytes, or the last id's plus one so ids of one millisecond sort in creation order. */
function nextRandom(now: number): Uint8Array {
  if (now === lastTime) {
    for (let i = RANDOM_BYTES - 1; i >= 0; i--) {
      if (lastRandom[i] === 255) { lastRandom[i] = 0; continue; }
      lastRandom[i]!++;
      break;
    }
    return lastRandom;
  }
  lastTime = now;
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  lastRandom.set(randomPool.subarray(randomOffset, randomOffset + RANDOM_BYTES));
  randomOffset += RANDOM_BYTES;
  return lastRandom;
}

export function newId<P extends Prefix>(prefix: P, now = Date.now()): Id<P> {
  let at = scratch.write(prefix, 0, 'latin1');
  scratch[at++] = 0x5f; // '_'
  at = writeTime(scratch, at, now);
  at = writeRandom(scratch, at, nextRandom(now));
  return scratch.toString('latin1', 0, at) as Id<P>;
}

const ID_PATTERN = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id with this prefix (used to answer 404 before touching the database). */
export function isId<P extends Prefix>(prefix: P, value: unknown): value is Id<P> {
  return typeof value === 'string' && value.startsWith(`${prefix}_`) && ID_PATTERN.test(value);
}
