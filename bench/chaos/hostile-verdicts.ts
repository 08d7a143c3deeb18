import { CHAOS_ATTEMPT_TIMEOUT_MS, CHAOS_RETRY_JITTER, CHAOS_RETRY_SCHEDULE_MS } from './deployment.js';
import type { DeliveryDetail, DeliverySummary } from './delivery-log.js';
import { DRIP_MS, HUGE_BODY_BYTES, RETRY_AFTER_SECONDS, type Behaviour } from './receivers.js';
import { checkRetryGaps, type GapCheck } from './retry-gaps.js';

/** What the delivery log shows for one hostile endpoint, and whether that is what should happen. */
export interface EndpointVerdict {
  behaviour: Behaviour;
  deliveries: number;
  succeeded: number;
  failed: number;
  /** Still pending or being sent when the scenario ended: a stalled retry shows here. */
  open: number;
  /** Attempts read in detail (a sample of the deliveries), by error kind (`ok` for success). */
  attemptKinds: Record<string, number>;
  gaps: GapCheck;
  /** The longest single attempt, in ms: a hang or a drip must be cut at the attempt timeout. */
  longestAttemptMs: number;
  /** The largest response body the log kept, in bytes (the engine keeps the first 20 kB). */
  largestKeptBodyBytes: number;
  expected: string;
  asExpected: boolean;
}

const ATTEMPTS_WHEN_GIVING_UP = CHAOS_RETRY_SCHEDULE_MS.length + 1;
/**
 * An attempt may overrun its timeout by the service's event-loop delay on a loaded machine
 * (1 s seen at a load average of 15 on 2 cores), but a cut attempt stays far below the 5 s drip.
 */
const TIMEOUT_SLACK_MS = 1500;

interface Observed extends Omit<EndpointVerdict, 'expected' | 'asExpected' | 'behaviour'> {
  attemptCounts: number[];
  statusCodes: Set<number>;
}

const sawKind = (o: Observed, kind: string) => (o.attemptKinds[kind] ?? 0) > 0;
const onlyKinds = (o: Observed, kinds: string[]) => Object.keys(o.attemptKinds).every((kind) => kinds.includes(kind));
const gaveUpOnAll = (o: Observed) => o.failed === o.deliveries && o.attemptCounts.every((n) => n === ATTEMPTS_WHEN_GIVING_UP);
const cutAtTimeout = (o: Observed) => o.longestAttemptMs <= CHAOS_ATTEMPT_TIMEOUT_MS + TIMEOUT_SLACK_MS;
const onlyStatus = (o: Observed, code: number) => o.statusCodes.has(code) && o.statusCodes.size === 1;

/**
 * What each failure must look like in the log. On a loaded machine an attempt to a receiver that
 * answers at once can still time out now and then (the service's own event loop is late), so
 * these ask for the failure's own mark, not for the absence of every other kind.
 */
const EXPECTATIONS: Record<Exclude<Behaviour, 'healthy'>, { expected: string; holds(o: Observed): boolean }> = {
  'random-5xx': {
    expected: 'retried on the schedule until a 2xx',
    holds: (o) => o.succeeded > 0 && sawKind(o, 'http_error'),
  },
  hang: {
    expected: `every attempt cut at the ${CHAOS_ATTEMPT_TIMEOUT_MS} ms timeout; given up after ${ATTEMPTS_WHEN_GIVING_UP} attempts`,
    holds: (o) => gaveUpOnAll(o) && onlyKinds(o, ['timeout']) && cutAtTimeout(o),
  },
  reset: {
    expected: `reset recorded; given up after ${ATTEMPTS_WHEN_GIVING_UP} attempts`,
    holds: (o) => gaveUpOnAll(o) && sawKind(o, 'reset'),
  },
  'slow-drip': {
    expected: `a 200 whose body takes ${DRIP_MS / 1000} s is cut at the ${CHAOS_ATTEMPT_TIMEOUT_MS} ms timeout, never a success`,
    holds: (o) => gaveUpOnAll(o) && onlyKinds(o, ['timeout']) && cutAtTimeout(o),
  },
  'huge-body': {
    expected: `succeeds; only the first 20 kB of the ${HUGE_BODY_BYTES / 1024 ** 2} MB body are read and kept`,
    holds: (o) => o.succeeded === o.deliveries && o.largestKeptBodyBytes <= 20 * 1024 && cutAtTimeout(o),
  },
  redirect: {
    expected: `307 is a failure, never followed; given up after ${ATTEMPTS_WHEN_GIVING_UP} attempts`,
    holds: (o) => gaveUpOnAll(o) && onlyStatus(o, 307),
  },
  'retry-after': {
    expected: `429 Retry-After: ${RETRY_AFTER_SECONDS} is honoured (the retry waits ≥ ${RETRY_AFTER_SECONDS} s), then succeeds`,
    holds: (o) => o.succeeded === o.deliveries && onlyStatus(o, 429),
  },
};

/** Reads one endpoint's deliveries and the sampled details into a verdict. */
export function judgeEndpoint(behaviour: Exclude<Behaviour, 'healthy'>, deliveries: DeliverySummary[], sampled: DeliveryDetail[]): EndpointVerdict {
  const retryAfterMs = (attempt: { response: { status: number } | null }) => (attempt.response?.status === 429 ? RETRY_AFTER_SECONDS * 1000 : 0);
  const observed: Observed = {
    deliveries: deliveries.length,
    succeeded: deliveries.filter((d) => d.status === 'succeeded').length,
    failed: deliveries.filter((d) => d.status === 'failed').length,
    open: deliveries.filter((d) => d.status === 'pending' || d.status === 'sending').length,
    attemptKinds: {},
    gaps: { gaps: 0, early: 0, maxLateMs: 0 },
    longestAttemptMs: 0,
    largestKeptBodyBytes: 0,
    attemptCounts: deliveries.map((d) => d.attempt_count),
    statusCodes: new Set(),
  };
  for (const detail of sampled) {
    for (const attempt of detail.attempts) {
      const kind = attempt.succeeded ? 'ok' : attempt.error_kind ?? 'other';
      observed.attemptKinds[kind] = (observed.attemptKinds[kind] ?? 0) + 1;
      observed.longestAttemptMs = Math.max(observed.longestAttemptMs, attempt.duration_ms);
      observed.largestKeptBodyBytes = Math.max(observed.largestKeptBodyBytes, Buffer.byteLength(attempt.response?.body ?? ''));
      if (attempt.response && !attempt.succeeded) observed.statusCodes.add(attempt.response.status);
    }
    const gaps = checkRetryGaps(detail.attempts, CHAOS_RETRY_SCHEDULE_MS, CHAOS_RETRY_JITTER, retryAfterMs);
    observed.gaps = { gaps: observed.gaps.gaps + gaps.gaps, early: observed.gaps.early + gaps.early, maxLateMs: Math.max(observed.gaps.maxLateMs, gaps.maxLateMs) };
  }
  const { expected, holds } = EXPECTATIONS[behaviour];
  const { attemptCounts: _counts, statusCodes: _codes, ...verdict } = observed;
  return { behaviour, ...verdict, expected, asExpected: observed.open === 0 && observed.gaps.early === 0 && holds(observed) };
}
