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
