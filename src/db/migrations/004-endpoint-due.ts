import { type Kysely, sql } from 'kysely';

/**
 * Open deliveries by endpoint, then due time. The claim reads the oldest due deliveries across
 * all endpoints through deliveries_due; when some endpoints are at their limit and must be passed
 * over, this index finds the other endpoints' due work with one probe each, instead of reading
 * past every due row of the busy ones (a million-row backlog made that a quarter-second scan).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('deliveries_endpoint_due').on('deliveries').columns(['endpoint_id', 'next_attempt_at'])
    .where(sql.ref('status'), 'in', sql`('pending', 'sending')`).execute();
}
