import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredDeliveryHistory } from '../../src/delivery/retention.js';
import { DIALECTS } from '../support/databases.js';
import { NO_ORPHANS, rowsWithoutParent } from '../support/integrity.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEvent, fakeCheckId } from './delivery-fixtures.js';

const DAY_MS = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`durability, retention and metrics on ${dialect}`, () => {
    let service: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      service = await startTestService(dialect, { REALID_EVENT_RETENTION_DAYS: '7' });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await service?.close();
    });

    it('takes over a delivery whose worker died mid-flight once its lease runs out', async () => {
      const { account, key } = await accountWithEndpoint(service, receiver.url);
      const db = service.ctx.db.kysely;
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      // Now make it look as if a worker claimed it and was killed mid-flight: due, but leased for 500 ms more.
      const leaseEnds = Date.now() + 500;
      await db.updateTable('deliveries').set({ status: 'pending', lease_owner: 'dead-worker', lease_expires_at: leaseEnds, next_attempt_at: Date.now() - 1_000, finished_at: null })
        .where('event_id', '=', event.id).execute();
      const before = receiver.requests.filter((r) => r.headers['webhook-id'] === event.id).length;
      await receiver.waitUntil((all) => all.filter((r) => r.headers['webhook-id'] === event.id).length > before, 5_000);
      const again = receiver.requests.filter((r) => r.headers['webhook-id'] === event.id);
      expect(again[again.length - 1].receivedAt).toBeGreaterThanOrEqual(leaseEnds - 5);
      const list = (await service.api(key, 'GET', '/api/v1/deliveries')).body.data;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await service.api(key, 'GET', `/api/v1/deliveries/${list[0].id}`)).body.status).toBe('succeeded');
    });

    it('purges history older than the retention in batches, never an open delivery', async () => {
      const { account } = await accountWithEndpoint(service, receiver.url);
      const db = service.ctx.db.kysely;
      const old = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      const stillOpen = await emitEvent(service, account.account.id, 'check.opened', fakeCheckId());
      const recent = await emitEvent(service, account.account.id, 'check.failed', fakeCheckId());
      await receiver.waitUntil((all) => [old, stillOpen, recent].every((e) => all.some((r) => r.headers['webhook-id'] === e.id)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const longAgo = Date.now() - 8 * DAY_MS;
      for (const event of [old, stillOpen]) {
        await db.updateTable('events').set({ created_at: longAgo }).where('id', '=', event.id).execute();
        await db.updateTable('deliveries').set({ created_at: longAgo, finished_at: longAgo }).where('event_id', '=', event.id).execute();
        const ids = (await db.selectFrom('deliveries').select('id').where('event_id', '=', event.id).execute()).map((d) => d.id);
        await db.updateTable('attempts').set({ started_at: longAgo }).where('delivery_id', 'in', ids).execute();
      }
      // One of the old ones is due again (a retry far in the future): it must survive.
      await db.updateTable('deliveries').set({ status: 'pending', finished_at: null, next_attempt_at: Date.now() + DAY_MS }).where('event_id', '=', stillOpen.id).execute();

      const purged = await purgeExpiredDeliveryHistory(service.ctx);
      expect(purged.deliveries).toBeGreaterThanOrEqual(1);
      const eventsLeft = (await db.selectFrom('events').select('id').where('id', 'in', [old.id, stillOpen.id, recent.id]).execute()).map((e) => e.id);
      expect(eventsLeft.sort()).toEqual([stillOpen.id, recent.id].sort());
      const openLeft = await db.selectFrom('deliveries').select('status').where('event_id', '=', stillOpen.id).execute();
      expect(openLeft.map((d) => d.status)).toEqual(['pending']);
      expect(await db.selectFrom('deliveries').select('id').where('event_id', '=', old.id).execute()).toHaveLength(0);
      // Children before parents: on PostgreSQL no foreign key would refuse the other order (migration 005).
      expect(await rowsWithoutParent(db)).toEqual(NO_ORPHANS);
    });

    it('exports events recorded, attempt outcomes, latency, first-attempt lag and queue depth at /metrics', async () => {
      const { account } = await accountWithEndpoint(service, receiver.url);
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = await (await fetch(`${service.url}/metrics`)).text();
      expect(text).toMatch(/realid_delivery_attempts_total\{outcome="success"\} [1-9]/);
      expect(text).toMatch(/realid_events_total\{type="check.completed"\} [1-9]/);
      expect(text).toMatch(/realid_delivery_attempt_duration_seconds_count [1-9]/);
      expect(text).toMatch(/realid_delivery_first_attempt_lag_seconds_count [1-9]/);
      expect(text).toMatch(/realid_delivery_queue_depth\{state="due"\} \d+/);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`a lease that runs out mid-attempt on ${dialect}`, () => {
    let service: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      // Leases far shorter than the receiver takes to answer: what an overloaded machine does to a normal lease.
      service = await startTestService(dialect, { REALID_DELIVERY_LEASE: '300ms', REALID_POLL_INTERVAL: '100ms' });
      receiver = await startReceiver();
      receiver.behave(() => ({ status: 200, body: 'ok', delayMs: 1_500 }));
    });
    afterAll(async () => {
      await receiver?.close();
      await service?.close();
    });

    it('is not sent a second time by the worker that is still sending it', async () => {
      const { account, key } = await accountWithEndpoint(service, receiver.url);
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      // The lease ran out about four times before the answer came; each time a claim found the row due again.
      const list = async () => (await service.api(key, 'GET', '/api/v1/deliveries')).body.data as Array<{ id: string; status: string }>;
      const deadline = Date.now() + 10_000;
      while ((await list())[0]?.status !== 'succeeded' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const [delivery] = await list();
      expect(delivery!.status).toBe('succeeded');
      expect(receiver.requests.filter((r) => r.headers['webhook-id'] === event.id)).toHaveLength(1);
      expect((await service.api(key, 'GET', `/api/v1/deliveries/${delivery!.id}`)).body.attempts).toHaveLength(1);
    });
  });

  describe(`an attempt that waits behind its endpoint's slow one on ${dialect}`, () => {
    let service: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      // One attempt at a time, each taking 1.5 s, under a 2 s lease: an attempt handed to the sender
      // behind another would start with half a second of lease left, too little for a whole one.
      service = await startTestService(dialect, { REALID_DELIVERY_LEASE: '2s', REALID_ENDPOINT_CONCURRENCY: '1', REALID_POLL_INTERVAL: '100ms' });
      receiver = await startReceiver();
      receiver.behave(() => ({ status: 200, body: 'ok', delayMs: 1_500 }));
    });
    afterAll(async () => {
      await receiver?.close();
      await service?.close();
    });

    it('is handed back and sent under a fresh lease, never recorded as an attempt', async () => {
      const { account, key } = await accountWithEndpoint(service, receiver.url);
      const first = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      const second = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === second.id), 10_000);
      const arrived = receiver.requests.find((r) => r.headers['webhook-id'] === second.id)!;
      // Still being answered, so still leased: the lease it was sent under had a whole attempt's room (half the lease here).
      const row = await service.ctx.db.kysely.selectFrom('deliveries').select(['id', 'lease_expires_at']).where('event_id', '=', second.id).executeTakeFirstOrThrow();
      // What a merchant sees meanwhile: the delivery is being sent, in its detail and in the log's filters.
      expect((await service.api(key, 'GET', `/api/v1/deliveries/${row.id}`)).body.status).toBe('sending');
      const ids = async (status: string) => ((await service.api(key, 'GET', `/api/v1/deliveries?status=${status}`)).body.data as Array<{ id: string }>).map((d) => d.id);
      expect(await ids('sending')).toContain(row.id);
      expect(await ids('pending')).not.toContain(row.id);
      expect(row.lease_expires_at! - arrived.receivedAt).toBeGreaterThanOrEqual(1_000);
      const list = async () => (await service.api(key, 'GET', '/api/v1/deliveries')).body.data as Array<{ id: string; status: string }>;
      const deadline = Date.now() + 10_000;
      while ((await list()).some((d) => d.status !== 'succeeded') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      for (const delivery of await list()) {
        expect(delivery.status).toBe('succeeded');
        expect((await service.api(key, 'GET', `/api/v1/deliveries/${delivery.id}`)).body.attempts).toHaveLength(1);
      }
      for (const event of [first, second]) expect(receiver.requests.filter((r) => r.headers['webhook-id'] === event.id)).toHaveLength(1);
    });
  });
}
