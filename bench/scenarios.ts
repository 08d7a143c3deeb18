import type { BenchContext } from './bench-context.js';
import { measureCeiling } from './ceiling.js';
import { oursBacklog, oursLatency, oursThroughput } from './ours-scenarios.js';
import { bullMqScenario, pgBossScenario } from './peer-scenarios.js';
import type { ScenarioResult } from './result.js';

/**
 * Every row of the benchmark, in the order it runs. Sizes are [full, --quick]: each scenario is
 * bounded by a count and by a time limit, so the full run stays under 10 minutes on 2 cores and
 * --quick near one.
 */
export interface Scenario {
  name: string;
  /** Needs our delivery engine: skipped at once after an earlier row found it missing. */
  needsEngine: boolean;
  /** A throughput row: measure a one-second ceiling right before it and compare against that. */
  paired?: boolean;
  run(bench: BenchContext): Promise<ScenarioResult>;
}

const size = (bench: BenchContext, full: number, quick: number) => (bench.quick ? quick : full);

export const SCENARIOS: Scenario[] = [
  {
    name: 'ceiling', needsEngine: false,
    run: (bench) => measureCeiling(bench.receiver, {
      connections: 16, rounds: 3, roundMs: size(bench, 4_000, 1_500), maxRequestsPerRound: 200_000, warmUp: true,
    }),
  },
  ...([
    ['sqlite', 0, 1], ['sqlite', 0, 10], ['postgres', 1, 1], ['postgres', 3, 1],
  ] as const).map(([dialect, workerProcesses, endpoints]): Scenario => {
    const where = dialect === 'sqlite' ? 'SQLite, one process' : `PostgreSQL, ${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}`;
    const name = `ours-${dialect === 'sqlite' ? 'sqlite' : `pg-${workerProcesses}w`}-${endpoints}ep`;
    return {
      name, needsEngine: true, paired: true,
      run: (bench) => oursThroughput(bench, {
        name, title: `Ours: ${where}, ${endpoints} endpoint${endpoints > 1 ? 's' : ''}`, dialect, workerProcesses, endpoints,
        events: Math.round(size(bench, 20_000, 3_000) / endpoints), batch: 100, maxMs: size(bench, 25_000, 12_000),
      }),
    };
  }),
  ...[1, 10].map((endpoints): Scenario => ({
    name: `peer-pgboss-${endpoints}ep`, needsEngine: false, paired: true,
    run: (bench) => pgBossScenario(bench, {
      name: `peer-pgboss-${endpoints}ep`, title: `Peer: pg-boss + undici, 1 worker process, ${endpoints} endpoint${endpoints > 1 ? 's' : ''}`, endpoints,
      load: { events: Math.round(size(bench, 20_000, 3_000) / endpoints), batch: 100, maxMs: size(bench, 25_000, 12_000) },
    }),
  })),
  { name: 'peer-bullmq', needsEngine: false, run: async () => bullMqScenario() },
  ...[500, 2_000].map((rate): Scenario => ({
    name: `ours-latency-${rate}`, needsEngine: true,
    run: (bench) => oursLatency(bench, {
      name: `ours-latency-${rate}`, title: `Ours: latency at ${rate} events/s (SQLite)`, rate,
      durationMs: size(bench, 8_000, 4_000), drainMs: size(bench, 10_000, 8_000),
    }),
  })),
  {
    name: 'peer-latency-500', needsEngine: false,
    run: (bench) => pgBossScenario(bench, {
      name: 'peer-latency-500', title: 'Peer: pg-boss latency at 500 events/s', endpoints: 1,
      load: { rate: 500, durationMs: size(bench, 8_000, 4_000), drainMs: size(bench, 10_000, 8_000) },
    }),
  },
  {
    name: 'ours-backlog', needsEngine: true, paired: true,
    run: (bench) => {
      const deliveries = size(bench, 1_000_000, 20_000);
      return oursBacklog(bench, {
        name: 'ours-backlog', title: `Ours: drain a backlog of ${deliveries.toLocaleString('en-US')} (SQLite)`,
        deliveries, maxDrainMs: size(bench, 150_000, 20_000),
      });
    },
  },
];
