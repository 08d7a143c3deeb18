import { type Kysely, sql } from 'kysely';

/**
 * What the delivery engine needs beyond the foundation:
 * - endpoints.deleted_at: deleting an endpoint keeps its delivery log (attempts reference it), so
 *   it is a soft delete; a deleted endpoint answers 404 and receives nothing.
 * - deliveries.retry_base: the attempt count at which the retry schedule last (re)started, so a
 *   manual resend or a recover gets the full schedule again without rewriting attempt numbers.
 * - deliveries.next_trigger: whether the next attempt was asked for by a person ("manual").
 * - indexes for retention sweeps and per-endpoint lookups (recover, health).
 */
declare module '../schema.js' {
  interface EndpointsTable {
    deleted_at: number | null;
  }
  interface DeliveriesTable {
    /** Optional here because the database defaults it: writers that predate it need not name it. */
    retry_base?: number;
    next_trigger?: 'scheduled' | 'manual';
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('endpoints').addColumn('deleted_at', 'bigint').execute();
  await db.schema.alterTable('deliveries').addColumn('retry_base', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('deliveries').addColumn('next_trigger', 'text', (c) => c.notNull().defaultTo('scheduled')).execute();
  await db.schema.createIndex('deliveries_endpoint_status').on('deliveries').columns(['endpoint_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('deliveries_finished').on('deliveries').column('finished_at')
    .where(sql.ref('finished_at'), 'is not', null).execute();
  await db.schema.createIndex('attempts_started').on('attempts').column('started_at').execute();
}
