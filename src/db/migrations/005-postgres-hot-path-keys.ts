import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * PostgreSQL only: the foreign keys that every delivery checks go — events → accounts,
 * deliveries → endpoints and → events, attempts → deliveries.
 *
 * On PostgreSQL a foreign key is a trigger per inserted row that runs `SELECT 1 FROM parent …
 * FOR KEY SHARE`: a row lock on the parent, written to the WAL when the parent is a row of the
 * same transaction (the event of a new delivery, the delivery of a new attempt). That was about a
 * tenth of the database's CPU per delivery (pg_stat_statements: 12,000 deliveries ran 48,000 such
 * checks, 271 ms, beside 2,369 ms for the statements that caused them; five alternating bench
 * pairs: 108 → 95 µs of PostgreSQL CPU per delivery). GitHub's schema has no foreign keys for the
 * same reason. On SQLite the same check is a probe of a cached B-tree in our own process, with
 * no cost the bench can see, so SQLite keeps them and its tests still catch an orphan at once.
 *
 * What the keys guarded still holds without them, by construction:
 * - an event and its deliveries are written in one statement (outbox.ts), and a worker writes an
 *   attempt only for a delivery it holds under lease, which retention never deletes (open);
 * - accounts and endpoints are never deleted (an endpoint's delete is soft: deleted_at);
 * - retention deletes attempts, then deliveries with none left, then events with none left;
 * - a recovery or a resend re-queues only history that retention will not reach for an hour
 *   (`oldestRecoverable` in delivery/retention.ts), so neither can give a delivery to an event,
 *   or re-open a delivery, that the sweep is deleting.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  const drop = (table: string, constraint: string) => db.schema.alterTable(table).dropConstraint(constraint).ifExists().execute();
  await drop('events', 'events_account_id_fkey');
  await drop('deliveries', 'deliveries_endpoint_id_fkey');
  await drop('deliveries', 'deliveries_event_id_fkey');
  await drop('attempts', 'attempts_delivery_id_fkey');
}
