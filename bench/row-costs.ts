import { cpuPerDelivery, threadCpuTimesMs, totalCpuTimeMs } from './child.js';
import { watchStatements } from './pg-statements.js';
import type { BenchPostgres } from './postgres.js';
import type { BenchRedis } from './redis.js';
import type { ScenarioResult, ThreadSplit } from './result.js';

/** What a row's processes and its database spent per delivery while it was measured. */
export type RowCosts = Pick<ScenarioResult, 'cpuUsPerOp' | 'cpuUsPerOpByProcess' | 'cpuUsPerOpByThread' | 'databaseCpuUsPerOp' | 'statements'>;

/** The server a row's queue lives in: PostgreSQL (one database of the run's server) or the BullMQ row's Redis. */
export type RowDatabase = { server: BenchPostgres; url: string } | { server: BenchRedis };

/**
 * Runs `measure` and counts what it cost, the same way for every row (ours, the floors, the peer):
 * the CPU of `pids` (every thread), the database server's CPU and, on PostgreSQL in a profiling
 * run, the statements its time went to — each per delivery measured.
 */
export async function withRowCosts<M extends { deliveries: number }>(
  pids: readonly number[], database: RowDatabase | null, measure: () => Promise<M>,
): Promise<M & RowCosts> {
  const statements = database && 'url' in database ? await watchStatements(database.server, database.url) : null;
  const threadsBefore = await Promise.all(pids.map(threadCpuTimesMs));
  const eachBefore = await Promise.all(pids.map((pid) => totalCpuTimeMs([pid])));
  const databaseBefore = database ? await database.server.cpuTimeMs() : null;
  const measured = await measure();
  const eachAfter = await Promise.all(pids.map((pid) => totalCpuTimeMs([pid])));
  const threadsAfter = await Promise.all(pids.map(threadCpuTimesMs));
  const sum = (times: Array<number | null>) => (times.some((t) => t === null) ? null : (times as number[]).reduce((a, b) => a + b, 0));
  const cpuUsPerOp = cpuPerDelivery(sum(eachBefore), sum(eachAfter), measured.deliveries);
  const cpuUsPerOpByProcess = pids.map((_, i) => cpuPerDelivery(eachBefore[i]!, eachAfter[i]!, measured.deliveries));
  const databaseCpuUsPerOp = database ? cpuPerDelivery(databaseBefore, await database.server.cpuTimeMs(), measured.deliveries) : undefined;
  const cpuUsPerOpByThread = pids.map((pid, i) => threadSplit(pid, threadsBefore[i]!, threadsAfter[i]!, measured.deliveries));
  return { ...measured, cpuUsPerOp, cpuUsPerOpByProcess, cpuUsPerOpByThread, databaseCpuUsPerOp, statements: (await statements?.()) ?? undefined };
}

/**
 * One process's CPU between two readings, by thread, per delivery: the main thread (its id is the
 * pid), the busiest other thread, and the rest. A thread born in between counts from zero; one
 * that ended in between is lost (its time is in neither reading).
 */
export function threadSplit(pid: number, before: ReadonlyMap<number, number> | null, after: ReadonlyMap<number, number> | null, deliveries: number): ThreadSplit | null {
  if (!before || !after || deliveries <= 0) return null;
  const used = [...after].map(([tid, ms]) => [tid, Math.max(0, ms - (before.get(tid) ?? 0))] as const);
  const main = used.find(([tid]) => tid === pid)?.[1] ?? 0;
  const others = used.filter(([tid]) => tid !== pid).map(([, ms]) => ms).sort((a, b) => b - a);
  const perDelivery = (ms: number) => Math.round((ms * 1000) / deliveries);
  return { main: perDelivery(main), busiestOther: perDelivery(others[0] ?? 0), others: perDelivery(others.slice(1).reduce((a, b) => a + b, 0)) };
}
