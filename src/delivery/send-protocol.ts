import type { LaneRequest } from './lane-sender.js';
import type { ErrorKind } from './error-kind.js';
import type { AttemptOutcome } from './sender.js';

/**
 * What the delivery worker and its sending thread say to each other (send-thread.ts). Requests
 * and outcomes travel in batches, one message per burst, because a message costs far more than
 * the few fields in it; and each batch is one flat array of values, not an array of objects,
 * because the structured clone writes every property name of every object again: 64 requests
 * cloned (serialised and read back) in 6.6–9.1 µs each as objects and 2.5–2.8 µs flat, 64
 * outcomes in 5.9–8.1 µs against 1.7–2.2 µs (scratch micro-benchmark with v8.serialize, which is
 * what postMessage uses).
 */
export interface SendThreadSettings {
  allowDestinations: readonly string[];
  egressProxy: string | null;
  attemptTimeoutMs: number;
}

/**
 * Requests, REQUEST_WIDTH values each, and the objects they share listed once (the worker gives
 * every attempt the same headers object, and an account's attempts the same secrets array). The
 * requests of a batch have consecutive reply ids, from `firstId`.
 */
export interface RequestBatch {
  firstId: number;
  shared: Array<Record<string, string> | readonly string[]>;
  values: Array<string | number>;
}

/** Outcomes, OUTCOME_WIDTH values each. */
export type OutcomeBatch = Array<string | number | boolean | null>;

export type ToSendThread =
  | { type: 'send'; batch: RequestBatch }
  /** The worker is stopping and gave up waiting: end every attempt still running. */
  | { type: 'abortAll' }
  | { type: 'close' };

/** Outcomes of finished attempts; the thread ends by exiting once closed, which the worker waits for. */
export type FromSendThread = { type: 'outcomes'; batch: OutcomeBatch };

const REQUEST_WIDTH = 9;
const OUTCOME_WIDTH = 12;
const NOT_SIGNED = -1;
const NO_START_BY = -1;

/** The attempts handed to the thread (see LaneSender); their outcomes come back under `firstId`, `firstId + 1`, … */
export function encodeRequests(firstId: number, requests: readonly LaneRequest[]): RequestBatch {
  const shared: RequestBatch['shared'] = [];
  const indexOf = new Map<object, number>();
  const share = (item: Record<string, string> | readonly string[]): number => {
    let index = indexOf.get(item);
    if (index === undefined) {
      index = shared.push(item) - 1;
      indexOf.set(item, index);
    }
    return index;
  };
  const values: RequestBatch['values'] = new Array(requests.length * REQUEST_WIDTH);
  let at = 0;
  for (const request of requests) {
    values[at++] = request.url;
    values[at++] = request.body;
    values[at++] = request.timeoutMs;
    values[at++] = request.lane;
    values[at++] = request.laneLimit;
    values[at++] = share(request.headers);
    values[at++] = request.sign ? request.sign.eventId : '';
    values[at++] = request.sign ? share(request.sign.secrets) : NOT_SIGNED;
    values[at++] = request.startBy ?? NO_START_BY;
  }
  return { firstId, shared, values };
}

export function decodeRequests(batch: RequestBatch, each: (id: number, request: LaneRequest) => void): void {
  const { firstId, shared, values } = batch;
  for (let at = 0, id = firstId; at < values.length; at += REQUEST_WIDTH, id++) {
    const secrets = values[at + 7] as number;
    const startBy = values[at + 8] as number;
    each(id, {
      url: values[at] as string,
      body: values[at + 1] as string,
      timeoutMs: values[at + 2] as number,
      lane: values[at + 3] as string,
      laneLimit: values[at + 4] as number,
      headers: shared[values[at + 5] as number] as Record<string, string>,
      sign: secrets === NOT_SIGNED ? undefined : { eventId: values[at + 6] as string, secrets: shared[secrets] as readonly string[] },
      startBy: startBy === NO_START_BY ? undefined : startBy,
    });
  }
}

/** Appends one outcome to a batch. */
export function encodeOutcome(batch: OutcomeBatch, id: number, outcome: AttemptOutcome): void {
  batch.push(
    id, outcome.succeeded, outcome.requestHeadersJson, outcome.statusCode, outcome.responseHeadersJson, outcome.responseBody,
    outcome.errorKind, outcome.errorMessage, outcome.startedAt, outcome.durationMs, outcome.retryAfter, outcome.notStarted,
  );
}

export function decodeOutcomes(batch: OutcomeBatch, each: (id: number, outcome: AttemptOutcome) => void): void {
  for (let at = 0; at < batch.length; at += OUTCOME_WIDTH) {
    each(batch[at] as number, {
      succeeded: batch[at + 1] as boolean,
      requestHeadersJson: batch[at + 2] as string | null,
      statusCode: batch[at + 3] as number | null,
      responseHeadersJson: batch[at + 4] as string | null,
      responseBody: batch[at + 5] as string | null,
      errorKind: batch[at + 6] as ErrorKind | null,
      errorMessage: batch[at + 7] as string | null,
      startedAt: batch[at + 8] as number,
      durationMs: batch[at + 9] as number,
      retryAfter: batch[at + 10] as string | null,
      notStarted: batch[at + 11] as boolean,
    });
  }
}
