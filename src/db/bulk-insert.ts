import { sql } from 'kysely';
import type { Db, Queryable } from './database.js';
import type { Database } from './schema.js';
import { preparedStatement } from './sqlite-statements.js';

/** One single-row INSERT per table and column list. */
function insertText(table: string, columns: string[]): string {
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * Inserts many rows of a table inside the transaction `tx`, at the lowest cost each database
 * allows, with an SQL text that does not depend on how many rows there are (a multi-row VALUES
 * list would be a new statement to parse and plan for every count):
 * - SQLite: one prepared single-row INSERT run per row on the raw handle. SQLite is in-process,
 *   so a row costs a few microseconds and no round trip. This is only sound inside a Kysely
 *   transaction, which holds the one connection, so nothing else can run between the rows.
 * - PostgreSQL: one statement for all rows, which travel as one JSON parameter
 *   (json_populate_recordset): one round trip however many rows.
 * Columns are the first row's keys; every row must have the same ones (our row types do).
 */
export async function insertRows<T extends keyof Database & string>(db: Db, tx: Queryable, table: T, rows: ReadonlyArray<Database[T]>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  if (db.sqlite) {
    if (!tx.isTransaction) throw new Error('insertRows on SQLite must run inside a transaction');
    const insert = preparedStatement(db.sqlite, insertText(table, columns));
    for (const row of rows) insert.run(columns.map((column) => (row as unknown as Record<string, unknown>)[column] ?? null));
    return;
  }
  const names = sql.join(columns.map((column) => sql.id(column)));
  await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(tx);
}
