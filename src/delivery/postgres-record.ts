import { sql } from 'kysely';
import { insertRowsStatementPostgres } from '../db/bulk-insert.js';
import type { Db, Queryable, Tx } from '../db/database.js';
import { inIdList, rowStillMatches } from '../db/id-list.js';
import { heldBy } from '../db/repos/deliveries.js';
import { endpointsHealthyStatement } from '../db/repos/endpoints.js';
import type { AttemptsTable } from '../db/schema.js';
import type { DeliveryUpdate } from './record-attempts.js';

/**
 * PostgreSQL, for a batch whose attempts all succeeded (nearly every batch): the attempt rows,
 * the deliveries' final states and the end of their endpoints' runs of failures in one
 * statement, atomic on its own. The same three statements in a transaction took five round trips
 * (with BEGIN and COMMIT), each costing both processes a wake-up and a parse.
 */
export async function recordSucceededBatchPostgres(db: Db, owner: string, attempts: AttemptsTable[], updates: DeliveryUpdate[], endpointIds: readonly string[]): Promise<void> {
  const q = db.kysely;
  const inserted = await insertRowsStatementPostgres(db, q, 'attempts', attempts);
  const healthy = endpointIds.length > 0 ? sql`, healthy AS (${endpointsHealthyStatement(q, endpointIds)})` : sql``;
  await sql`WITH inserted AS (${inserted})${healthy} ${deliveryUpdatesStatement(q, owner, updates)}`.execute(q);
}

/**
 * PostgreSQL: every delivery of a batch updated by one statement, its new values passed as one
 * typed array per column (UPDATE … FROM unnest): one round trip per batch, not one per delivery.
 * The rows are found by primary key and the lease re-checked on each (see rowStillMatches): a
 * join on the batch's values alone let the planner read every delivery in flight to find them.
 */
export async function applyDeliveryUpdatesPostgres(tx: Tx, owner: string, updates: DeliveryUpdate[]): Promise<void> {
  await deliveryUpdatesStatement(tx, owner, updates).execute(tx);
}

/** The statement itself (tests run it under EXPLAIN to check how PostgreSQL finds the rows). */
export function deliveryUpdatesStatement(q: Queryable, owner: string, updates: DeliveryUpdate[]) {
  const column = <K extends keyof DeliveryUpdate>(key: K) => updates.map((u) => u[key] ?? null);
  return sql`
    UPDATE deliveries AS d SET
      status = j.status, attempt_count = j.attempt_count, next_attempt_at = j.next_attempt_at,
      last_attempt_at = j.last_attempt_at, last_status_code = j.last_status_code, last_error = j.last_error,
      finished_at = j.finished_at, updated_at = j.updated_at,
      lease_owner = NULL, lease_expires_at = NULL, next_trigger = 'scheduled'
    FROM unnest(${column('id')}::text[], ${column('status')}::text[], ${column('attempt_count')}::integer[],
      ${column('next_attempt_at')}::bigint[], ${column('last_attempt_at')}::bigint[], ${column('last_status_code')}::integer[],
      ${column('last_error')}::text[], ${column('finished_at')}::bigint[], ${column('updated_at')}::bigint[]) AS j(
      id, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, last_error, finished_at, updated_at)
    WHERE d.id = j.id AND ${inIdList(q, 'd.id', updates.map((u) => u.id))}
      AND ${rowStillMatches(heldBy(owner, 'd'))}
  `;
}
