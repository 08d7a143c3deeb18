import pg from 'pg';
import type { BenchPostgres } from './postgres.js';

/** One statement's share of a row's database time, from pg_stat_statements. */
export interface StatementStat {
  calls: number;
  rows: number;
  totalMs: number;
  /** Time spent planning it (parse and analysis not included): what a prepared statement would save at most. */
  planMs: number;
  /** Write-ahead log written, kB: a cost the statement's time does not show (index entries, row versions). */
  walKb: number;
  /** The statement's text, whitespace folded, cut to 140 characters. */
  query: string;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Counts database time per statement for the row about to be measured on `url`: clears the
 * server's counters and returns a reader for the statements that took the most time since.
 * Returns null when the server does not count (the run was not started with --cpu-prof).
 */
export async function watchStatements(server: BenchPostgres | null, url: string): Promise<(() => Promise<StatementStat[]>) | null> {
  if (!server?.statementStats) return null;
  // Once per row's database, before its counters are cleared; the reader below then only reads.
  await withClient(url, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
  return () => withClient(url, async (client) => {
    const result = await client.query<{ calls: string; rows: string; total_ms: number; plan_ms: number; wal_bytes: string; query: string }>(`
      SELECT calls, rows, total_exec_time AS total_ms, total_plan_time AS plan_ms, wal_bytes, query FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'
      ORDER BY total_exec_time DESC LIMIT 10`);
    return result.rows.map((row) => ({
      calls: Number(row.calls), rows: Number(row.rows), totalMs: Math.round(row.total_ms), planMs: Math.round(row.plan_ms), walKb: Math.round(Number(row.wal_bytes) / 1024),
      query: row.query.replace(/\s+/g, ' ').trim().slice(0, 140),
    }));
  });
}

export function formatStatements(title: string, stats: readonly StatementStat[]): string {
  const line = (s: StatementStat) =>
    `  ${String(s.totalMs).padStart(6)} ms  ${String(s.planMs).padStart(5)} ms planning  ${String(s.calls).padStart(6)} calls  ${String(s.rows).padStart(7)} rows  ${String(s.walKb).padStart(7)} kB WAL  ${s.query}`;
  return [`Top database time — ${title} (pg_stat_statements):`, ...stats.map(line)].join('\n');
}
