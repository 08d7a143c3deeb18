import { WebhookVerificationError } from './errors.js';
import { concatBytes, constantTimeEqual, fromBase64, fromHex, utf8Bytes, utf8Text } from './encoding.js';
import { parseEvent, type RealIdEvent } from './events.js';
import { headerReader, type HeaderReader, type HeaderSource } from './headers.js';
import { realIdKey, standardKey } from './secret.js';

/**
 * `any` (default) uses the Standard Webhooks headers when `webhook-signature` is present and
 * `X-Real-ID-Signature` otherwise. `standard` insists on the Standard Webhooks headers, so a
 * captured request cannot be replayed by stripping them; `real-id` only checks `X-Real-ID-Signature`.
 */
export type SignatureScheme = 'any' | 'standard' | 'real-id';

export interface VerifyOptions {
  /** Which headers to trust; see {@link SignatureScheme}. Default `'any'`. */
  scheme?: SignatureScheme;
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time (a Date or epoch milliseconds), for tests and replays. Default: the clock. */
  now?: Date | number;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** What to MAC and which signatures may match: everything except the HMAC itself, which sync and async compute differently. */
export interface SignatureCheck {
  scheme: 'standard' | 'real-id';
  key: Uint8Array;
  message: Uint8Array;
  candidates: Uint8Array[];
  /** The signed `webhook-timestamp` in unix seconds (Standard Webhooks only). */
  timestamp?: number;
}

function missing(message: string): never {
  throw new WebhookVerificationError('missing_signature', message);
}

function standardCheck(body: Uint8Array, header: HeaderReader, secret: unknown): SignatureCheck {
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!signatures) missing('The webhook-signature header is missing.');
  if (!id) missing('The webhook-id header is missing (it is signed together with the body).');
  if (!timestampText) missing('The webhook-timestamp header is missing (it is signed together with the body).');
  if (!/^\d{1,15}$/.test(timestampText)) throw new WebhookVerificationError('bad_signature', `webhook-timestamp "${timestampText}" is not unix seconds.`);
  // Several "v1,<base64>" entries during a secret rotation; other versions (v1a, …) are not ours to check.
  const candidates = signatures
    .split(/\s+/)
    .map((entry) => entry.replace(/,$/, ''))
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => fromBase64(entry.slice('v1,'.length)))
    .filter((bytes): bytes is Uint8Array => bytes !== null);
  return {
    scheme: 'standard',
    key: standardKey(secret),
    message: concatBytes(utf8Bytes(`${id}.${timestampText}.`), body),
    candidates,
    timestamp: Number(timestampText),
  };
}

function realIdCheck(body: Uint8Array, header: HeaderReader, secret: unknown, absent: string): SignatureCheck {
  const signature = header('x-real-id-signature')?.trim();
  if (!signature) missing(absent);
  const decoded = fromHex(signature);
  return { scheme: 'real-id', key: realIdKey(secret), message: body, candidates: decoded ? [decoded] : [] };
}

/** Decides which scheme applies and what must be signed; throws for missing headers or a bad secret. */
export function planSignatureCheck(body: Uint8Array, headers: HeaderSource, secret: unknown, scheme: SignatureScheme = 'any'): SignatureCheck {
  if (headers === null || typeof headers !== 'object') missing('No request headers were given.');
  const header = headerReader(headers);
  if (scheme === 'standard') return standardCheck(body, header, secret);
  if (scheme === 'real-id') return realIdCheck(body, header, secret, 'The X-Real-ID-Signature header is missing.');
  if (header('webhook-signature')) return standardCheck(body, header, secret);
  return realIdCheck(body, header, secret, 'Neither webhook-signature nor X-Real-ID-Signature is present: this request was not signed by Real ID.');
}

function epochSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000);
}

/**
 * The event, once `mac` (the HMAC of `check.message` under `check.key`) matches a candidate and the
 * timestamp is fresh. The signature is checked first so that every later reason describes a
 * request that Real ID really sent.
 */
export function acceptSignedEvent(check: SignatureCheck, mac: Uint8Array, body: Uint8Array, options: VerifyOptions): RealIdEvent {
  const matched = check.candidates.reduce((found, candidate) => constantTimeEqual(candidate, mac) || found, false);
  if (!matched) {
    const header = check.scheme === 'standard' ? 'webhook-signature' : 'X-Real-ID-Signature';
    throw new WebhookVerificationError('bad_signature', `No ${header} signature matches this body and secret: check the secret, and that the body is the raw bytes received.`);
  }
  if (check.timestamp !== undefined) {
    const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    const age = epochSeconds(options.now) - check.timestamp;
    if (age > tolerance) throw new WebhookVerificationError('timestamp_too_old', `The webhook was signed ${age} s ago, more than the ${tolerance} s tolerance (a replay, or a clock that is off).`);
    if (-age > tolerance) throw new WebhookVerificationError('timestamp_in_future', `The webhook is signed ${-age} s in the future, more than the ${tolerance} s tolerance (check this server's clock).`);
  }
  const text = utf8Text(body);
  if (text === null) throw new WebhookVerificationError('malformed_payload', 'The body is not valid UTF-8.');
  return parseEvent(text);
}
