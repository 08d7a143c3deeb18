import { addSignatureHeaders } from '../core/signing.js';
import type { ErrorKind } from './error-kind.js';
import { classifyError } from './error-kind.js';
import type { AttemptSignal } from './attempt-deadlines.js';
import { assertResolvesAllowed, type Egress } from './egress.js';

/** The first 20 kB of a response body are kept; the rest is not even read. */
export const RESPONSE_BODY_LIMIT = 20 * 1024;

export interface OutgoingWebhook {
  url: string;
  /** Sent as they are; the signature headers are added at the moment the attempt starts (see `sign`). */
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /**
   * Signs the request when it starts, so its timestamp is the moment it was sent even if it
   * waited behind its endpoint's other attempts (a receiver checks it against its clock), and the
   * HMACs run where the request is made: on the sending thread, not the worker's.
   */
  sign?: { eventId: string; secrets: readonly string[] };
  /**
   * Ends the attempt: the worker passes one that fires at the timeout or when it stops (see
   * AttemptDeadlines); without one, the attempt makes its own timeout signal.
   */
  signal?: AbortSignal | AttemptSignal;
}

export interface AttemptOutcome {
  succeeded: boolean;
  /** The request's headers as sent, signatures included (JSON); null when it failed before it was signed. */
  requestHeadersJson: string | null;
  statusCode: number | null;
  /**
   * The response's headers as the attempt records them (a JSON object of strings), made where the
   * request ran: on the sending thread one string crosses to the worker, not an object of many.
   */
  responseHeadersJson: string | null;
  responseBody: string | null;
  errorKind: ErrorKind | null;
  errorMessage: string | null;
  startedAt: number;
  durationMs: number;
  retryAfter: string | null;
}

// PostgreSQL text cannot hold NUL; a receiver's binary error page should not break the log.
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text);

type ResponseBody = AsyncIterable<Buffer> & { destroy(): void; dump(): Promise<void>; text(): Promise<string> };

/**
 * The first 20 kB of the response body. Most receivers answer with an empty or short body and say
 * how long it is: those are read in one go (no stream iteration, about a tenth of the send path
 * before); only a long or unannounced body is read chunk by chunk, and cut off at the limit.
 */
async function readResponseBody(body: ResponseBody, contentLength: string | undefined): Promise<string> {
  const length = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (length === 0) {
    await body.dump();
    return '';
  }
  if (length > 0 && length <= RESPONSE_BODY_LIMIT) return withoutNul(await body.text());
  return readCapped(body);
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return withoutNul(Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8'));
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** An attempt that ended before it reached the receiver (never started, or its sender went away). */
export function unsentOutcome(errorMessage: string, startedAt = Date.now()): AttemptOutcome {
  return {
    succeeded: false, requestHeadersJson: null, statusCode: null, responseHeadersJson: null, responseBody: null, errorKind: 'other', errorMessage,
    startedAt, durationMs: 0, retryAfter: null,
  };
}

/**
 * One attempt: POST the exact body, never follow a redirect (3xx is a failure: a receiver that
 * moved must be updated, not silently followed to wherever it points), success only on 2xx before
 * the timeout. Never throws: every failure comes back as an outcome with its kind.
 */
export async function sendWebhook(egress: Egress, webhook: OutgoingWebhook): Promise<AttemptOutcome> {
  const startedAt = Date.now();
  const started = performance.now();
  let requestHeadersJson: string | null = null;
  const done = (fields: Partial<AttemptOutcome>): AttemptOutcome => ({
    succeeded: false, requestHeadersJson, statusCode: null, responseHeadersJson: null, responseBody: null, errorKind: null, errorMessage: null, retryAfter: null,
    startedAt, durationMs: Math.round(performance.now() - started), ...fields,
  });
  try {
    const { sign } = webhook;
    const headers = sign
      ? addSignatureHeaders({ ...webhook.headers }, { eventId: sign.eventId, timestampSeconds: Math.floor(startedAt / 1000), body: webhook.body, secrets: sign.secrets })
      : webhook.headers;
    requestHeadersJson = JSON.stringify(headers);
    const target = egress.checkedUrl(webhook.url);
    if (egress.viaProxy) await assertResolvesAllowed(target.url, egress.allowed);
    const response = await egress.dispatcherFor(target.origin).request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers,
      body: webhook.body,
      headersTimeout: webhook.timeoutMs,
      bodyTimeout: webhook.timeoutMs,
      signal: webhook.signal ?? AbortSignal.timeout(webhook.timeoutMs),
    });
    const responseHeaders = flatHeaders(response.headers);
    const responseBody = await readResponseBody(response.body, responseHeaders['content-length']);
    const succeeded = response.statusCode >= 200 && response.statusCode < 300;
    return done({
      succeeded, statusCode: response.statusCode, responseHeadersJson: JSON.stringify(responseHeaders), responseBody,
      errorKind: succeeded ? null : 'http_error',
      errorMessage: succeeded ? null : `the receiver answered HTTP ${response.statusCode}${response.statusCode >= 300 && response.statusCode < 400 ? ' (redirects are not followed)' : ''}`,
      retryAfter: responseHeaders['retry-after'] ?? null,
    });
  } catch (error) {
    const kind = classifyError(error);
    const message = kind === 'timeout' ? `no response within ${webhook.timeoutMs} ms` : (error as Error).message || String(error);
    return done({ errorKind: kind, errorMessage: message.slice(0, 1000) });
  }
}
