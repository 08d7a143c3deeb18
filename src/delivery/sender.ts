import { addSignatureHeaders } from '../core/signing.js';
import type { ErrorKind } from './error-kind.js';
import { classifyError } from './error-kind.js';
import { abortError, AttemptSignal } from './attempt-deadlines.js';
import { AttemptHandler } from './attempt-handler.js';
import { assertResolvesAllowed, type CheckedUrl, type Egress } from './egress.js';

export { RESPONSE_BODY_LIMIT } from './attempt-handler.js';

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
   * AttemptDeadlines); without one, the attempt keeps its own timeout.
   */
  signal?: AttemptSignal;
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
  /**
   * The attempt never started: it waited in its endpoint's lane until the worker stopped or its
   * lease grew too short. Nothing reached the receiver, so the worker hands the delivery back
   * instead of recording an attempt.
   */
  notStarted: boolean;
}

/** An attempt that failed before a response: its sender went away, perhaps mid-request. It counts as an attempt (and is retried). */
export function unsentOutcome(errorMessage: string, startedAt = Date.now()): AttemptOutcome {
  return {
    succeeded: false, requestHeadersJson: null, statusCode: null, responseHeadersJson: null, responseBody: null, errorKind: 'other', errorMessage,
    startedAt, durationMs: 0, retryAfter: null, notStarted: false,
  };
}

/** An attempt that never started, so nothing was sent (see AttemptOutcome.notStarted). */
export function notStartedOutcome(errorMessage: string, startedAt = Date.now()): AttemptOutcome {
  return { ...unsentOutcome(errorMessage, startedAt), notStarted: true };
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
  const failed = (error: unknown): AttemptOutcome => {
    const kind = classifyError(error);
    const message = kind === 'timeout' ? `no response within ${webhook.timeoutMs} ms` : (error as Error).message || String(error);
    return {
      succeeded: false, requestHeadersJson, statusCode: null, responseHeadersJson: null, responseBody: null, errorKind: kind, errorMessage: message.slice(0, 1000),
      startedAt, durationMs: Math.round(performance.now() - started), retryAfter: null, notStarted: false,
    };
  };
  let headers: Record<string, string>;
  let target: CheckedUrl;
  try {
    const { sign } = webhook;
    // Object.assign, not a spread: V8 gives `{ ...headers }` a shape that the four signature
    // headers added to it then leave the fast path for, and the copy cost 8–10 µs a delivery
    // instead of a fraction of one (bench/sender-cost.ts shows it: step 47 in docs/benchmarks.md).
    headers = sign
      ? addSignatureHeaders(Object.assign({}, webhook.headers), { eventId: sign.eventId, timestampSeconds: Math.floor(startedAt / 1000), body: webhook.body, secrets: sign.secrets })
      : webhook.headers;
    requestHeadersJson = JSON.stringify(headers);
    target = egress.checkedUrl(webhook.url);
    if (egress.viaProxy) await assertResolvesAllowed(target.url, egress.allowed);
  } catch (error) {
    return failed(error);
  }
  // Without a deadline from the worker (tests, one-off sends), the attempt keeps its own.
  const signal = webhook.signal ?? new AttemptSignal();
  const timer = webhook.signal ? null : setTimeout(() => signal.abort(abortError('TimeoutError', `no response within ${webhook.timeoutMs} ms`)), webhook.timeoutMs);
  return new Promise<AttemptOutcome>((resolve) => {
    const handler = new AttemptHandler(signal, (response, error) => {
      if (timer) clearTimeout(timer);
      if (error) return resolve(failed(error));
      const statusCode = response.statusCode!;
      const succeeded = statusCode >= 200 && statusCode < 300;
      resolve({
        succeeded, requestHeadersJson, statusCode, responseHeadersJson: response.responseHeadersJson, responseBody: response.body(),
        errorKind: succeeded ? null : 'http_error',
        errorMessage: succeeded ? null : `the receiver answered HTTP ${statusCode}${statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : ''}`,
        startedAt, durationMs: Math.round(performance.now() - started), retryAfter: response.retryAfter, notStarted: false,
      });
    });
    try {
      egress.dispatcherFor(target.origin).dispatch({
        origin: target.origin, path: target.path, method: 'POST', headers, body: webhook.body,
        headersTimeout: webhook.timeoutMs, bodyTimeout: webhook.timeoutMs,
      }, handler);
    } catch (error) {
      handler.onResponseError(null, error as Error);
    }
  });
}
