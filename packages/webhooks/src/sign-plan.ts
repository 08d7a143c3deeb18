import { rawBodyBytes, type RawBody } from './body.js';
import { concatBytes, toBase64, toHex, utf8Bytes } from './encoding.js';
import { realIdKey, standardKey } from './secret.js';

export interface SignOptions {
  /** `webhook-id`: the event id, stable across retries (receivers dedupe on it). Default: a random `evt_…`. */
  id?: string;
  /** `webhook-timestamp`: a Date or unix seconds. Default: now. */
  timestamp?: Date | number;
}

/** The headers a Real ID delivery carries, in the lower case that Node and fetch use. */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'x-real-id-signature': string;
};

interface MacJob {
  key: Uint8Array;
  message: Uint8Array;
}

/** Everything to MAC for one delivery; the first secret is the current one, any others are rotated-out secrets still honoured. */
export interface SigningPlan {
  id: string;
  timestamp: number;
  realId: MacJob;
  standard: MacJob[];
}

export function planSigning(rawBody: RawBody, secret: string | readonly string[], options: SignOptions = {}): SigningPlan {
  const body = rawBodyBytes(rawBody);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const id = options.id ?? `evt_${crypto.randomUUID().replaceAll('-', '')}`;
  const when = options.timestamp ?? new Date();
  const timestamp = typeof when === 'number' ? Math.floor(when) : Math.floor(when.getTime() / 1000);
  const standardMessage = concatBytes(utf8Bytes(`${id}.${timestamp}.`), body);
  return {
    id,
    timestamp,
    realId: { key: realIdKey(secrets[0]), message: body },
    standard: secrets.map((each) => ({ key: standardKey(each), message: standardMessage })),
  };
}

export function signatureHeaders(plan: SigningPlan, realIdMac: Uint8Array, standardMacs: Uint8Array[]): WebhookSignatureHeaders {
  return {
    'webhook-id': plan.id,
    'webhook-timestamp': String(plan.timestamp),
    'webhook-signature': standardMacs.map((mac) => `v1,${toBase64(mac)}`).join(' '),
    'x-real-id-signature': toHex(realIdMac),
  };
}
