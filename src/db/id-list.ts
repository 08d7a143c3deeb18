import { sql, SqliteAdapter, type RawBuilder } from 'kysely';
import type { Queryable } from './database.js';

export function isSqlite(q: Queryable): boolean {
  return q.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * `column IN (ids)` as one parameter, so the SQL text is the same however many ids there are
 * (a list of placeholders would be a new statement to parse and plan for every count).
 * `column` is a trusted identifier from our own code, such as "id" or "d.id".
 */
export function inIdList(q: Queryable, column: string, ids: readonly string[]): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return isSqlite(q)
    ? sql<boolean>`${ref} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<boolean>`${ref} = any(${[...ids]}::text[])`;
}

/**
 * A check on rows already picked by id (`inIdList`), written so the planner cannot use it to
 * choose an index. The updates of listed deliveries (lease, final state, release) re-check each
 * row's state; written plainly, that check matches the partial indexes on open deliveries, and
 * where PostgreSQL's statistics are missing or stale (a fresh database, a burst since the last
 * ANALYZE) it chose to read every open delivery through them and filter by id: a cost that grows
 * with the work in flight, about a millisecond per updated row at 12,000 in flight. Inside CASE
 * the check only filters the rows the primary key found; `<> 0` (not `= 1`) keeps the planner's
 * row estimate near the number of ids, so a join with the batch's values stays a hash join.
 */
export function rowStillMatches(condition: RawBuilder<boolean>): RawBuilder<boolean> {
  return sql<boolean>`(case when ${condition} then 1 else 0 end) <> 0`;
}
