import type { Queryable } from '../database.js';
import type { EndpointsTable } from '../schema.js';

/** Enabled endpoints of the account that take this event type (and test events, when it is one). */
export async function findSubscribedEndpoints(q: Queryable, accountId: string, type: string, testing: boolean): Promise<EndpointsTable[]> {
  const rows = await q.selectFrom('endpoints').selectAll()
    .where('account_id', '=', accountId)
    .where('disabled', '=', 0)
    .execute();
  return rows.filter((row) => (!testing || row.include_testing === 1) && (JSON.parse(row.event_types) as string[]).includes(type));
}
