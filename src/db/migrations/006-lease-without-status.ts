import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * A lease no longer changes a delivery's status or due time: a delivery being sent is `pending`
 * with a live lease (lease_expires_at in the future), and people are shown `sending` for it
 * (shownStatus in db/repos/deliveries.ts). The claim's lease then writes only columns no index
 * covers (lease_owner, lease_expires_at, updated_at).
 *
 * Why: on PostgreSQL an UPDATE that changes an indexed column (or one in a partial index's
 * predicate, as status is in deliveries_due's) writes a new entry into every index of the table;
 * one that changes none can be a HOT update, the new row version on the same page and no index
 * touched. The lease was the costliest statement per row of a worker in its own process
 * (pg_stat_statements: 601 ms and 12.3 MB of WAL for 12,000 leases; HOT: 211 ms and 2.0 MB).
 * HOT needs room on the row's page, so PostgreSQL fills the table's pages half full: at 70% only
 * half the leases found room; at 50%, 89–92% of them (bench/lease-cost.ts). Measured there, the
 * table with its indexes ends smaller than before (21.9 against 27.9 MB for 30,000 deliveries
 * through claim and record: no dead version and index entries per lease), but a backlog nobody
 * has leased yet takes twice the heap (30 against 15 MB per 100,000 pending rows).
 *
 * Rows that older versions leased say `sending` with next_attempt_at at the lease's end; as
 * `pending` they keep both, so they stay leased until then and are due again after, as before.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'pending' }).where('status', '=', 'sending').execute();
  if (ctx.dialect === 'postgres') await sql`ALTER TABLE deliveries SET (fillfactor = 50)`.execute(db);
}
