import type { Queryable } from '../database.js';
import type { EventsTable } from '../schema.js';

export async function insertEvent(q: Queryable, row: EventsTable): Promise<void> {
  await q.insertInto('events').values(row).execute();
}

export async function findEvent(q: Queryable, accountId: string, id: string): Promise<EventsTable | undefined> {
  return q.selectFrom('events').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export interface EventFilter {
  accountId: string;
  /** Only events after this id (ids sort by creation time). */
  after?: string;
  types?: string[];
  checkId?: string;
  limit: number;
}

/** Oldest first, so a poller can walk forward with `after`. */
export async function listEvents(q: Queryable, filter: EventFilter): Promise<EventsTable[]> {
  let query = q.selectFrom('events').selectAll().where('account_id', '=', filter.accountId);
  if (filter.after) query = query.where('id', '>', filter.after);
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  if (filter.checkId) query = query.where('check_id', '=', filter.checkId);
  return query.orderBy('id').limit(filter.limit).execute();
}

/**
 * Events created at or after `since`, oldest first. Ids are minted before commit, so an event can
 * commit after a later-numbered one; a live feed re-reads a short window by time to catch it.
 */
export async function listRecentEvents(q: Queryable, accountId: string, since: number, afterId: string | undefined, limit: number): Promise<EventsTable[]> {
  let query = q.selectFrom('events').selectAll().where('account_id', '=', accountId).where('created_at', '>=', since);
  if (afterId) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}
