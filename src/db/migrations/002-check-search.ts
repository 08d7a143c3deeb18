import type { Kysely } from 'kysely';

/**
 * Checks: the merchant's order id in its own column (search by order without decrypting
 * anything), and a record of how the customer's link was delivered. One ALTER per column:
 * SQLite adds a single column per statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('checks').addColumn('order_id', 'text').execute();
  await db.schema.alterTable('checks').addColumn('link_delivery_json', 'text').execute();
  await db.schema.createIndex('checks_account_order').on('checks').columns(['account_id', 'order_id']).execute();
}
