import { sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { releaseLeases } from '../../src/db/repos/deliveries.js';
import { leaseQuery } from '../../src/delivery/claim-candidates.js';
import { deliveryUpdatesStatement } from '../../src/delivery/postgres-record.js';
import { freshDatabase } from '../support/databases.js';

const IN_FLIGHT = 5_000;
const BATCH = 100;

interface PlanNode { 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows': number; 'Actual Loops': number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] }

/** The most rows any one step of the plan looked at (returned or filtered out), over all its loops. */
function mostRowsRead(node: PlanNode): number {
  const own = (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'];
  return Math.max(own, ...(node.Plans ?? []).map(mostRowsRead));
}

/**
 * The statements that update a batch of deliveries by id must find them by primary key, whatever
 * PostgreSQL's statistics say. Here the table has none (a fresh database, autovacuum off: also
 * what a burst since the last ANALYZE looks like) and 5,000 deliveries are in flight. Planned
 * freely, the lease's and the final state's re-checks of each row's state matched the partial
 * indexes on open deliveries, and PostgreSQL read all 5,000 to update 100 (at 12,000 in flight
 * in the benchmark, a millisecond per delivery: half the database's time).
 */
describe('updating deliveries by id on postgres, with no statistics and thousands in flight', () => {
  let db: Db;
  let ids: string[];
  const now = Date.now();

  beforeAll(async () => {
    db = openDatabase(await freshDatabase('postgres'));
    await migrateToLatest(db);
    await sql`ALTER TABLE deliveries SET (autovacuum_enabled = false)`.execute(db.kysely);
    await sql`INSERT INTO accounts (id, name, plan, created_at, updated_at) VALUES ('acct_plans', 'Plans', 'enterprise', 0, 0)`.execute(db.kysely);
    await sql`INSERT INTO endpoints (id, account_id, url, event_types, include_testing, ordered, disabled, created_at, updated_at)
      VALUES ('ep_plans', 'acct_plans', 'http://127.0.0.1:9/', '[]', 1, 0, 0, 0, 0)`.execute(db.kysely);
    await sql`INSERT INTO events (id, account_id, type, check_id, testing, payload, created_at)
      SELECT 'evt_' || lpad(n::text, 6, '0'), 'acct_plans', 'check.completed', 'chk', 0, '{}', ${now} FROM generate_series(1, ${IN_FLIGHT}) AS n`.execute(db.kysely);
    // Every delivery leased to worker w1 and already due again (its lease ran out): all of them match every open-delivery index.
    await sql`INSERT INTO deliveries (id, account_id, endpoint_id, event_id, check_id, status, attempt_count, next_attempt_at, lease_owner, lease_expires_at, created_at, updated_at)
      SELECT 'msg_' || lpad(n::text, 6, '0'), 'acct_plans', 'ep_plans', 'evt_' || lpad(n::text, 6, '0'), 'chk', 'pending', 0, ${now - 1}, 'w1', ${now - 1}, ${now}, ${now}
      FROM generate_series(1, ${IN_FLIGHT}) AS n`.execute(db.kysely);
    ids = Array.from({ length: BATCH }, (_, i) => `msg_${String(2_000 + i).padStart(6, '0')}`);
  });
  afterAll(async () => { await db?.close(); });

  /** Runs the statement under EXPLAIN ANALYZE in a transaction that is rolled back; returns how many rows it changed and the most any step read. */
  async function explain(compiled: CompiledQuery): Promise<{ updated: number; mostRead: number }> {
    return db.kysely.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      try {
        const result = await conn.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>({ ...compiled, sql: `EXPLAIN (ANALYZE, FORMAT JSON) ${compiled.sql}` });
        const plan = result.rows[0]!['QUERY PLAN'][0]!.Plan;
        return { updated: plan['Actual Rows'] > 0 ? plan['Actual Rows'] : (plan.Plans?.[0]?.['Actual Rows'] ?? 0), mostRead: mostRowsRead(plan) };
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
  }

  /** What recording a successful first attempt writes for each of `batch`. */
  const succeeded = (batch: string[]) => batch.map((id) => ({
    id, status: 'succeeded' as const, attempt_count: 1, next_attempt_at: now, last_attempt_at: now, last_status_code: 200,
    last_error: null, finished_at: now, updated_at: now,
  }));

  it('a lease reads the batch, not the deliveries in flight', async () => {
    const outcome = await explain(leaseQuery(db.kysely, ids, { owner: 'w2', now, leaseMs: 60_000, limit: BATCH, capacityOf: () => BATCH, saturated: [] }).compile());
    expect(outcome.updated).toBe(BATCH);
    expect(outcome.mostRead).toBeLessThan(IN_FLIGHT / 5);
  });

  it('recording final states reads the batch, not the deliveries in flight', async () => {
    const outcome = await explain(deliveryUpdatesStatement(db.kysely, 'w1', succeeded(ids)).compile(db.kysely));
    expect(outcome.updated).toBe(BATCH);
    expect(outcome.mostRead).toBeLessThan(IN_FLIGHT / 5);
  });

  it('the lease check still holds: another worker\'s deliveries are not recorded, and a release hands back only its own', async () => {
    expect((await explain(deliveryUpdatesStatement(db.kysely, 'someone-else', succeeded(ids)).compile(db.kysely))).updated).toBe(0);
    await releaseLeases(db.kysely, 'someone-else', ids, now, now);
    const stillLeased = await db.kysely.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('lease_owner', '=', 'w1').where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(Number(stillLeased.n)).toBe(IN_FLIGHT);
    await releaseLeases(db.kysely, 'w1', ids.slice(0, 10), now + 1_000, now);
    const released = await db.kysely.selectFrom('deliveries').select(['status', 'next_attempt_at', 'lease_owner']).where('id', 'in', ids.slice(0, 10)).execute();
    expect(released.every((r) => r.status === 'pending' && Number(r.next_attempt_at) === now + 1_000 && r.lease_owner === null)).toBe(true);
  });
});
