import { execFileSync } from 'node:child_process';
import { generateWebhookSecret } from '../src/core/webhook-secret.js';
import type { BenchContext } from './bench-context.js';
import { peakRssMb, startChild, type Child } from './child.js';
import { measureAtRate, measureThroughput, probeAndWarmUp } from './measure.js';
import { notRun, type ScenarioResult } from './result.js';
import { withRowCosts } from './row-costs.js';

/** pg-boss's worker tuning for the baseline: batch fetches, several polling loops (see pgboss-process.ts). */
// A loop waits for its whole batch, then polls again (at once when the batch took 0.4 s or more):
// 8 loops × 100 jobs keeps far more in flight than the 16 connections, so the poll interval, not
// the tuning, is what bounds the peer.
const WORKER_LOOPS = 8;
const BATCH_SIZE = 100;

export interface PeerSpec {
  name: string;
  title: string;
  endpoints: number;
  /**
   * Throughput: events in transactions of `batch`, then `drainMs` for the deliveries to arrive
   * (pg-boss polls, so it needs longer than our rows' default to finish the same load); or
   * latency: a fixed `rate` for `durationMs`.
   */
  load: { events: number; batch: number; maxMs: number; drainMs: number } | { rate: number; durationMs: number; drainMs: number };
}

/**
 * The peer baseline on the run's PostgreSQL: a producer process inserting jobs and one worker
 * process delivering them — the same layout as our "PostgreSQL, 1 worker" row.
 */
export async function pgBossScenario(bench: BenchContext, spec: PeerSpec): Promise<ScenarioResult> {
  const server = await bench.postgres();
  const db = await server.freshDatabase();
  const secret = generateWebhookSecret();
  const children: Child[] = [];
  try {
    const producer = await startChild('pgboss-process.ts');
    children.push(producer);
    await producer.call('start', { db, role: 'producer', secret });
    await producer.call('setup', { receiverUrl: bench.receiver.url, endpoints: spec.endpoints });
    const worker = await startChild('pgboss-process.ts');
    children.push(worker);
    await worker.call('start', { db, role: 'worker', secret, loops: WORKER_LOOPS, batchSize: BATCH_SIZE });
    await bench.receiver.verifyWith(secret);
    if (!(await probeAndWarmUp(producer, bench.receiver, spec.endpoints, 10_000, bench.warmUpDeliveries))) {
      return notRun(spec.name, spec.title, 'error', 'pg-boss delivered nothing within 10 s');
    }
    const load = spec.load;
    const measured = await withRowCosts([producer.pid, worker.pid], { server, url: db }, async () => ('rate' in load
      ? { ...(await measureAtRate(producer, bench.receiver, load)), offeredRate: load.rate }
      : measureThroughput(producer, bench.receiver, { endpoints: spec.endpoints, ...load })));
    const tuning = `pg-boss ${WORKER_LOOPS} loops × batch ${BATCH_SIZE}, 0.5 s polling`;
    return { name: spec.name, title: spec.title, ...measured, note: `${measured.note}; ${tuning}`, peakRssMb: await peakRssMb(worker.pid) };
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

/** BullMQ needs a Redis server; the baseline runs only where Debian's redis-server is installed. */
export function bullMqScenario(): ScenarioResult {
  let found = false;
  try {
    execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
    found = true;
  } catch { /* not installed */ }
  return notRun('peer-bullmq', 'Peer: BullMQ on Redis', 'skipped', found
    ? 'redis-server is installed but the BullMQ baseline is not wired in yet (npm install bullmq)'
    : 'redis-server is not installed on this machine, so there is no Redis to run BullMQ on');
}
