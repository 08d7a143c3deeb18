import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { insertRows, insertRowsWithChildren } from '../../src/db/bulk-insert.js';
import { inTransaction, openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { DeliveriesTable, EventsTable } from '../../src/db/schema.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';

/**
 * The batch inserts every outbox transaction and attempt record goes through. On PostgreSQL a
 * column with one value in every row travels as one parameter and the others as arrays; whichever
 * way each column goes, every row must come back exactly as written.
 */
for (const dialect of DIALECTS) {
  describe(`batch inserts on ${dialect}`, () => {
    let db: Db;
    const now = 1_767_000_000_000;
    const event = (n: number, over: Partial<EventsTable> = {}): EventsTable => ({
      id: newId('evt', now + n), account_id: 'acct_bulk', type: 'check.completed', check_id: `chk_${n}`, testing: 0,
      payload: `{"n":${n},"quote":"\\"x\\" {a,b}"}`, created_at: now, ...over,
    });
    const delivery = (e: EventsTable, over: Partial<DeliveriesTable> = {}): DeliveriesTable => ({
      id: newId('msg', now), account_id: 'acct_bulk', endpoint_id: 'ep_bulk', event_id: e.id, check_id: e.check_id, order_key: null,
      status: 'pending', attempt_count: 0, next_attempt_at: now, lease_owner: null, lease_expires_at: null, last_attempt_at: null,
      last_status_code: null, last_error: null, created_at: now, updated_at: now, finished_at: null, retry_base: 0, next_trigger: 'scheduled', ...over,
    });

    beforeAll(async () => {
      db = openDatabase(await freshDatabase(dialect));
      await migrateToLatest(db);
      await sql`INSERT INTO accounts (id, name, plan, created_at, updated_at) VALUES ('acct_bulk', 'Bulk', 'enterprise', 0, 0)`.execute(db.kysely);
      await sql`INSERT INTO endpoints (id, account_id, url, event_types, include_testing, ordered, disabled, created_at, updated_at)
        VALUES ('ep_bulk', 'acct_bulk', 'http://127.0.0.1:9/', '[]', 1, 0, 0, 0, 0)`.execute(db.kysely);
    });
    afterAll(async () => {
      await db?.close();
    });

    const stored = async (table: 'events' | 'deliveries', ids: string[]): Promise<unknown[]> => (table === 'events'
      ? db.kysely.selectFrom('events').selectAll().where('id', 'in', ids).orderBy('id').execute()
      : db.kysely.selectFrom('deliveries').selectAll().where('id', 'in', ids).orderBy('id').execute());
    const sorted = <R extends { id: string }>(rows: R[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

    it('writes events and their deliveries together, columns that vary and columns that do not', async () => {
      // Constant columns (account, type, times, status) beside varying ones, a column that is null
      // in some rows only, and a payload with the characters an array literal must escape.
      const events = [event(1), event(2, { testing: 1 }), event(3)];
      const deliveries = [delivery(events[0]!), delivery(events[1]!, { order_key: 'ep_bulk:chk_2' }), delivery(events[2]!, { next_attempt_at: now + 5 })];
      await inTransaction(db, (tx) => insertRowsWithChildren(db, tx, 'events', events, 'deliveries', deliveries));
      expect(await stored('events', events.map((e) => e.id))).toEqual(sorted(events));
      expect(await stored('deliveries', deliveries.map((d) => d.id))).toEqual(sorted(deliveries));
    });

    it('writes a single row, and rows in which every column but the id is the same', async () => {
      const one = event(10);
      await inTransaction(db, (tx) => insertRows(db, tx, 'events', [one]));
      expect(await stored('events', [one.id])).toEqual([one]);
      const twins = [event(11, { check_id: 'chk_same' }), event(12, { check_id: 'chk_same', payload: event(11).payload })];
      await inTransaction(db, (tx) => insertRows(db, tx, 'events', twins));
      expect(await stored('events', twins.map((e) => e.id))).toEqual(sorted(twins));
    });

    it('writes nothing of a batch whose rows break a constraint', async () => {
      // The second delivery repeats the first's id: the parent rows, written first, must go too.
      const first = event(20);
      const twice = delivery(first);
      await expect(inTransaction(db, (tx) => insertRowsWithChildren(db, tx, 'events', [first], 'deliveries', [twice, { ...twice }]))).rejects.toThrow(/unique|UNIQUE/);
      expect(await stored('events', [first.id])).toEqual([]);
    });
  });
}
