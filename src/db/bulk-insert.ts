import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from './database.js';
import type { Database } from './schema.js';
import { preparedStatement } from './sqlite-statements.js';
import { unnestColumns } from './unnest-columns.js';

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
 * - PostgreSQL: one statement for all rows, each column travelling as one typed array, or as
 *   one parameter when every row has the same value (INSERT … SELECT … FROM unnest($1::text[],
 *   $2::bigint[], …): see unnestColumns): one round trip however many rows. The JSON form it
 *   replaced (json_populate_recordset) made PostgreSQL parse every row's JSON and convert each
 *   value from text: about a quarter more of the database's CPU per delivery in the benchmark.
 * Columns are the first row's keys; every row must have the same ones (our row types do).
 */
export async function insertRows<T extends keyof Database & string>(db: Db, tx: Queryable, table: T, rows: ReadonlyArray<Database[T]>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  if (db.sqlite) {
    if (!tx.isTransaction) throw new Error('insertRows on SQLite must run inside a transaction');
    const insert = preparedStatement(db.sqlite, insertText(table, columns));
    // One array of values for every row (run() only reads it): an array per row was garbage.
    const values: unknown[] = new Array(columns.length);
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) values[i] = (row as unknown as Record<string, unknown>)[columns[i]!] ?? null;
      insert.run(values);
    }
    return;
  }
  await (await insertRowsStatementPostgres(db, tx, table, rows)).execute(tx);
}

/**
 * insertRows for rows of two tables at once, the second's referring to the first's (events and
 * their deliveries). On PostgreSQL that is one statement (the parent rows in a data-modifying
 * WITH; foreign keys are checked at the end of the statement), so one round trip instead of two.
 */
export async function insertRowsWithChildren<P extends keyof Database & string, C extends keyof Database & string>(
  db: Db, tx: Queryable, parent: P, parentRows: ReadonlyArray<Database[P]>, child: C, childRows: ReadonlyArray<Database[C]>,
): Promise<void> {
  if (db.sqlite || parentRows.length === 0 || childRows.length === 0) {
    await insertRows(db, tx, parent, parentRows);
    await insertRows(db, tx, child, childRows);
    return;
  }
  const parents = await insertRowsStatementPostgres(db, tx, parent, parentRows);
  const children = await insertRowsStatementPostgres(db, tx, child, childRows);
  await sql`WITH parents AS (${parents}) ${children}`.execute(tx);
}

/**
 * PostgreSQL: the statement insertRows runs (INSERT … SELECT … FROM unnest(…): see
 * unnestColumns), for a caller that makes it part of a larger statement. `rows` must not be empty.
 */
export async function insertRowsStatementPostgres<T extends keyof Database & string>(db: Db, q: Queryable, table: T, rows: ReadonlyArray<Database[T]>): Promise<RawBuilder<unknown>> {
  const columns = Object.keys(rows[0] as object);
  const types = await columnTypes(db, q, table, columns);
  const { expressions, from } = unnestColumns('u', columns.map((column) => ({
    values: rows.map((row) => (row as unknown as Record<string, unknown>)[column] ?? null), type: types.get(column)!,
  })));
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((column) => sql.id(column)))}) SELECT ${sql.join(expressions)}${from}`;
}

const typesByDb = new WeakMap<Db, Map<string, Map<string, string>>>();

/** PostgreSQL: each column's type as SQL spells it (for the array casts), read from the catalogue once per table and process. */
async function columnTypes(db: Db, tx: Queryable, table: string, columns: readonly string[]): Promise<Map<string, string>> {
  let tables = typesByDb.get(db);
  if (!tables) typesByDb.set(db, (tables = new Map()));
  const known = tables.get(table);
  if (known && columns.every((column) => known.has(column))) return known;
  const result = await sql<{ name: string; type: string }>`
    SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`.execute(tx);
  const types = new Map(result.rows.map((row) => [row.name, row.type]));
  const unknown = columns.filter((column) => !types.has(column));
  if (unknown.length > 0) throw new Error(`insertRows: ${table} has no column ${unknown.join(', ')}`);
  tables.set(table, types);
  return types;
}
