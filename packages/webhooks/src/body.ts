import { WebhookVerificationError } from './errors.js';
import { utf8Bytes } from './encoding.js';

/** The request body exactly as it arrived: the signature covers these bytes and no others. */
export type RawBody = string | Uint8Array | ArrayBuffer;

const HOW_TO_GET_THE_RAW_BODY =
  'Pass the raw request body (string, Buffer or Uint8Array): the signature covers the exact bytes sent, ' +
  'and JSON.stringify of a parsed body does not reproduce them. ' +
  "Express: app.post(path, express.raw({ type: 'application/json' }), …) and pass req.body; " +
  "Fastify: a content-type parser with parseAs: 'buffer'; Hono/Next.js: await request.text().";

/** The body's bytes, or `body_not_raw` when a body parser already turned it into an object. */
export function rawBodyBytes(body: unknown): Uint8Array {
  if (typeof body === 'string') return utf8Bytes(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body === undefined || body === null) {
    throw new WebhookVerificationError('body_not_raw', `The request body is ${body}; did a body parser consume it? ${HOW_TO_GET_THE_RAW_BODY}`);
  }
  throw new WebhookVerificationError('body_not_raw', `The request body was given as a parsed ${Array.isArray(body) ? 'array' : typeof body}. ${HOW_TO_GET_THE_RAW_BODY}`);
}
