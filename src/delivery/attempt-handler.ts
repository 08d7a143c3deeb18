import type { Dispatcher } from 'undici';
import type { AttemptSignal } from './attempt-deadlines.js';

/** The first 20 kB of a response body are kept; the rest is not even read. */
export const RESPONSE_BODY_LIMIT = 20 * 1024;

type Controller = Dispatcher.DispatchController;

/** Ended on purpose once the body limit is reached (the connection is closed, as for any cut-short response). */
const BODY_LIMIT_REACHED = new Error('response body limit reached');

/** A header as one string: a repeated header's values joined, as HTTP allows. */
const headerText = (value: string | string[]): string => (Array.isArray(value) ? value.join(', ') : value);

function headersJson(headers: Record<string, string | string[] | undefined>): string {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = headerText(value);
  }
  return JSON.stringify(flat);
}

/**
 * What one attempt's response was, collected straight from undici's dispatch callbacks: status,
 * headers as the attempt records them, and the first 20 kB of the body. `request()` would wrap
 * every response in a readable stream and a response object only for us to read them back; at a
 * few thousand deliveries a second those were a tenth of the sending thread's time and much of
 * its garbage. `onEnd` is called exactly once, with the error if the attempt failed.
 */
export class AttemptHandler implements Dispatcher.DispatchHandler {
  statusCode: number | null = null;
  responseHeadersJson: string | null = null;
  retryAfter: string | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;

  constructor(
    private readonly signal: AttemptSignal,
    private readonly onEnd: (handler: AttemptHandler, error: Error | null) => void,
  ) {}

  onRequestStart(controller: Controller): void {
    // Aborted while waiting for a connection: this aborts it at once.
    this.signal.listen((reason) => controller.abort(reason));
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.statusCode = statusCode;
    this.responseHeadersJson = headersJson(headers);
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined) this.retryAfter = headerText(retryAfter);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Past the limit (not at it: a body of exactly the limit ends on its own and keeps its connection).
    if (this.size > RESPONSE_BODY_LIMIT) {
      this.end(null);
      controller.abort(BODY_LIMIT_REACHED);
    }
  }

  onResponseEnd(): void {
    this.end(null);
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    this.end(error);
  }

  /** The body read, cut at the limit; NUL replaced, since PostgreSQL text cannot hold it. */
  body(): string {
    const { chunks } = this;
    if (chunks.length === 0) return '';
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8', 0, Math.min(this.size, RESPONSE_BODY_LIMIT));
    return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
  }

  private end(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.signal.unlisten();
    this.onEnd(this, error);
  }
}
