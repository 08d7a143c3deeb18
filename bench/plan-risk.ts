/**
 * Why prepared statements wait for the hot tables to grow before PostgreSQL may keep a generic
 * plan (src/db/postgres-prepared.ts, PlanModes): the trap, measured.
 *
 *   node --import tsx bench/plan-risk.ts
 *
 * For each way of running statements, on a fresh database: 20 events, ANALYZE (as autovacuum does
 * early in a fresh install's life), the payload lookup the worker runs for every claimed batch
 * eight times, then 300,000 more events, then the same lookup of 100 ids twenty times.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/db/database.js';
import { inIdList } from '../src/db/id-list.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PlanModes, preparingPool, StatementNames } from '../src/db/postgres-prepared.js';
import type { Database } from '../src/db/schema.js';
import { startBenchPostgres } from './postgres.js';

const GROWN_TO = 300_000;
const LOOKUPS = 20;

const modes = {
  'unnamed (planned every run)': (pool: pg.Pool) => pool,
  'prepared, generic plans at once': (pool: pg.Pool) => preparingPool(pool, new StatementNames(), new PlanModes(0)),
  'prepared, as the service runs them': (pool: pg.Pool) => preparingPool(pool, new StatementNames(), new PlanModes()),
};

const server = await startBenchPostgres({ statementStats: false });
try {
  for (const [label, poolFor] of Object.entries(modes)) {
    const target = await server.freshDatabase();
    const pool = new pg.Pool({ connectionString: target, max: 1 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: poolFor(pool) }) });
    const db: Db = { kysely, dialect: 'postgres', target, sqlite: null, close: () => kysely.destroy() };
    await migrateToLatest(db);
    const addEvents = (from: number, to: number) => sql`insert into events (id, account_id, type, check_id, testing, payload, created_at)
      select 'evt_' || g, 'acct', 'check.completed', 'chk', 0, repeat('x', 500), 0 from generate_series(${from}::int, ${to}::int) g`.execute(kysely);
    const lookup = (ids: string[]) => kysely.selectFrom('events').select(['id', 'payload']).where(inIdList(kysely, 'id', ids)).execute();
    await addEvents(1, 20);
    await sql`analyze events`.execute(kysely);
    for (let i = 0; i < 8; i++) await lookup(['evt_1', 'evt_2']);
    await addEvents(21, GROWN_TO);
    const started = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i++) await lookup(Array.from({ length: 100 }, (_, k) => `evt_${1000 + i * 100 + k}`));
    const perLookup = Number(process.hrtime.bigint() - started) / 1e6 / LOOKUPS;
    console.log(`${label.padEnd(36)} ${perLookup.toFixed(1).padStart(7)} ms per lookup of 100 ids in ${GROWN_TO.toLocaleString('en')} events`);
    await db.close();
  }
} finally {
  await server.stop();
}
