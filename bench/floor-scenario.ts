import type { Dialect } from '../src/db/database.js';
import type { BenchContext } from './bench-context.js';
import { peakRssMb, startChild } from './child.js';
import { keepProfile, readMainThreadProfile, summariseProfile } from './cpu-profile.js';
import { measureThroughput, probeAndWarmUp } from './measure.js';
import { databaseFor } from './ours-scenarios.js';
import { RESULTS_DIR } from './report.js';
import { notRun, type ScenarioResult } from './result.js';
import { withRowCosts } from './row-costs.js';

export interface FloorSpec {
  name: string;
  title: string;
  dialect: Dialect;
  /** Drop every index but the primary keys first (see dropSecondaryIndexes). */
  primaryKeysOnly?: boolean;
  endpoints: number;
  events: number;
  batch: number;
  maxMs: number;
}

/**
 * The floor (bench/floor-process.ts): our design's writes and sends, hand-written, measured exactly
 * like our rows on the same database — same receiver, producer loop, batches, bounds and CPU
 * columns (PostgreSQL's server included).
 */
export async function floorScenario(bench: BenchContext, spec: FloorSpec): Promise<ScenarioResult> {
  const profileDir = bench.cpuProf ? bench.tempDir('prof') : null;
  const child = await startChild('floor-process.ts', profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], fromSource: true } : {});
  let result: ScenarioResult | undefined;
  try {
    const db = await databaseFor(bench, spec.dialect);
    const server = spec.dialect === 'postgres' ? await bench.postgres() : null;
    await child.call('start', { db, dataDir: bench.tempDir('floor'), primaryKeysOnly: spec.primaryKeysOnly ?? false });
    const { secret } = await child.call<{ secret: string }>('setup', { receiverUrl: bench.receiver.url, endpoints: spec.endpoints });
    await bench.receiver.verifyWith(secret);
    if (!(await probeAndWarmUp(child, bench.receiver, spec.endpoints, 10_000, bench.warmUpDeliveries))) {
      return notRun(spec.name, spec.title, 'error', 'the floor delivered nothing within 10 s');
    }
    const database = server ? { server, url: db } : null;
    const measured = await withRowCosts([child.pid], database, () => measureThroughput(child, bench.receiver, spec));
    result = { name: spec.name, title: spec.title, ...measured, peakRssMb: await peakRssMb(child.pid) };
    return result;
  } finally {
    await child.stop();
    const found = profileDir ? readMainThreadProfile(profileDir) : null;
    if (found && result) result.profile = summariseProfile(found.profile, keepProfile(found.file, spec.name, RESULTS_DIR));
  }
}
