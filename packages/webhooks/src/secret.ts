import { WebhookVerificationError } from './errors.js';
import { fromBase64, utf8Bytes } from './encoding.js';

const SECRET_PREFIX = 'whsec_';

function requireSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret === '') {
    throw new WebhookVerificationError('invalid_secret', 'The signing secret is empty or not a string; copy it from Settings › DevTools (it starts with "whsec_").');
  }
  // Secrets never contain whitespace; a stray newline from a .env file or a copy-paste would
  // otherwise surface as a puzzling bad_signature on every request.
  if (/\s/.test(secret)) throw new WebhookVerificationError('invalid_secret', 'The signing secret contains whitespace (a trailing newline from a .env file?); remove it.');
  return secret;
}

/** `X-Real-ID-Signature` is keyed by the UTF-8 bytes of the whole secret string, prefix included (the seed's recipes). */
export function realIdKey(secret: unknown): Uint8Array {
  return utf8Bytes(requireSecret(secret));
}

/** Standard Webhooks key the HMAC with the base64-decoded part after `whsec_` (the prefix is optional, as in their libraries). */
export function standardKey(secret: unknown): Uint8Array {
  const text = requireSecret(secret);
  const key = fromBase64(text.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : text);
  if (!key || key.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'The signing secret is not "whsec_" followed by base64; copy it again from Settings › DevTools.');
  }
  return key;
}
