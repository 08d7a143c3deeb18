import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import type { DeliveryUpdate } from './record-attempts.js';

/**
 * SQLite: every delivery of a batch updated by one statement, its new values passed as one JSON
 * array (UPDATE … FROM json_each), instead of one statement per delivery.
 */
export async function applyDeliveryUpdatesSqlite(tx: Tx, owner: string, updates: DeliveryUpdate[]): Promise<void> {
  const field = (name: string) => sql.raw(`value ->> '$.${name}'`);
  await sql`
    UPDATE deliveries SET
      status = j.status, attempt_count = j.attempt_count, next_attempt_at = j.next_attempt_at,
      last_attempt_at = j.last_attempt_at, last_status_code = j.last_status_code, last_error = j.last_error,
      finished_at = j.finished_at, updated_at = j.updated_at,
      lease_owner = NULL, lease_expires_at = NULL, next_trigger = 'scheduled'
    FROM (SELECT ${field('id')} AS id, ${field('status')} AS status, ${field('attempt_count')} AS attempt_count,
                 ${field('next_attempt_at')} AS next_attempt_at, ${field('last_attempt_at')} AS last_attempt_at,
                 ${field('last_status_code')} AS last_status_code, ${field('last_error')} AS last_error,
                 ${field('finished_at')} AS finished_at, ${field('updated_at')} AS updated_at
          FROM json_each(${JSON.stringify(updates)})) AS j
    WHERE deliveries.id = j.id AND deliveries.lease_owner = ${owner} AND deliveries.status = 'sending'
  `.execute(tx);
}
