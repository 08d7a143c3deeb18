import type { BenchContext } from './bench-context.js';
import { cpuPerDelivery, peakRssMb, startChild, totalCpuTimeMs } from './child.js';
import { keepProfile, readMainThreadProfile, summariseProfile } from './cpu-profile.js';
import { measureThroughput, probeDelivery } from './measure.js';
import { databaseFor } from './ours-scenarios.js';
import { RESULTS_DIR } from './report.js';
import { notRun, type ScenarioResult } from './result.js';

export interface FloorSpec { name: string; title: string; endpoints: number; events: number; batch: number; maxMs: number }

/**
 * The floor (bench/floor-process.ts): our SQLite design's writes and sends, hand-written, measured
 * exactly like "Ours: SQLite, one process" — same receiver, producer loop, batches and bounds.
 */
export async function floorScenario(bench: BenchContext, spec: FloorSpec): Promise<ScenarioResult> {
  const profileDir = bench.cpuProf ? bench.tempDir('prof') : null;
  const child = await startChild('floor-process.ts', profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], fromSource: true } : {});
  let result: ScenarioResult | undefined;
  try {
    await child.call('start', { db: await databaseFor(bench, 'sqlite'), dataDir: bench.tempDir('floor') });
    const { secret } = await child.call<{ secret: string }>('setup', { receiverUrl: bench.receiver.url, endpoints: spec.endpoints });
    await bench.receiver.verifyWith(secret);
    if (!(await probeDelivery(child, bench.receiver, spec.endpoints, 10_000))) {
      return notRun(spec.name, spec.title, 'error', 'the floor delivered nothing within 10 s');
    }
    const cpuBefore = await totalCpuTimeMs([child.pid]);
    const measured = await measureThroughput(child, bench.receiver, spec);
    const cpuUsPerOp = cpuPerDelivery(cpuBefore, await totalCpuTimeMs([child.pid]), measured.deliveries);
    result = { name: spec.name, title: spec.title, ...measured, cpuUsPerOp, peakRssMb: await peakRssMb(child.pid) };
    return result;
  } finally {
    await child.stop();
    const found = profileDir ? readMainThreadProfile(profileDir) : null;
    if (found && result) result.profile = summariseProfile(found.profile, keepProfile(found.file, spec.name, RESULTS_DIR));
  }
}
