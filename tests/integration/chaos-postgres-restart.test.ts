import { describe, expect, it } from 'vitest';
import { QUICK_PLANS } from '../../bench/chaos/plans.js';
import { runPostgresRestartScenario } from '../../bench/chaos/scenario-postgres-restart.js';

/**
 * The short version of `npm run chaos`'s PostgreSQL scenario: the database is stopped for a few
 * seconds under load (every session is terminated) and started again while `realid start` runs.
 */
describe('PostgreSQL stopped and restarted under load', () => {
  // One process (what `npm start` runs), and the API and the worker in processes of their own,
  // whose hand-off runs over listening connections the restart cuts.
  it.each([false, true])('rides out the outage (worker in a process of its own: %s): the processes stay up, the workers deliver again, nothing acknowledged is lost', async (separateWorker) => {
    const result = await runPostgresRestartScenario({ ...QUICK_PLANS.postgresRestart, separateWorker });

    expect(result.acknowledged).toBeGreaterThan(10);
    expect(result.separateWorker).toBe(separateWorker);
    expect(result.crashOutput ?? '', 'a service process died while PostgreSQL was down').toBe('');
    expect(result.serviceCrashed).toBe(false);
    expect(result.acknowledgedButMissing).toBe(0);
    expect(result.lost).toBe(0);
    // Events made after the restart were delivered: the workers reconnected.
    expect(result.latencyAfterMs).not.toBeNull();
    expect(result.recoveryMs).not.toBeNull();
  }, 180_000);
});
