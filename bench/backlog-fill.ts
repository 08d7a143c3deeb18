import type SqliteDatabase from 'better-sqlite3';

/**
 * Queues a million deliveries in seconds instead of minutes: one event recorded through the real
 * outbox is the template, and SQLite copies its `events` row and its `deliveries` row `count`
 * times in one transaction, changing only the ids. Every other column (status, due time, lease,
 * the columns later migrations added) is whatever `recordEvent` wrote, read from the schema at
 * run time, so the copies are rows the engine cannot tell from the real thing. Only the drain is
 * measured; recording a million events one by one would spend the time budget on the filling.
 */
function columnsOf(sqlite: SqliteDatabase.Database, table: string): string[] {
  return (sqlite.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((column) => column.name);
}

/** `expression` for the columns named in `overrides`, the template row's value for the rest. */
function copyList(columns: string[], overrides: Record<string, string>): string {
  return columns.map((column) => overrides[column] ?? `t."${column}"`).join(', ');
}

export function cloneQueuedEvent(sqlite: SqliteDatabase.Database, templateEventId: string, count: number): void {
  const eventColumns = columnsOf(sqlite, 'events');
  const deliveryColumns = columnsOf(sqlite, 'deliveries');
  // Ids keep their prefix and stay unique: `evt_bulk00000001`, `msg_bulk00000001`.
  const counter = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.floor(count)})`;
  const bulkId = (prefix: string) => `'${prefix}_bulk' || printf('%08d', n.i)`;
  sqlite.transaction(() => {
    sqlite.prepare(`${counter}
      INSERT INTO events (${eventColumns.map((c) => `"${c}"`).join(', ')})
      SELECT ${copyList(eventColumns, { id: bulkId('evt') })} FROM n, events t WHERE t.id = ?`).run(templateEventId);
    sqlite.prepare(`${counter}
      INSERT INTO deliveries (${deliveryColumns.map((c) => `"${c}"`).join(', ')})
      SELECT ${copyList(deliveryColumns, { id: bulkId('msg'), event_id: bulkId('evt') })} FROM n, deliveries t WHERE t.event_id = ?`).run(templateEventId);
  })();
}
