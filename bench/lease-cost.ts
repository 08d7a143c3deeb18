/**
 * What a worker's claim-and-record cycle costs PostgreSQL, with no HTTP in the way: the numbers
 * behind migration 006 (a lease that changes no indexed column, so it can be a HOT update).
 *
 *   node --import tsx bench/lease-cost.ts          # 30,000 deliveries, 4,000 held at once, three rounds
 *
 * Each round, on a fresh database: a producer's transactions of 100 events and deliveries; after
 * every two of them, one claim of up to 200 (the service's own claim) and the record of what the
 * worker has held longest beyond `HELD` (the service's own record statement: attempts, final
 * states, endpoint health). It prints PostgreSQL's CPU per delivery for the claims and records
 * (and with the inserts), the WAL written per delivery, how many updates of `deliveries` were HOT,
 * and the table's size at the end. CPU moves with the machine's load; WAL, HOT and size do not.
 * To compare with an older engine, run the same file in a checkout of it.
 */
import { sql } from 'kysely';
import { insertRows } from '../src/db/bulk-insert.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { AttemptsTable, DeliveriesTable, EventsTable } from '../src/db/schema.js';
import { claimDueDeliveries } from '../src/delivery/claim.js';
import { recordSucceededBatchPostgres } from '../src/delivery/postgres-record.js';
import type { DeliveryUpdate } from '../src/delivery/record-attempts.js';
import { startBenchPostgres } from './postgres.js';

const TOTAL = 30_000;
const HELD = 4_000;
const CLAIM = 200;
const BATCH = 100;
const ROUNDS = 3;

const walPosition = async (db: Db): Promise<bigint> => {
  const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db.kysely);
  const [high, low] = rows[0]!.lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

async function produce(db: Db, from: number): Promise<void> {
  const now = Date.now();
  const events: EventsTable[] = [];
  const deliveries: DeliveriesTable[] = [];
  for (let i = from; i < from + BATCH; i++) {
    const id = String(i).padStart(10, '0');
    events.push({ id: `evt_${id}`, account_id: 'acct_lease', type: 'check.completed', check_id: `chk_${id}`, testing: 0, payload: JSON.stringify({ data: 'x'.repeat(600) }), created_at: now });
    deliveries.push({
      id: `msg_${id}`, account_id: 'acct_lease', endpoint_id: 'ep_lease', event_id: `evt_${id}`, check_id: `chk_${id}`, order_key: null, status: 'pending',
      attempt_count: 0, next_attempt_at: now, lease_owner: null, lease_expires_at: null, last_attempt_at: null, last_status_code: null, last_error: null,
      created_at: now, updated_at: now, finished_at: null,
    });
  }
  await insertRows(db, db.kysely, 'events', events);
  await insertRows(db, db.kysely, 'deliveries', deliveries);
}

async function record(db: Db, done: DeliveriesTable[]): Promise<void> {
  const now = Date.now();
  const attempts = done.map((d): AttemptsTable => ({
    id: `att_${d.id}`, delivery_id: d.id, account_id: d.account_id, endpoint_id: d.endpoint_id, attempt_number: 1, trigger: 'scheduled', url: 'http://127.0.0.1:9/',
    started_at: now, duration_ms: 1, succeeded: 1, status_code: 200, error_kind: null, error_message: null, request_headers: '{}', response_headers: '{}', response_body: 'ok',
  }));
  const updates = done.map((d): DeliveryUpdate => ({
    id: d.id, status: 'succeeded', attempt_count: 1, next_attempt_at: now, last_attempt_at: now, last_status_code: 200, last_error: null, finished_at: now, updated_at: now,
  }));
  await recordSucceededBatchPostgres(db, 'lease-cost', attempts, updates, ['ep_lease']);
}

const server = await startBenchPostgres({ statementStats: false });
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const db = openDatabase(await server.freshDatabase());
    try {
      await migrateToLatest(db);
      const now = Date.now();
      await sql`INSERT INTO accounts (id, name, plan, created_at, updated_at) VALUES ('acct_lease', 'Lease cost', 'enterprise', ${now}, ${now})`.execute(db.kysely);
      await sql`INSERT INTO endpoints (id, account_id, url, event_types, include_testing, ordered, disabled, created_at, updated_at)
        VALUES ('ep_lease', 'acct_lease', 'http://127.0.0.1:9/', '[]', 1, 0, 0, ${now}, ${now})`.execute(db.kysely);
      const held: DeliveriesTable[] = [];
      let made = 0;
      let recorded = 0;
      let claimAndRecordMs = 0;
      const cpuAtStart = (await server.cpuTimeMs())!;
      const walAtStart = await walPosition(db);
      while (recorded < TOTAL) {
        for (let i = 0; i < 2; i++, made += BATCH) await produce(db, made);
        const before = (await server.cpuTimeMs())!;
        const claimed = await claimDueDeliveries(db, { owner: 'lease-cost', now: Date.now(), leaseMs: 60_000, limit: CLAIM, saturated: [], capacityOf: () => CLAIM });
        held.push(...claimed.deliveries);
        if (held.length > HELD) {
          const done = held.splice(0, held.length - HELD);
          await record(db, done);
          recorded += done.length;
        }
        claimAndRecordMs += (await server.cpuTimeMs())! - before;
      }
      const allMs = (await server.cpuTimeMs())! - cpuAtStart;
      const walBytes = Number((await walPosition(db)) - walAtStart);
      const { rows } = await sql<{ updates: string; hot: string; total: string; heap: string }>`
        SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot, pg_total_relation_size('deliveries') AS total, pg_relation_size('deliveries') AS heap
        FROM pg_stat_user_tables WHERE relname = 'deliveries'`.execute(db.kysely);
      const stats = rows[0]!;
      const perDelivery = (ms: number) => ((ms * 1000) / recorded).toFixed(0);
      console.log(`round ${round}: PostgreSQL CPU ${perDelivery(claimAndRecordMs)} µs per delivery for claim + record (${perDelivery(allMs)} with the inserts); `
        + `WAL ${(walBytes / recorded).toFixed(0)} B per delivery; ${stats.hot} of ${stats.updates} updates HOT (counted up to a second late); `
        + `deliveries ${(Number(stats.total) / 1e6).toFixed(1)} MB with its indexes (heap ${(Number(stats.heap) / 1e6).toFixed(1)} MB)`);
    } finally {
      await db.close();
    }
  }
} finally {
  await server.stop();
}
