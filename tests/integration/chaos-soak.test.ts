import { describe, expect, it } from 'vitest';
import { QUICK_PLANS } from '../../bench/chaos/plans.js';
import { runSoakScenario } from '../../bench/chaos/scenario-soak.js';

/** The short version of `npm run chaos`'s soak: 20 s of steady load, memory and queue sampled. */
describe('bounded soak', () => {
  it('keeps memory and the delivery queue flat under steady load, and delivers everything', async () => {
    const result = await runSoakScenario(QUICK_PLANS.soak);

    expect(result.samples.length).toBeGreaterThanOrEqual(8);
    expect(result.samples.every((s) => s.rssMb !== null && s.rssMb > 0)).toBe(true);
    expect(result.samples.some((s) => s.queueDepth !== null)).toBe(true);
    // Deliveries kept pace with the load the whole time.
    expect(result.samples.at(-1)!.delivered).toBeGreaterThan(result.samples[0]!.delivered);
    expect(result.memoryFlat, JSON.stringify(result.rssMb)).toBe(true);
    expect(result.queueFlat, JSON.stringify(result.queueDepth)).toBe(true);
    expect(result.lost).toBe(0);
    expect(result.passed).toBe(true);
  }, 120_000);
});
