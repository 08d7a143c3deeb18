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
  update: Pick<DeliveriesTable, 'status' | 'attempt_count' | 'next_attempt_at' | 'last_attempt_at' | 'last_status_code' | 'last_error' | 'finished_at' | 'updated_at'>;
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
    request_headers: JSON.stringify(request.headers),
    response_headers: outcome.responseHeaders ? JSON.stringify(outcome.responseHeaders) : null,
    response_body: outcome.responseBody,
  };
  const common = { attempt_count: attemptCount, last_attempt_at: outcome.startedAt, last_status_code: outcome.statusCode, updated_at: now };
  if (outcome.succeeded) {
    return { delivery, attempt, update: { ...common, status: 'succeeded', next_attempt_at: now, last_error: null, finished_at: now } };
  }
  const honoursRetryAfter = outcome.statusCode === 429 || outcome.statusCode === 503;
  const delay = nextRetryDelay({
    failedAttempts: attemptCount - (delivery.retry_base ?? 0),
    schedule: policy.retrySchedule,
    jitter: policy.retryJitter,
    retryAfterMs: honoursRetryAfter ? parseRetryAfter(outcome.retryAfter, now, policy.maxRetryAfterMs) : null,
  });
  const lastError = `${outcome.errorKind ?? 'other'}: ${outcome.errorMessage ?? ''}`.slice(0, 500);
  if (delay === null) {
    return { delivery, attempt, update: { ...common, status: 'failed', next_attempt_at: now, last_error: lastError, finished_at: now } };
  }
  return { delivery, attempt, update: { ...common, status: 'pending', next_attempt_at: now + delay, last_error: lastError, finished_at: null } };
}
