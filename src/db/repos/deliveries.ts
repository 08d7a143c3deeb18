import type { Queryable } from '../database.js';
import type { DeliveriesTable } from '../schema.js';

export async function insertDeliveries(q: Queryable, rows: DeliveriesTable[]): Promise<void> {
  if (rows.length > 0) await q.insertInto('deliveries').values(rows).execute();
}
