/**
 * When to try a failed delivery again. The schedule (config.delivery.retrySchedule, default
 * 5s, 1m, 10m, 1h, 6h, 24h) is the delay after each failed attempt; jitter (±20% by default)
 * spreads retries so an endpoint that comes back is not hit by every queued delivery at once.
 *
 * @example
 *   nextRetryDelay({ failedAttempts: 1, schedule: [5000, 60000], jitter: 0.2 }) // 4000..6000
 *   nextRetryDelay({ failedAttempts: 3, schedule: [5000, 60000], jitter: 0.2 }) // null: give up
 */
export interface RetryInput {
  /** Attempts made since the schedule last (re)started, the one that just failed included. */
  failedAttempts: number;
  schedule: readonly number[];
  jitter: number;
  /** The receiver's `Retry-After`, already bounded, in ms; it wins over the schedule when longer. */
  retryAfterMs?: number | null;
  random?: () => number;
}

/** Milliseconds to wait before the next attempt, or null when the retries are used up. */
export function nextRetryDelay({ failedAttempts, schedule, jitter, retryAfterMs, random = Math.random }: RetryInput): number | null {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + jitter * (2 * random() - 1)));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * `Retry-After` as seconds or an HTTP date, in ms from `now`, capped at `maxMs` so a receiver
 * cannot park a delivery for a year. Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number, maxMs: number): number | null {
  if (!value) return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), maxMs);
}
