import { newId } from '../core/ids.js';
import { nextRetryDelay, parseRetryAfter } from '../core/retry-schedule.js';
import type { AttemptsTable, DeliveriesTable } from '../db/schema.js';
import type { AttemptOutcome } from './sender.js';

export interface RetryPolicy {
  retrySchedule: readonly number[];
  retryJitter: number;
  maxRetryAfterMs: number;
}

/** What one attempt changes: the attempt's own record and the delivery's next state. */
export interface AttemptResult {
  delivery: DeliveriesTable;
  attempt: AttemptsTable;
  /** The delivery's new state, keyed by its id. */
  update: Pick<DeliveriesTable, 'id' | 'status' | 'attempt_count' | 'next_attempt_at' | 'last_attempt_at' | 'last_status_code' | 'last_error' | 'finished_at' | 'updated_at'>;
}

/**
 * Success (2xx) finishes the delivery; a failure schedules the next retry, or gives up after the
 * last one. `Retry-After` counts only on 429 and 503, where it means "come back later".
 */
export function attemptResult(
  delivery: DeliveriesTable,
  outcome: AttemptOutcome,
  request: { url: string; headers: Record<string, string> },
  policy: RetryPolicy,
  now = Date.now(),
): AttemptResult {
  const attemptCount = delivery.attempt_count + 1;
  const attempt: AttemptsTable = {
    id: newId('atmpt', outcome.startedAt),
    delivery_id: delivery.id,
    account_id: delivery.account_id,
    endpoint_id: delivery.endpoint_id,
    attempt_number: attemptCount,
    trigger: delivery.next_trigger === 'manual' ? 'manual' : 'scheduled',
    url: request.url,
    started_at: outcome.startedAt,
    duration_ms: outcome.durationMs,
    succeeded: outcome.succeeded ? 1 : 0,
    status_code: outcome.statusCode,
    error_kind: outcome.errorKind,
    error_message: outcome.errorMessage,
    // As sent, signatures included; an attempt that never got as far as signing records what it would have sent unsigned.
    request_headers: outcome.requestHeadersJson ?? JSON.stringify(request.headers),
    response_headers: outcome.responseHeadersJson,
    response_body: outcome.responseBody,
  };
  // One object per outcome, written out in full: this runs once per delivery, and spreading a
  // shared part into each was garbage the hot path paid for.
  if (outcome.succeeded) {
    return {
      delivery, attempt, update: {
        id: delivery.id, status: 'succeeded', attempt_count: attemptCount, next_attempt_at: now, last_attempt_at: outcome.startedAt,
        last_status_code: outcome.statusCode, last_error: null, finished_at: now, updated_at: now,
      },
    };
  }
  const honoursRetryAfter = outcome.statusCode === 429 || outcome.statusCode === 503;
  const delay = nextRetryDelay({
    failedAttempts: attemptCount - (delivery.retry_base ?? 0),
    schedule: policy.retrySchedule,
    jitter: policy.retryJitter,
    retryAfterMs: honoursRetryAfter ? parseRetryAfter(outcome.retryAfter, now, policy.maxRetryAfterMs) : null,
  });
  const lastError = `${outcome.errorKind ?? 'other'}: ${outcome.errorMessage ?? ''}`.slice(0, 500);
  const gaveUp = delay === null;
  return {
    delivery, attempt, update: {
      id: delivery.id, status: gaveUp ? 'failed' : 'pending', attempt_count: attemptCount, next_attempt_at: gaveUp ? now : now + delay,
      last_attempt_at: outcome.startedAt, last_status_code: outcome.statusCode, last_error: lastError, finished_at: gaveUp ? now : null, updated_at: now,
    },
  };
}
