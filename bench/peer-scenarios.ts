import { generateWebhookSecret } from '../src/core/webhook-secret.js';
import type { BenchContext } from './bench-context.js';
import { peakRssMb, startChild, type Child } from './child.js';
import { measureAtRate, measureThroughput, probeAndWarmUp } from './measure.js';
import { notRun, type ScenarioResult } from './result.js';
import { startBenchRedis, redisServerPath, REDIS_INSTALL_HINT } from './redis.js';
import { withRowCosts, type RowDatabase } from './row-costs.js';

/** pg-boss's worker tuning for the baseline: batch fetches, several polling loops (see pgboss-process.ts). */
// A loop waits for its whole batch, then polls again (at once when the batch took 0.4 s or more):
// 8 loops × 100 jobs keeps far more in flight than the 16 connections, so the poll interval, not
// the tuning, is what bounds the peer.
const WORKER_LOOPS = 8;
const BATCH_SIZE = 100;
/** BullMQ jobs in flight per endpoint: enough to keep its 16 connections busy while jobs move between Redis lists (tuned: see docs/benchmarks.md). */
const BULLMQ_CONCURRENCY = 64;

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

/** How one peer is deployed: its process file, what each role starts with, where its queue lives. */
interface PeerDeployment {
  /** Names the peer in messages ("pg-boss"). */
  label: string;
  file: string;
  startArgs(role: 'producer' | 'worker', secret: string): Record<string, unknown>;
  database: RowDatabase;
  /** How the peer was tuned, added to the row's note. */
  tuning: string;
}

/**
 * A peer baseline: a producer process adding jobs and one worker process delivering them — the
 * same layout as our "PostgreSQL, 1 worker" row — measured like every other row.
 */
async function peerScenario(bench: BenchContext, spec: PeerSpec, peer: PeerDeployment): Promise<ScenarioResult> {
  const secret = generateWebhookSecret();
  const children: Child[] = [];
  try {
    const producer = await startChild(peer.file);
    children.push(producer);
    await producer.call('start', peer.startArgs('producer', secret));
    await producer.call('setup', { receiverUrl: bench.receiver.url, endpoints: spec.endpoints });
    const worker = await startChild(peer.file);
    children.push(worker);
    await worker.call('start', peer.startArgs('worker', secret));
    await bench.receiver.verifyWith(secret);
    if (!(await probeAndWarmUp(producer, bench.receiver, spec.endpoints, 10_000, bench.warmUpDeliveries))) {
      return notRun(spec.name, spec.title, 'error', `${peer.label} delivered nothing within 10 s`);
    }
    const load = spec.load;
    const measured = await withRowCosts([producer.pid, worker.pid], peer.database, async () => ('rate' in load
      ? { ...(await measureAtRate(producer, bench.receiver, load)), offeredRate: load.rate }
      : measureThroughput(producer, bench.receiver, { endpoints: spec.endpoints, ...load })));
    return { name: spec.name, title: spec.title, ...measured, note: `${measured.note}; ${peer.tuning}`, peakRssMb: await peakRssMb(worker.pid) };
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

/** pg-boss on the run's PostgreSQL (pgboss-process.ts), in a fresh database. */
export async function pgBossScenario(bench: BenchContext, spec: PeerSpec): Promise<ScenarioResult> {
  const server = await bench.postgres();
  const db = await server.freshDatabase();
  return peerScenario(bench, spec, {
    label: 'pg-boss', file: 'pgboss-process.ts', database: { server, url: db },
    startArgs: (role, secret) => (role === 'producer' ? { db, role, secret } : { db, role, secret, loops: WORKER_LOOPS, batchSize: BATCH_SIZE }),
    tuning: `pg-boss ${WORKER_LOOPS} loops × batch ${BATCH_SIZE}, 0.5 s polling`,
  });
}

/**
 * BullMQ on a Redis server of its own (bullmq-process.ts, redis.ts), started for the row and
 * stopped after it. Where Debian's redis-server is not installed the row is skipped and says how
 * to add it.
 */
export async function bullMqScenario(bench: BenchContext, spec: PeerSpec): Promise<ScenarioResult> {
  if (!redisServerPath()) {
    return notRun(spec.name, spec.title, 'skipped', `redis-server is not installed on this machine, so there is no Redis to run BullMQ on (${REDIS_INSTALL_HINT} adds this row)`);
  }
  const server = await startBenchRedis();
  const concurrency = BULLMQ_CONCURRENCY * spec.endpoints;
  try {
    return await peerScenario(bench, spec, {
      label: 'BullMQ', file: 'bullmq-process.ts', database: { server },
      startArgs: (role, secret) => ({ redisPort: server.port, role, secret, concurrency }),
      tuning: `BullMQ concurrency ${concurrency}, Redis with appendfsync everysec`,
    });
  } finally {
    await server.stop();
  }
}
