import { cpuPerDelivery, totalCpuTimeMs } from './child.js';
import { watchStatements } from './pg-statements.js';
import type { BenchPostgres } from './postgres.js';
import type { BenchRedis } from './redis.js';
import type { ScenarioResult } from './result.js';

/** What a row's processes and its database spent per delivery while it was measured. */
export type RowCosts = Pick<ScenarioResult, 'cpuUsPerOp' | 'cpuUsPerOpByProcess' | 'databaseCpuUsPerOp' | 'statements'>;

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
  const eachBefore = await Promise.all(pids.map((pid) => totalCpuTimeMs([pid])));
  const databaseBefore = database ? await database.server.cpuTimeMs() : null;
  const measured = await measure();
  const eachAfter = await Promise.all(pids.map((pid) => totalCpuTimeMs([pid])));
  const sum = (times: Array<number | null>) => (times.some((t) => t === null) ? null : (times as number[]).reduce((a, b) => a + b, 0));
  const cpuUsPerOp = cpuPerDelivery(sum(eachBefore), sum(eachAfter), measured.deliveries);
  const cpuUsPerOpByProcess = pids.map((_, i) => cpuPerDelivery(eachBefore[i]!, eachAfter[i]!, measured.deliveries));
  const databaseCpuUsPerOp = database ? cpuPerDelivery(databaseBefore, await database.server.cpuTimeMs(), measured.deliveries) : undefined;
  return { ...measured, cpuUsPerOp, cpuUsPerOpByProcess, databaseCpuUsPerOp, statements: (await statements?.()) ?? undefined };
}
