import type { BenchContext } from './bench-context.js';
import { measureCeiling } from './ceiling.js';
import { floorScenario } from './floor-scenario.js';
import { oursBacklog, oursLatency, oursThroughput } from './ours-scenarios.js';
import { bullMqScenario, pgBossScenario } from './peer-scenarios.js';
import type { ScenarioResult } from './result.js';

/**
 * Every row of the benchmark, in the order it runs. Sizes are [full, --quick]: each scenario is
 * bounded by a count and by a time limit, and the runner skips a row its remaining budget cannot
 * fit, so the full run stays under 10 minutes on 2 cores (most of it the million-row drain) and
 * --quick about a minute: one row per question the full run answers (ten endpoints on SQLite
 * only, pg-boss with one endpoint only, no pg-boss latency row, no three-worker rows).
 */
export interface Scenario {
  name: string;
  /** Needs our delivery engine: skipped at once after an earlier row found it missing. */
  needsEngine: boolean;
  /** A throughput row: measure a one-second ceiling right before it and compare against that. */
  paired?: boolean;
  /** Why --quick leaves this row out (unless it is asked for with --only). */
  fullRunOnly?: string;
  /** The longest this row can take (its bounds plus start-up on a loaded machine): the runner skips it when the run's budget cannot fit it. */
  worstMs(bench: BenchContext): number;
  run(bench: BenchContext): Promise<ScenarioResult>;
}

const size = (bench: BenchContext, full: number, quick: number) => (bench.quick ? quick : full);
const databaseName = (dialect: 'sqlite' | 'postgres') => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/** Our engine's throughput rows for these layouts: [database, worker processes (0: the producing process delivers), endpoints]. */
const oursThroughputRows = (layouts: ReadonlyArray<readonly ['sqlite' | 'postgres', number, number]>): Scenario[] => layouts.map(([dialect, workerProcesses, endpoints]): Scenario => {
  const database = databaseName(dialect);
  const where = workerProcesses === 0 ? `${database}, one process` : `${database}, ${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}`;
  const name = `ours-${dialect === 'sqlite' ? 'sqlite' : `pg-${workerProcesses === 0 ? '1p' : `${workerProcesses}w`}`}-${endpoints}ep`;
  return {
    name, needsEngine: true, paired: true, worstMs: (bench) => size(bench, 8_000, 4_000) * 1.5 + 15_000,
    fullRunOnly: workerProcesses > 1 ? 'starting four processes takes most of a short row, and 4,000 deliveries barely warm three workers up'
      : dialect === 'postgres' && endpoints > 1 ? 'fairness across ten endpoints is shown by the SQLite row; the PostgreSQL one mostly repeats it' : undefined,
    run: (bench) => oursThroughput(bench, {
      name, title: `Ours: ${where}, ${endpoints} endpoint${endpoints > 1 ? 's' : ''}`, dialect, workerProcesses, endpoints,
      events: Math.round(size(bench, 12_000, 4_000) / endpoints), batch: 100, maxMs: size(bench, 8_000, 4_000),
    }),
  };
});

// What each database's design costs with none of our engine's code in the way (floor-process.ts);
// then the same with no index but the primary keys: the least those writes could cost.
const floorRows = (dialect: 'sqlite' | 'postgres'): Scenario[] => [false, true].map((primaryKeysOnly): Scenario => {
  const database = databaseName(dialect);
  const name = `floor-${dialect === 'sqlite' ? 'sqlite' : 'pg'}${primaryKeysOnly ? '-pk-only' : ''}-1ep`;
  return {
    name, needsEngine: false, paired: true, worstMs: (bench) => size(bench, 8_000, 4_000) * 1.5 + 15_000,
    fullRunOnly: primaryKeysOnly ? 'it only matters where a target is missed, which a short row cannot tell' : undefined,
    run: (bench) => floorScenario(bench, {
      name, title: primaryKeysOnly ? `Floor, primary keys only (${database}, 1 endpoint)` : `Floor: same work, hand-written (${database}, 1 endpoint)`,
      dialect, primaryKeysOnly, endpoints: 1, events: size(bench, 12_000, 4_000), batch: 100, maxMs: size(bench, 8_000, 4_000),
    }),
  };
});

/** A peer's latency at our latency row's 500 events/s: context for our p99, so full runs only. */
function peerLatencyRow(name: string, label: string, scenario: typeof pgBossScenario): Scenario {
  return {
    name, needsEngine: false, fullRunOnly: 'our latency target needs only our row; the peers are context',
    worstMs: (bench) => size(bench, 5_000, 2_000) * 1.5 + size(bench, 4_000, 2_000) + 15_000,
    run: (bench) => scenario(bench, {
      name, title: `Peer: ${label} latency at 500 events/s`, endpoints: 1,
      load: { rate: 500, durationMs: size(bench, 5_000, 2_000), drainMs: size(bench, 4_000, 2_000) },
    }),
  };
}

/**
 * Every row in the order it runs: everything on SQLite first, then everything on PostgreSQL. One
 * PostgreSQL server serves the whole run, and after its rows it keeps working for a while
 * (autovacuum, checkpoints): an SQLite row measured after them on the same two cores paid for it —
 * the latency row's p99 at 500/s read 18–32 ms behind the PostgreSQL rows and 6–11 ms without them.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'ceiling', needsEngine: false, worstMs: () => 30_000,
    run: (bench) => measureCeiling(bench.receiver, {
      connections: 16, rounds: 3, roundMs: size(bench, 3_000, 1_000), maxRequestsPerRound: 200_000, warmUp: true,
    }),
  },
  {
    name: 'ours-backlog', needsEngine: true, paired: true,
    // Queueing a million rows takes 15–60 s, then the drain's bound. It runs second, right after
    // the ceiling, so the run's budget always has room for the million.
    worstMs: (bench) => size(bench, 60_000, 5_000) + size(bench, 330_000, 10_000) + 15_000,
    run: (bench) => {
      const deliveries = size(bench, 1_000_000, 10_000);
      return oursBacklog(bench, {
        name: 'ours-backlog', title: `Ours: drain a backlog of ${deliveries.toLocaleString('en-US')} (SQLite)`,
        deliveries, maxDrainMs: size(bench, 330_000, 10_000),
      });
    },
  },
  ...oursThroughputRows([['sqlite', 0, 1], ['sqlite', 0, 10]]),
  ...floorRows('sqlite'),
  ...[500, 2_000].map((rate): Scenario => ({
    name: `ours-latency-${rate}`, needsEngine: true, worstMs: (bench) => size(bench, 5_000, 2_000) * 1.5 + size(bench, 4_000, 2_000) + 15_000,
    run: (bench) => oursLatency(bench, {
      name: `ours-latency-${rate}`, title: `Ours: latency at ${rate} events/s (SQLite)`, rate,
      durationMs: size(bench, 5_000, 2_000), drainMs: size(bench, 4_000, 2_000),
    }),
  })),
  ...oursThroughputRows([['postgres', 0, 1], ['postgres', 1, 1], ['postgres', 1, 10], ['postgres', 3, 1], ['postgres', 3, 10]]),
  ...floorRows('postgres'),
  // pg-boss gets three times our rows' time to deliver after the last commit: its workers poll
  // (every 0.5 s, 8 × 100 jobs), so the same load takes it longer, and a row cut short would
  // measure only the part that arrived.
  ...[1, 10].map((endpoints): Scenario => ({
    name: `peer-pgboss-${endpoints}ep`, needsEngine: false, paired: true, worstMs: (bench) => size(bench, 8_000, 4_000) * 2.5 * 1.5 + 15_000,
    fullRunOnly: endpoints > 1 ? 'the comparison with pg-boss is made on one endpoint' : undefined,
    run: (bench) => pgBossScenario(bench, {
      name: `peer-pgboss-${endpoints}ep`, title: `Peer: pg-boss + undici, 1 worker process, ${endpoints} endpoint${endpoints > 1 ? 's' : ''}`, endpoints,
      load: { events: Math.round(size(bench, 12_000, 4_000) / endpoints), batch: 100, maxMs: size(bench, 8_000, 4_000), drainMs: size(bench, 12_000, 6_000) },
    }),
  })),
  // BullMQ does not poll, so it gets our rows' own time to finish; only where redis-server is installed.
  {
    name: 'peer-bullmq-1ep', needsEngine: false, paired: true, worstMs: (bench) => size(bench, 8_000, 4_000) * 2 + 15_000,
    run: (bench) => bullMqScenario(bench, {
      name: 'peer-bullmq-1ep', title: 'Peer: BullMQ + undici on Redis, 1 worker process, 1 endpoint', endpoints: 1,
      load: { events: size(bench, 12_000, 4_000), batch: 100, maxMs: size(bench, 8_000, 4_000), drainMs: size(bench, 8_000, 4_000) },
    }),
  },
  peerLatencyRow('peer-latency-500', 'pg-boss', pgBossScenario),
  peerLatencyRow('peer-bullmq-latency-500', 'BullMQ', bullMqScenario),
];
