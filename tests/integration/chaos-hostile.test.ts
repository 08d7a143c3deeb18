import { describe, expect, it } from 'vitest';
import { QUICK_PLANS } from '../../bench/chaos/plans.js';
import { runHostileScenario } from '../../bench/chaos/scenario-hostile.js';

/**
 * The short version of `npm run chaos`'s hostile-receiver scenario: seven endpoints that fail in
 * seven ways (random 5xx, hang, reset, slow drip, huge body, redirect, 429 + Retry-After) beside
 * a healthy one, all on loopback, against the real `realid start` process.
 */
describe('hostile receivers beside a healthy one', () => {
  it('handles each failure as documented, keeps the retry schedule, and leaves the healthy endpoint unaffected', async () => {
    const result = await runHostileScenario(QUICK_PLANS.hostile);

    for (const endpoint of result.endpoints) {
      expect(endpoint.deliveries, endpoint.behaviour).toBeGreaterThan(0);
      expect(endpoint.open, `${endpoint.behaviour}: deliveries left open`).toBe(0);
      expect(endpoint.gaps.early, `${endpoint.behaviour}: retries sooner than the schedule`).toBe(0);
      expect(endpoint.asExpected, `${endpoint.behaviour}: ${endpoint.expected}; saw ${JSON.stringify(endpoint)}`).toBe(true);
    }
    expect(result.endpoints.map((e) => e.behaviour).sort()).toEqual(['huge-body', 'hang', 'random-5xx', 'redirect', 'reset', 'retry-after', 'slow-drip'].sort());
    // The 429's Retry-After pushed its retry out past the 100 ms the schedule alone would wait.
    expect(result.endpoints.find((e) => e.behaviour === 'retry-after')!.gaps.gaps).toBeGreaterThan(0);
    expect(result.followedRedirects).toBe(0);
    expect(result.openAtEnd).toBe(0);
    expect(result.healthy.lost).toBe(0);
    expect(result.healthy.withHostile.p50, `healthy p50 ${result.healthy.baseline.p50} ms alone`).toBeLessThanOrEqual(
      Math.max(result.healthy.baseline.p50! * 2, result.healthy.baseline.p50! + 100));
    expect(result.passed).toBe(true);
  }, 180_000);
});
