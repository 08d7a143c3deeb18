import { sql } from 'kysely';
import type { Queryable, Tx } from '../db/database.js';
import { inIdList, rowStillMatches } from '../db/id-list.js';
import type { DeliveryUpdate } from './record-attempts.js';

/**
 * PostgreSQL: every delivery of a batch updated by one statement, its new values passed as one
 * JSON array (UPDATE … FROM json_to_recordset): one round trip per batch, not one per delivery.
 * The rows are found by primary key and the lease re-checked on each (see rowStillMatches): a
 * join on the JSON alone let the planner read every delivery in flight to find the batch's.
 */
export async function applyDeliveryUpdatesPostgres(tx: Tx, owner: string, updates: DeliveryUpdate[]): Promise<void> {
  await deliveryUpdatesStatement(tx, owner, updates).execute(tx);
}

export function deliveryUpdatesStatement(q: Queryable, owner: string, updates: DeliveryUpdate[]) {
  return sql`
    UPDATE deliveries AS d SET
      status = j.status, attempt_count = j.attempt_count, next_attempt_at = j.next_attempt_at,
      last_attempt_at = j.last_attempt_at, last_status_code = j.last_status_code, last_error = j.last_error,
      finished_at = j.finished_at, updated_at = j.updated_at,
      lease_owner = NULL, lease_expires_at = NULL, next_trigger = 'scheduled'
    FROM json_to_recordset(${JSON.stringify(updates)}::json) AS j(
      id text, status text, attempt_count integer, next_attempt_at bigint, last_attempt_at bigint,
      last_status_code integer, last_error text, finished_at bigint, updated_at bigint)
    WHERE d.id = j.id AND ${inIdList(q, 'd.id', updates.map((u) => u.id))}
      AND ${rowStillMatches(sql<boolean>`d.lease_owner = ${owner} AND d.status = 'sending'`)}
  `;
}
