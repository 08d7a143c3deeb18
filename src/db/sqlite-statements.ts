import type { Db } from './database.js';

type SqliteHandle = NonNullable<Db['sqlite']>;
type Statement = ReturnType<SqliteHandle['prepare']>;
const cache = new WeakMap<SqliteHandle, Map<string, Statement>>();

/**
 * A prepared statement on the raw better-sqlite3 handle, made once per SQL text and handle. For
 * the hot paths that run one small statement per row inside a transaction: SQLite is in-process,
 * so a prepared row costs a few microseconds, where one statement over a JSON array of rows
 * costs more per row (json_each re-parses the array for every value it reads). Only sound inside
 * a Kysely transaction, which holds the one connection, so nothing else runs between the rows.
 */
export function preparedStatement(sqlite: SqliteHandle, text: string): Statement {
  let statements = cache.get(sqlite);
  if (!statements) cache.set(sqlite, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}
