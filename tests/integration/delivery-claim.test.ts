import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { claimDueDeliveries } from '../../src/delivery/claim.js';
import { leaseQuery } from '../../src/delivery/claim-candidates.js';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { emitEventsAtOnce } from './delivery-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`claiming deliveries on ${dialect}`, () => {
    let service: TestService;
    // The api role only: no worker of its own, so this test is the only claimer.
    beforeAll(async () => { service = await startTestService(dialect, { REALID_ROLE: 'api' }); });
    afterAll(async () => { await service?.close(); });

    it('finds a quiet endpoint\'s due work behind a busy endpoint\'s backlog, without taking the busy one\'s', async () => {
      const account = await service.account();
      const key = account.keys.live.key;
      const endpoint = async (path: string) => (await service.api(key, 'POST', '/api/v1/webhook-endpoints', { url: `https://hooks.example.com/${path}` })).body.id as string;
      const busy = await endpoint('busy');
      await emitEventsAtOnce(service, account.account.id, 60);
      const quiet = await endpoint('quiet');
      await emitEventsAtOnce(service, account.account.id, 3);
      const claim = (limit: number, capacity: Record<string, number>, saturated: string[]) => claimDueDeliveries(service.ctx.db, {
        owner: `test-${limit}`, now: Date.now(), leaseMs: 60_000, limit, saturated, capacityOf: (id) => capacity[id] ?? 0,
      });

      // The busy endpoint is at its limit: its 63 older deliveries fill any window, yet the quiet one's 3 are found.
      const first = await claim(10, { [busy]: 0, [quiet]: 16 }, [busy]);
      expect(first.deliveries.map((d) => d.endpoint_id)).toEqual([quiet, quiet, quiet]);
      // Leased, not re-stated: a lease changes no indexed column (status stays pending; see DeliveryStatus).
      expect(first.deliveries.every((d) => d.status === 'pending' && d.lease_owner === 'test-10' && d.lease_expires_at! > Date.now())).toBe(true);

      // Nothing due is left for the quiet endpoint; the busy one still has everything.
      const second = await claim(10, { [busy]: 0, [quiet]: 16 }, [busy]);
      expect(second.deliveries).toEqual([]);
      const third = await claim(5, { [busy]: 5 }, []);
      expect(third.deliveries.map((d) => d.endpoint_id)).toEqual(Array(5).fill(busy));
      expect(third.leftBehind).toBe(true);
    });

    it('never leases a delivery to two claimers at once, and leases every due one', async () => {
      const account = await service.account();
      const key = account.keys.live.key;
      await service.api(key, 'POST', '/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/raced' });
      await emitEventsAtOnce(service, account.account.id, 120);
      // Six claimers racing over the same oldest rows (on PostgreSQL, over separate connections),
      // round after round until nothing is due.
      const leasedBy = new Map<string, string>();
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => claimDueDeliveries(service.ctx.db, {
          owner: `racer-${round}-${i}`, now: Date.now(), leaseMs: 60_000, limit: 25, saturated: [], capacityOf: () => 25,
        })));
        for (const result of results) {
          for (const delivery of result.deliveries) {
            expect(leasedBy.get(delivery.id), `${delivery.id} leased twice`).toBeUndefined();
            leasedBy.set(delivery.id, delivery.lease_owner!);
          }
        }
        if (results.every((r) => r.deliveries.length === 0)) break;
      }
      const mine = await service.ctx.db.kysely.selectFrom('deliveries').select(['id', 'lease_owner', 'status'])
        .where('account_id', '=', account.account.id).execute();
      expect(mine).toHaveLength(120);
      // The database agrees with what each claimer was told it holds.
      for (const row of mine) expect([row.status, row.lease_owner]).toEqual(['pending', leasedBy.get(row.id)]);
    });

    it('takes over a delivery an older version leased as "sending", once that lease runs out', async () => {
      const account = await service.account();
      await service.api(account.keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/upgraded' });
      await emitEventsAtOnce(service, account.account.id, 2);
      const db = service.ctx.db.kysely;
      const [running, expired] = await db.selectFrom('deliveries').select('id').where('account_id', '=', account.account.id).orderBy('id').execute();
      // How versions before migration 006 wrote a lease (a process of one may still be running during an upgrade).
      const legacyLease = (id: string, until: number) => sql`UPDATE deliveries SET status = 'sending', lease_owner = 'old-version', lease_expires_at = ${until}, next_attempt_at = ${until} WHERE id = ${id}`.execute(db);
      await legacyLease(running!.id, Date.now() + 60_000);
      await legacyLease(expired!.id, Date.now() - 1);
      const claimed = await claimDueDeliveries(service.ctx.db, { owner: 'new-version', now: Date.now(), leaseMs: 60_000, limit: 10, saturated: [], capacityOf: () => 10 });
      expect(claimed.deliveries.filter((d) => d.account_id === account.account.id).map((d) => d.id)).toEqual([expired!.id]);
    });

    if (dialect === 'postgres') {
      it('leases without writing an index entry (a HOT update on PostgreSQL)', async () => {
        const account = await service.account();
        await service.api(account.keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/hot' });
        await emitEventsAtOnce(service, account.account.id, 40);
        const db = service.ctx.db.kysely;
        const ids = (await db.selectFrom('deliveries').select('id').where('account_id', '=', account.account.id).execute()).map((row) => row.id);
        // Counted by this connection around the lease alone (pg_stat_xact_* holds what it has not yet
        // reported), so nothing else running can change the numbers.
        const { updated, hot } = await db.transaction().execute(async (tx) => {
          const count = async () => (await sql<{ updated: string; hot: string }>`SELECT n_tup_upd AS updated, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'`.execute(tx)).rows[0]!;
          const before = await count();
          await leaseQuery(tx, ids, { owner: 'hot', now: Date.now(), leaseMs: 60_000, limit: 40, saturated: [], capacityOf: () => 40 }).execute();
          const after = await count();
          return { updated: Number(after.updated) - Number(before.updated), hot: Number(after.hot) - Number(before.hot) };
        });
        expect(updated).toBe(40);
        // Nearly all: HOT needs room on the row's page, which the table's fillfactor keeps for it.
        expect(hot).toBeGreaterThanOrEqual(36);
      });
    }
  });
}
