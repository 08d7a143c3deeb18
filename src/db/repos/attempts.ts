import { insertRows } from '../bulk-insert.js';
import type { Db, Queryable } from '../database.js';
import type { AttemptsTable } from '../schema.js';

export async function insertAttempts(db: Db, tx: Queryable, rows: AttemptsTable[]): Promise<void> {
  await insertRows(db, tx, 'attempts', rows);
}

export async function listAttemptsOfDelivery(q: Queryable, deliveryId: string): Promise<AttemptsTable[]> {
  return q.selectFrom('attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('started_at').orderBy('attempt_number').execute();
}

/** The endpoint's recent attempts (last 24 h, at most 100), newest first, for its health. */
export async function recentAttemptOutcomes(q: Queryable, endpointId: string, since: number): Promise<Array<{ succeeded: number; started_at: number }>> {
  return q.selectFrom('attempts').select(['succeeded', 'started_at'])
    .where('endpoint_id', '=', endpointId).where('started_at', '>=', since)
    .orderBy('started_at', 'desc').limit(100).execute();
}

/** When the endpoint last succeeded, and last failed, across its whole history. */
export async function lastOutcomeTimes(q: Queryable, endpointId: string): Promise<{ lastSuccessAt: number | null; lastFailureAt: number | null }> {
  const last = (succeeded: number) => q.selectFrom('attempts').select('started_at')
    .where('endpoint_id', '=', endpointId).where('succeeded', '=', succeeded)
    .orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  const [success, failure] = await Promise.all([last(1), last(0)]);
  return { lastSuccessAt: success?.started_at ?? null, lastFailureAt: failure?.started_at ?? null };
}
