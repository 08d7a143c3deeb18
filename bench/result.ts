import type { Percentiles } from './stats.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { StatementStat } from './pg-statements.js';

/**
 * One row of the benchmark table. `status` says how far the numbers can be trusted:
 * `ok` ran to the end, `timeout` hit its time bound (the numbers cover what arrived),
 * `unavailable` / `skipped` did not run, with the reason in `note`.
 */
export interface ScenarioResult {
  name: string;
  title: string;
  status: 'ok' | 'timeout' | 'unavailable' | 'skipped' | 'error';
  note?: string;
  /** Distinct deliveries that reached the receiver with a valid signature. */
  deliveries: number;
  expected: number;
  seconds: number;
  /** Deliveries (signed POSTs answered 2xx) per second; null when the scenario did not run. */
  opsPerSec: number | null;
  /** `rtt` for the ceiling (request round trip), `commit-to-arrival` for everything that goes through a queue. */
  latencyKind: 'rtt' | 'commit-to-arrival' | 'none';
  latencyMs: Percentiles;
  offeredRate?: number;
  /** The ceiling measured just before this row (see pairedCeiling); its "vs ceiling" uses it. */
  pairedCeiling?: number;
  peakRssMb?: number | null;
  /**
   * CPU time (all threads, user + system) per delivery of the processes doing the work, in µs:
   * ours, the producer and the worker processes; the peer, its producer and worker; the ceiling,
   * the bare client alone. Neither the receiver nor the PostgreSQL server is counted. Unlike a
   * rate, it barely moves with a noisy neighbour, so it is what to compare between two versions.
   */
  cpuUsPerOp?: number | null;
  /** The same for each of those processes, in the row's order (ours: the producer first, then each worker). */
  cpuUsPerOpByProcess?: Array<number | null>;
  /**
   * Each of those processes split by thread, µs per delivery: its main thread, its busiest other
   * thread (in our service, the sending thread when it is on) and all the others together (V8's
   * helpers — garbage collection, compilers — and libuv's). Read from /proc/<pid>/task, so no
   * profiler skews it. Null for a process whose threads could not be read.
   */
  cpuUsPerOpByThread?: Array<ThreadSplit | null>;
  /** The receiver's CPU per request in the same window, µs: the share of the machine a delivery costs at the other end. */
  receiverCpuUsPerOp?: number | null;
  /** The PostgreSQL server's CPU per delivery (every backend), µs; rows on PostgreSQL only. */
  databaseCpuUsPerOp?: number | null;
  duplicates?: number;
  badSignatures?: number;
  /** Hot functions and self time by area of the measured service process, with --cpu-prof. */
  profile?: ProfileSummary;
  /** Rows on PostgreSQL, with --cpu-prof: the statements the database spent the most time on while the row was measured. */
  statements?: StatementStat[];
}

export const NO_LATENCY: Percentiles = { p50: null, p95: null, p99: null };

/** A row for a scenario that could not run, with the reason a reader needs. */
export function notRun(name: string, title: string, status: 'unavailable' | 'skipped' | 'error', note: string): ScenarioResult {
  return { name, title, status, note, deliveries: 0, expected: 0, seconds: 0, opsPerSec: null, latencyKind: 'none', latencyMs: NO_LATENCY };
}

/** One process's CPU per delivery by thread (see ScenarioResult.cpuUsPerOpByThread), µs. */
export interface ThreadSplit {
  main: number;
  busiestOther: number;
  others: number;
}
