import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRetryDelay, parseRetryAfter } from './retry-schedule.js';

const schedule = [5_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000];

describe('nextRetryDelay', () => {
  it('follows the schedule within the jitter, then gives up after the last retry', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (failed, r) => {
      const delay = nextRetryDelay({ failedAttempts: failed, schedule, jitter: 0.2, random: () => r })!;
      expect(delay).toBeGreaterThanOrEqual(schedule[failed - 1] * 0.8 - 1);
      expect(delay).toBeLessThanOrEqual(schedule[failed - 1] * 1.2 + 1);
    }));
    expect(nextRetryDelay({ failedAttempts: 7, schedule, jitter: 0.2 })).toBeNull();
    expect(nextRetryDelay({ failedAttempts: 1, schedule: [], jitter: 0.2 })).toBeNull();
  });

  it('waits at least as long as the receiver asked with Retry-After', () => {
    expect(nextRetryDelay({ failedAttempts: 1, schedule, jitter: 0, retryAfterMs: 30_000 })).toBe(30_000);
    expect(nextRetryDelay({ failedAttempts: 2, schedule, jitter: 0, retryAfterMs: 30_000 })).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates, bounded', () => {
    expect(parseRetryAfter('120', now, 3_600_000)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now, 3_600_000)).toBe(60_000);
    expect(parseRetryAfter('999999', now, 3_600_000)).toBe(3_600_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now, 3_600_000)).toBe(0);
    expect(parseRetryAfter('soon', now, 3_600_000)).toBeNull();
    expect(parseRetryAfter(undefined, now, 3_600_000)).toBeNull();
  });
});
