import type { Queryable } from '../db/database.js';

/**
 * One batch of each purge, oldest first. Each statement deletes at most `batch` rows so that a
 * first sweep over a year of history never holds the (SQLite) write lock long enough to stall a
 * delivery: the workers' writes slip in between batches.
 */
export async function purgeAttemptsBefore(q: Queryable, cutoff: number, batch: number): Promise<number> {
  const result = await q.deleteFrom('attempts')
    .where('id', 'in', (eb) => eb.selectFrom('attempts').select('id').where('started_at', '<', cutoff).limit(batch))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Finished deliveries with no attempts left (those are purged first). Open ones are never touched. */
export async function purgeDeliveriesBefore(q: Queryable, cutoff: number, batch: number): Promise<number> {
  const result = await q.deleteFrom('deliveries')
    .where('id', 'in', (eb) => eb.selectFrom('deliveries as d').select('d.id')
      .where('d.finished_at', '<', cutoff)
      .where((inner) => inner.not(inner.exists(inner.selectFrom('attempts as a').select('a.id').whereRef('a.delivery_id', '=', 'd.id'))))
      .limit(batch))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Events no delivery refers to any more. */
export async function purgeEventsBefore(q: Queryable, cutoff: number, batch: number): Promise<number> {
  const result = await q.deleteFrom('events')
    .where('id', 'in', (eb) => eb.selectFrom('events as ev').select('ev.id')
      .where('ev.created_at', '<', cutoff)
      .where((inner) => inner.not(inner.exists(inner.selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'ev.id'))))
      .limit(batch))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
