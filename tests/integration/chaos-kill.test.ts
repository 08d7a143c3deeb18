import { describe, expect, it } from 'vitest';
import { QUICK_PLANS } from '../../bench/chaos/plans.js';
import { runKillScenario, type KillResult } from '../../bench/chaos/scenario-kill.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';

/** What every kill must leave: nothing acknowledged missing, nothing lost, duplicates only of what was in flight. */
function expectNothingLost(result: KillResult): void {
  expect(result.restartMs).toHaveLength(QUICK_PLANS.kill.kills);
  expect(result.acknowledged).toBeGreaterThan(10);
  // An acknowledged write survived the kill: its event is in the log...
  expect(result.acknowledgedButMissing).toBe(0);
  // ...and every event in the log reached the receiver, correctly signed.
  expect(result.lost).toBe(0);
  expect(result.badSignatures).toBe(0);
  expect(result.duplicates).toBeLessThanOrEqual(result.inFlightAtKills);
  expect(result.passed).toBe(true);
}

/**
 * The short version of `npm run chaos`'s SIGKILL scenario: the real `realid start` process is
 * `kill -9`ed twice at random moments while the API takes checks, and restarted each time.
 */
for (const dialect of DIALECTS) {
  describe(`kill -9 under load on ${dialect}`, () => {
    it('delivers every event the API acknowledged, with no more duplicates than were in flight at the kills', async () => {
      const postgresUrl = dialect === 'postgres' ? await freshDatabase('postgres') : undefined;
      const result = await runKillScenario({ ...QUICK_PLANS.kill, postgresUrl });
      expect(result.killed).toBe('service');
      expectNothingLost(result);
    }, 240_000);
  });
}

/**
 * The same on PostgreSQL with the worker in a process of its own (`--role worker`), killed while
 * the API's process stays up and goes on handing it new deliveries (WorkerDirectory): what it was
 * handed as it died comes back through the leases.
 */
describe('kill -9 of a worker process under load on postgres', () => {
  it('delivers every event the API acknowledged, with no more duplicates than the killed worker held', async () => {
    const result = await runKillScenario({ ...QUICK_PLANS.kill, postgresUrl: await freshDatabase('postgres'), separateWorker: true });
    expect(result.killed).toBe('worker');
    // The API never went down, so every call was answered.
    expect(result.unanswered).toBe(0);
    expectNothingLost(result);
  }, 240_000);
});
