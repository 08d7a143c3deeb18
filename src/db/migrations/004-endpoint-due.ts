import { type Kysely, sql } from 'kysely';

/**
 * Open deliveries by endpoint, then due time. The claim reads the oldest due deliveries across
 * all endpoints through deliveries_due; when some endpoints are at their limit and must be passed
 * over, this index finds the other endpoints' due work with one probe each, instead of reading
 * past every due row of the busy ones (a million-row backlog made that a quarter-second scan).
 *
 * deliveries_endpoint (endpoint_id, created_at) goes: every query by endpoint also filters on
 * status, which deliveries_endpoint_status (endpoint_id, status, created_at) serves, and each
 * index is one more entry to write on every status change of every delivery.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('deliveries_endpoint_due').on('deliveries').columns(['endpoint_id', 'next_attempt_at'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`).execute();
  await db.schema.dropIndex('deliveries_endpoint').execute();
}
