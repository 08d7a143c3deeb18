import type { HostilePlan } from './scenario-hostile.js';
import type { KillPlan } from './scenario-kill.js';
import type { PostgresRestartPlan } from './scenario-postgres-restart.js';
import type { SoakPlan } from './scenario-soak.js';

/**
 * How hard and how long each scenario runs. `full` is `npm run chaos` (28 minutes on a busy
 * 2-core machine: the 10-minute soak, and 20 restarts that took ~27 s each at a load average of
 * 17); `quick` is `npm run chaos -- --quick` and what tests/integration/chaos-*.test.ts run.
 */
export interface ChaosPlans {
  kill: Omit<KillPlan, 'postgresUrl'>;
  postgresRestart: PostgresRestartPlan;
  hostile: HostilePlan;
  soak: SoakPlan;
}

export const FULL_PLANS: ChaosPlans = {
  kill: { kills: 10, gapMs: [1000, 6000], ratePerSecond: 30, tailMs: 5000, drainTimeoutMs: 60_000 },
  postgresRestart: { outages: 3, downMs: 5000, gapMs: 10_000, ratePerSecond: 30, drainTimeoutMs: 60_000 },
  hostile: { ratePerSecond: 6, warmupMs: 5000, baselineMs: 20_000, hostileMs: 30_000, sample: 20, settleTimeoutMs: 60_000 },
  soak: { durationMs: 10 * 60_000, sampleEveryMs: 5000, ratePerSecond: 30, drainTimeoutMs: 60_000 },
};

export const QUICK_PLANS: ChaosPlans = {
  kill: { kills: 2, gapMs: [1000, 3000], ratePerSecond: 20, tailMs: 2000, drainTimeoutMs: 30_000 },
  postgresRestart: { outages: 1, downMs: 3000, gapMs: 5000, ratePerSecond: 20, drainTimeoutMs: 30_000 },
  hostile: { ratePerSecond: 8, warmupMs: 3000, baselineMs: 5000, hostileMs: 8000, sample: 5, settleTimeoutMs: 40_000 },
  soak: { durationMs: 20_000, sampleEveryMs: 2000, ratePerSecond: 20, drainTimeoutMs: 30_000 },
};
