import type SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/db/database.js';

/** One new event with its deliveries, as the floor commits them (deliveries written already leased to the floor). */
export interface FloorEvent {
  id: string;
  checkId: string;
  payload: string;
  deliveries: Array<{ id: string; endpointId: string }>;
}

/** One finished attempt: its row in `attempts` and its delivery's final state. */
export interface FloorAttempt {
  id: string;
  deliveryId: string;
  endpointId: string;
  url: string;
  startedAt: number;
  durationMs: number;
  status: number;
  requestHeaders: string;
  responseHeaders: string;
}

/**
 * The floor's durable writes, hand-written for one database: the events and their deliveries in
 * one transaction, then attempts and final states in one transaction per batch. Only the
 * statements differ between the two: per-row prepared statements on SQLite (a few µs a row, in
 * process), one statement per batch over arrays on PostgreSQL (one round trip a batch).
 */
export interface FloorStore {
  commitEvents(accountId: string, now: number, events: FloorEvent[]): Promise<void>;
  record(accountId: string, now: number, attempts: FloorAttempt[]): Promise<void>;
  close(): Promise<void>;
}

const SQLITE = {
  event: 'INSERT INTO events (id, account_id, type, check_id, testing, payload, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
  delivery: `INSERT INTO deliveries (id, account_id, endpoint_id, event_id, check_id, order_key, status, attempt_count, next_attempt_at,
    lease_owner, lease_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, 'pending', 0, ?, 'floor', ?, ?, ?)`,
  attempt: `INSERT INTO attempts (id, delivery_id, account_id, endpoint_id, attempt_number, trigger, url, started_at, duration_ms, succeeded,
    status_code, error_kind, error_message, request_headers, response_headers, response_body) VALUES (?, ?, ?, ?, 1, 'scheduled', ?, ?, ?, ?, ?, NULL, NULL, ?, ?, '')`,
  finish: `UPDATE deliveries SET status = 'succeeded', attempt_count = 1, last_attempt_at = ?, last_status_code = ?, finished_at = ?, updated_at = ?,
    lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = 'floor' AND status = 'pending'`,
};

const LEASE_MS = 60_000;
const succeeded = (status: number) => (status >= 200 && status < 300 ? 1 : 0);

export function sqliteFloorStore(sqlite: SqliteDatabase.Database): FloorStore {
  const s = {
    begin: sqlite.prepare('BEGIN'), commit: sqlite.prepare('COMMIT'),
    event: sqlite.prepare(SQLITE.event), delivery: sqlite.prepare(SQLITE.delivery),
    attempt: sqlite.prepare(SQLITE.attempt), finish: sqlite.prepare(SQLITE.finish),
  };
  return {
    async commitEvents(accountId, now, events) {
      s.begin.run();
      for (const event of events) {
        s.event.run([event.id, accountId, 'check.completed', event.checkId, event.payload, now]);
        for (const d of event.deliveries) s.delivery.run([d.id, accountId, d.endpointId, event.id, event.checkId, now + LEASE_MS, now + LEASE_MS, now, now]);
      }
      s.commit.run();
    },
    async record(accountId, now, attempts) {
      s.begin.run();
      for (const a of attempts) {
        s.attempt.run([a.id, a.deliveryId, accountId, a.endpointId, a.url, a.startedAt, a.durationMs, succeeded(a.status), a.status, a.requestHeaders, a.responseHeaders]);
        s.finish.run([a.startedAt, a.status, now, now, a.deliveryId]);
      }
      s.commit.run();
    },
    async close() {},
  };
}

// One statement per batch, each atomic on its own: the data-modifying CTE writes the parent rows
// (events; attempts) and the main statement the rows that go with them (deliveries; final states).
// The final states find their rows by primary key, the lease check kept out of the planner's
// choice of index (as our engine does: see rowStillMatches in src/db/id-list.ts).
const POSTGRES = {
  commit: `
    WITH ev AS (
      INSERT INTO events (id, account_id, type, check_id, testing, payload, created_at)
      SELECT id, $1, 'check.completed', check_id, 0, payload, $2 FROM unnest($3::text[], $4::text[], $5::text[]) AS t(id, check_id, payload)
    )
    INSERT INTO deliveries (id, account_id, endpoint_id, event_id, check_id, order_key, status, attempt_count, next_attempt_at,
      lease_owner, lease_expires_at, created_at, updated_at)
    SELECT id, $1, endpoint_id, event_id, check_id, NULL, 'pending', 0, $6, 'floor', $6, $2, $2
    FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) AS t(id, endpoint_id, event_id, check_id)`,
  record: `
    WITH a AS (
      INSERT INTO attempts (id, delivery_id, account_id, endpoint_id, attempt_number, trigger, url, started_at, duration_ms, succeeded,
        status_code, error_kind, error_message, request_headers, response_headers, response_body)
      SELECT id, delivery_id, $1, endpoint_id, 1, 'scheduled', url, started_at, duration_ms, succeeded, status_code, NULL, NULL,
        request_headers, response_headers, ''
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[], $10::int[], $11::text[], $12::text[])
        AS t(id, delivery_id, endpoint_id, url, started_at, duration_ms, succeeded, status_code, request_headers, response_headers)
    )
    UPDATE deliveries AS d SET status = 'succeeded', attempt_count = 1, last_attempt_at = u.started_at, last_status_code = u.status_code,
      finished_at = $2, updated_at = $2, lease_owner = NULL, lease_expires_at = NULL
    FROM unnest($4::text[], $7::bigint[], $10::int[]) AS u(id, started_at, status_code)
    WHERE d.id = u.id AND d.id = any($4::text[]) AND (CASE WHEN d.lease_owner = 'floor' AND d.status = 'pending' THEN 1 ELSE 0 END) <> 0`,
};

/**
 * Two connections, as a service and its worker would have: commits do not queue behind a batch of
 * attempts. Statements are not named: a named one is planned once, and a plan made while the
 * tables were nearly empty would keep reading them whole as they grow.
 */
export async function postgresFloorStore(connectionString: string): Promise<FloorStore> {
  const pool = new pg.Pool({ connectionString, max: 2 });
  return {
    async commitEvents(accountId, now, events) {
      const deliveries = events.flatMap((e) => e.deliveries.map((d) => ({ ...d, eventId: e.id, checkId: e.checkId })));
      await pool.query({
        text: POSTGRES.commit, values: [
          accountId, now, events.map((e) => e.id), events.map((e) => e.checkId), events.map((e) => e.payload), now + LEASE_MS,
          deliveries.map((d) => d.id), deliveries.map((d) => d.endpointId), deliveries.map((d) => d.eventId), deliveries.map((d) => d.checkId),
        ],
      });
    },
    async record(accountId, now, attempts) {
      await pool.query({
        text: POSTGRES.record, values: [
          accountId, now, attempts.map((a) => a.id), attempts.map((a) => a.deliveryId), attempts.map((a) => a.endpointId), attempts.map((a) => a.url),
          attempts.map((a) => a.startedAt), attempts.map((a) => a.durationMs), attempts.map((a) => succeeded(a.status)), attempts.map((a) => a.status),
          attempts.map((a) => a.requestHeaders), attempts.map((a) => a.responseHeaders),
        ],
      });
    },
    close: () => pool.end(),
  };
}

const HOT_TABLES = ['events', 'deliveries', 'attempts'];

/**
 * For the "primary keys only" floor: drops every other index of the three tables a delivery
 * writes (the ones our dashboard, API and claim read through), so the row shows what the writes
 * cost with no index upkeep beyond the primary keys: the least any schema could pay.
 */
export async function dropSecondaryIndexes(db: Db): Promise<void> {
  const names = db.sqlite
    ? (db.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${HOT_TABLES.map(() => '?').join(', ')})`)
      .all(...HOT_TABLES) as Array<{ name: string }>).map((row) => row.name)
    : (await sql<{ name: string }>`SELECT i.indexname AS name FROM pg_indexes i JOIN pg_index x ON x.indexrelid = (quote_ident(i.indexname))::regclass
        WHERE i.tablename = ANY(${HOT_TABLES}) AND NOT x.indisprimary`.execute(db.kysely)).rows.map((row) => row.name);
  for (const name of names) await sql`DROP INDEX ${sql.id(name)}`.execute(db.kysely);
}
