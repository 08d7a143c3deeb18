import { type RawBuilder, sql } from 'kysely';

/** One column of a batch: its value in each row, and its type as PostgreSQL spells it. */
export interface BatchColumn {
  values: readonly unknown[];
  type: string;
}

/**
 * PostgreSQL: the columns of a batch of rows for one statement, as `FROM unnest(…) AS alias(…)`
 * and one expression per column. A column with the same value in every row (the account, the
 * transaction's time, a status, the one endpoint of a batch…) becomes one parameter instead of an
 * array of copies: `pg` escapes every element of a text array and PostgreSQL parses each one
 * again, and in a batch most columns are such constants (a delivery row has 3 columns of its own
 * out of 16). With no array at all (a single row), `from` is empty and the expressions are the
 * row's values: SELECT without FROM makes that one row.
 */
export function unnestColumns(alias: string, columns: readonly BatchColumn[]): { expressions: RawBuilder<unknown>[]; from: RawBuilder<unknown> } {
  const rows = columns[0]?.values.length ?? 0;
  const constant = columns.map((column) => column.values.every((value) => value === column.values[0]));
  // More than one row needs an array to unnest into as many (rows never repeat: each has an id).
  if (rows > 1 && constant.every(Boolean)) constant[0] = false;
  const table = sql.id(alias);
  const arrays: RawBuilder<unknown>[] = [];
  const names: RawBuilder<unknown>[] = [];
  const expressions = columns.map((column, i) => {
    const type = sql.raw(column.type);
    if (constant[i]) return sql`${column.values[0] ?? null}::${type}`;
    const name = sql.id(`c${arrays.length}`);
    arrays.push(sql`${column.values}::${type}[]`);
    names.push(name);
    return sql`${table}.${name}`;
  });
  const from = arrays.length > 0 ? sql` FROM unnest(${sql.join(arrays)}) AS ${table}(${sql.join(names)})` : sql``;
  return { expressions, from };
}
