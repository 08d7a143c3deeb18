import path from 'node:path';
import type { BenchContext } from './bench-context.js';
import { wallClockMs } from './clock.js';
import { measureAtRate, measureThroughput, probeAndWarmUp } from './measure.js';
import { deployOurs, type OursDeployment, type OursLayout } from './ours-deployment.js';
import { notRun, NO_LATENCY, type ScenarioResult, type ThreadSplit } from './result.js';
import { withRowCosts } from './row-costs.js';
import { round } from './stats.js';

export type Dialect = 'sqlite' | 'postgres';

export async function databaseFor(bench: BenchContext, dialect: Dialect): Promise<string> {
  if (dialect === 'postgres') return (await bench.postgres()).freshDatabase();
  return path.join(bench.tempDir('db'), 'realid.db');
}

interface Setup { secret: string }

const probeMs = (bench: BenchContext) => (bench.quick ? 5_000 : 10_000);

function engineMissing(name: string, title: string, deployment: OursDeployment, bench: BenchContext): ScenarioResult {
  const jobs = deployment.jobs.length > 0 ? deployment.jobs.join(', ') : 'none';
  return notRun(name, title, 'unavailable',
    `engine not available: no delivery reached the receiver within ${probeMs(bench) / 1000} s (background jobs registered: ${jobs})`);
}

/**
 * Deploys our service, makes an Enterprise account with `endpoints` endpoints on the receiver,
 * checks that a delivery goes through at all, then hands over to `measure`. Adds peak RSS and,
 * with --cpu-prof, the hot functions; always stops every process it started.
 */
/** Where our CPU went when the row ran in more than one process: the producer's share and each worker's. */
function splitNote(byProcess: ReadonlyArray<number | null> | undefined): string | null {
  if (!byProcess || byProcess.length < 2 || byProcess.some((us) => us === null)) return null;
  const [producer, ...workers] = byProcess as number[];
  return `our CPU per delivery: the producing process ${producer} µs, the worker${workers.length > 1 ? 's' : ''} ${workers.join(' + ')} µs`;
}

/**
 * Where a delivering process's CPU went, by thread (see ScenarioResult.cpuUsPerOpByThread): its
 * main thread, the sending thread (its busiest other thread, unless REALID_SEND_THREAD=off) and
 * the rest — mostly V8's garbage-collection helpers.
 */
function threadNote(split: ThreadSplit | null | undefined, whose: string): string | null {
  if (!split) return null;
  const other = process.env.REALID_SEND_THREAD === 'off' ? 'its busiest other thread' : 'the sending thread';
  return `${whose} by thread: main ${split.main} µs, ${other} ${split.busiestOther} µs, the rest (GC and other helpers) ${split.others} µs`;
}

async function withOurs(
  bench: BenchContext, name: string, title: string, layout: OursLayout, endpoints: number,
  measure: (deployment: OursDeployment) => Promise<Omit<ScenarioResult, 'name' | 'title'>>,
): Promise<ScenarioResult> {
  const deployment = await deployOurs(bench, layout);
  let result: ScenarioResult | undefined;
  try {
    const setup = await deployment.producer.call<Setup>('setup', { receiverUrl: bench.receiver.url, endpoints });
    await bench.receiver.verifyWith(setup.secret);
    if (!(await probeAndWarmUp(deployment.producer, bench.receiver, endpoints, probeMs(bench), bench.warmUpDeliveries))) {
      result = engineMissing(name, title, deployment, bench);
    } else {
      const pids = [...new Set([deployment.producer.pid, ...deployment.deliverers.map((child) => child.pid)])];
      const database = layout.db.startsWith('postgres') ? { server: await bench.postgres(), url: layout.db } : null;
      const measured = await withRowCosts(pids, database, () => measure(deployment));
      result = { name, title, ...measured, peakRssMb: await deployment.peakRssMb() };
      // The delivering process's threads: the one process, or the first worker process.
      const deliverer = pids.indexOf(deployment.deliverers[0]!.pid);
      const notes = [splitNote(measured.cpuUsPerOpByProcess), threadNote(measured.cpuUsPerOpByThread?.[deliverer], pids.length > 1 ? 'the worker' : 'our process')];
      for (const note of notes) if (note) result.note = result.note ? `${result.note}; ${note}` : note;
    }
  } finally {
    const profile = await deployment.stop(name);
    if (profile && result) result.profile = profile;
  }
  return result!;
}

export interface ThroughputSpec {
  name: string;
  title: string;
  dialect: Dialect;
  workerProcesses: number;
  endpoints: number;
  events: number;
  batch: number;
  maxMs: number;
}

export async function oursThroughput(bench: BenchContext, spec: ThroughputSpec): Promise<ScenarioResult> {
  const layout = { db: await databaseFor(bench, spec.dialect), workerProcesses: spec.workerProcesses };
  return withOurs(bench, spec.name, spec.title, layout, spec.endpoints, (deployment) =>
    measureThroughput(deployment.producer, bench.receiver, spec));
}

export interface LatencySpec { name: string; title: string; rate: number; durationMs: number; drainMs: number }

export async function oursLatency(bench: BenchContext, spec: LatencySpec): Promise<ScenarioResult> {
  const layout = { db: await databaseFor(bench, 'sqlite'), workerProcesses: 0 };
  return withOurs(bench, spec.name, spec.title, layout, 1, async (deployment) => ({
    ...(await measureAtRate(deployment.producer, bench.receiver, spec)),
    offeredRate: spec.rate,
  }));
}

export interface BacklogSpec { name: string; title: string; deliveries: number; maxDrainMs: number }

/**
 * Backlog: `deliveries` deliveries are queued while nothing delivers (a process without the worker
 * role writes them: the state a receiver outage or a stopped worker fleet leaves behind), then a
 * fresh service process with the worker role starts and drains them. Drain rate is first to last
 * arrival; peak RSS is that process's high-water mark, so the filling does not count against it.
 */
export async function oursBacklog(bench: BenchContext, spec: BacklogSpec): Promise<ScenarioResult> {
  const db = await databaseFor(bench, 'sqlite');
  const filler = await deployOurs(bench, { db, workerProcesses: 0, deliver: false });
  let setup: Setup;
  const started = wallClockMs();
  try {
    setup = await filler.producer.call<Setup>('setup', { receiverUrl: bench.receiver.url, endpoints: 1 });
    bench.log(`  queueing ${spec.deliveries} deliveries with no worker running…`);
    await filler.producer.call('fillBacklog', { count: spec.deliveries });
  } finally {
    await filler.stop();
  }
  bench.log(`  queued in ${Math.round((wallClockMs() - started) / 1000)} s`);
  await bench.receiver.verifyWith(setup.secret);
  await bench.receiver.reset();
  return withDrainer(bench, spec, db);
}

async function withDrainer(bench: BenchContext, spec: BacklogSpec, db: string): Promise<ScenarioResult> {
  const drainer = await deployOurs(bench, { db, workerProcesses: 0 });
  let result: ScenarioResult | undefined;
  try {
    const first = await bench.receiver.waitFor(1, wallClockMs() + probeMs(bench));
    if (first.unique === 0) {
      result = engineMissing(spec.name, spec.title, drainer, bench);
    } else {
      const stats = await bench.receiver.waitFor(spec.deliveries, wallClockMs() + spec.maxDrainMs);
      const seconds = (stats.lastArrival! - stats.firstArrival!) / 1000;
      result = {
        name: spec.name, title: spec.title,
        status: stats.unique >= spec.deliveries ? 'ok' : 'timeout',
        note: `drain rate from first to last arrival${stats.unique < spec.deliveries ? `; stopped at the ${spec.maxDrainMs / 1000} s limit` : ''}`,
        deliveries: stats.unique, expected: spec.deliveries, seconds: round(seconds),
        opsPerSec: seconds > 0 ? Math.round(stats.unique / seconds) : 0,
        latencyKind: 'none', latencyMs: NO_LATENCY,
        peakRssMb: await drainer.peakRssMb(), duplicates: stats.duplicates, badSignatures: stats.badSignatures,
      };
    }
  } finally {
    const profile = await drainer.stop(spec.name);
    if (profile && result) result.profile = profile;
  }
  return result!;
}
