import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { startService } from '../../src/main.js';
import { DIALECTS } from '../support/databases.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestService } from '../support/service.js';
import { accountWithEndpoint, emitEventsAtOnce } from './delivery-fixtures.js';

const EVENTS = 60;

for (const dialect of DIALECTS) {
  describe(`graceful stop on ${dialect}`, () => {
    const receivers: Receiver[] = [];
    afterAll(async () => { for (const receiver of receivers) await receiver.close(); });

    it('finishes and records what is in flight, hands back what was queued, and a restart sends the rest exactly once', async () => {
      const receiver = await startReceiver();
      receivers.push(receiver);
      // Slow enough that a stop lands with sends in flight and more queued behind them.
      receiver.behave(() => ({ status: 200, delayMs: 150 }));
      const service = await startTestService(dialect);
      const { account } = await accountWithEndpoint(service, receiver.url);
      const emitted = (await emitEventsAtOnce(service, account.account.id, EVENTS)).map((e) => e.id);
      await receiver.waitFor(5, 20_000);

      await service.close();
      const arrivedBeforeRestart = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
      expect(arrivedBeforeRestart.size).toBeGreaterThan(0);
      expect(arrivedBeforeRestart.size).toBeLessThan(EVENTS);

      // Nothing is left leased to the stopped worker: every delivery is either recorded as sent or back in the queue.
      const db = openDatabase(service.ctx.config.db);
      try {
        const rows = await db.kysely.selectFrom('deliveries').select(['event_id', 'status', 'lease_owner'])
          .where('account_id', '=', account.account.id).execute();
        expect(rows.filter((row) => row.lease_owner !== null)).toEqual([]);
        const succeeded = new Set(rows.filter((row) => row.status === 'succeeded').map((row) => row.event_id));
        expect(succeeded).toEqual(arrivedBeforeRestart);
        expect(rows.filter((row) => row.status === 'pending')).toHaveLength(EVENTS - succeeded.size);
      } finally {
        await db.close();
      }

      const restarted = await startService(service.ctx.config);
      try {
        await receiver.waitUntil((all) => new Set(all.map((r) => r.headers['webhook-id'])).size >= EVENTS, 30_000);
        const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
        expect(new Set(ids)).toEqual(new Set(emitted));
        expect(ids).toHaveLength(EVENTS);
      } finally {
        await restarted.close();
      }
    }, 90_000);
  });
}
