import type SqliteDatabase from 'better-sqlite3';

type Statement = SqliteDatabase.Statement;
const caches = new WeakMap<SqliteDatabase.Database, Map<string, Statement>>();
/** Bounded: ad-hoc SQL cannot grow a handle's cache forever. */
const MAX_STATEMENTS = 1000;

/**
 * A prepared statement on a better-sqlite3 handle, made once per SQL text and handle, for every
 * path: Kysely's queries (see database.ts, Kysely prepares anew each time) and the hot paths that
 * run one small statement per row inside a transaction (a prepared row costs a few microseconds,
 * where one statement over a JSON array of rows costs more per row, json_each re-parsing the array
 * for every value it reads). Running statements on the raw handle is only sound inside a Kysely
 * transaction, which holds the one connection, so nothing else runs between the rows.
 */
export function preparedStatement(sqlite: SqliteDatabase.Database, text: string): Statement {
  let statements = caches.get(sqlite);
  if (!statements) caches.set(sqlite, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statement = sqlite.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}
