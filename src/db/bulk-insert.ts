import { sql } from 'kysely';
import type { Queryable } from './database.js';
import { isSqlite } from './id-list.js';
import type { Database } from './schema.js';

/**
 * Inserts many rows of a table in one statement whose text does not depend on how many there
 * are: the rows travel as one JSON array parameter (SQLite `json_each`, PostgreSQL
 * `json_populate_recordset`). A multi-row VALUES list would be a new SQL text for every row
 * count — a fresh parse and plan each time, and SQLite's statement cache would never hit.
 * Columns are the first row's keys; every row must have the same ones (our row types do).
 */
export async function insertRows<T extends keyof Database & string>(q: Queryable, table: T, rows: ReadonlyArray<Database[T]>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const names = sql.join(columns.map((column) => sql.id(column)));
  const json = JSON.stringify(rows);
  if (isSqlite(q)) {
    const fields = sql.join(columns.map((column) => sql.raw(`value ->> '$.${column}'`)));
    await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${fields} FROM json_each(${json})`.execute(q);
  } else {
    await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`.execute(q);
  }
}
