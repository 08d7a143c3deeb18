import type { AttemptView } from './delivery-log.js';

/**
 * Was the retry schedule kept? The engine waits schedule[n] (± jitter), or longer when a 429/503
 * said Retry-After, from the moment attempt n+1 finished. From the delivery log: the gap from one
 * attempt's end (started_at + duration_ms) to the next one's start.
 */
export interface GapCheck {
  gaps: number;
  /** Retries that came sooner than the schedule allows: must be 0. */
  early: number;
  /** The most any retry came after the latest moment the schedule allows, in ms (0 when none was late). */
  maxLateMs: number;
}

/** Timestamps are whole milliseconds on both ends: allow that rounding and no more. */
const ROUNDING_MS = 5;

export function checkRetryGaps(
  attempts: readonly AttemptView[],
  schedule: readonly number[],
  jitter: number,
  retryAfterMsOf: (attempt: AttemptView) => number = () => 0,
): GapCheck {
  const result: GapCheck = { gaps: 0, early: 0, maxLateMs: 0 };
  for (let i = 0; i + 1 < attempts.length; i++) {
    const previous = attempts[i]!;
    const base = schedule[i];
    if (base === undefined) break;
    const gap = Date.parse(attempts[i + 1]!.started_at) - (Date.parse(previous.started_at) + previous.duration_ms);
    const retryAfter = retryAfterMsOf(previous);
    const earliest = Math.max(base * (1 - jitter), retryAfter);
    const latest = Math.max(base * (1 + jitter), retryAfter);
    result.gaps++;
    if (gap < earliest - ROUNDING_MS) result.early++;
    result.maxLateMs = Math.max(result.maxLateMs, Math.round(gap - latest));
  }
  return result;
}
