import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { receiverPool } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEvent, emitEventsAtOnce, fakeCheckId, median } from './delivery-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`isolation, ordering and rate limits on ${dialect}`, () => {
    let service: TestService;
    const pool = receiverPool();
    const receiver = pool.start;
    beforeAll(async () => {
      service = await startTestService(dialect, { REALID_RETRY_SCHEDULE: '300ms,300ms,300ms', REALID_RETRY_JITTER: '0' });
    });
    afterAll(async () => {
      // Closing the receivers first ends the hanging requests, so the worker stops at once.
      await pool.closeAll();
      await service?.close();
    });

    it('keeps a receiver that sleeps 10 s from delaying any other endpoint', async () => {
      const slow = await receiver();
      slow.behave(() => ({ status: 200, delayMs: 10_000 }));
      const fast = await receiver();
      const sleepy = await accountWithEndpoint(service, slow.url);
      const busy = await accountWithEndpoint(service, fast.url);
      // More than the per-endpoint limit (16) of requests hang on the slow endpoint...
      for (let i = 0; i < 40; i++) await emitEvent(service, sleepy.account.account.id, 'check.completed', fakeCheckId());
      await slow.waitFor(16);
      // ...and only that many: the rest wait their turn instead of taking every worker slot.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(slow.requests.length).toBe(16);

      const lags: number[] = [];
      for (let i = 0; i < 10; i++) {
        const event = await emitEvent(service, busy.account.account.id, 'check.completed', fakeCheckId());
        const committedAt = Date.now();
        await fast.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id), 5_000);
        lags.push(fast.requests.find((r) => r.headers['webhook-id'] === event.id)!.receivedAt - committedAt);
      }
      // Milliseconds, not seconds: the slow endpoint's 10 s never shows up here (the bound leaves room for a busy machine).
      expect(median(lags)).toBeLessThan(300);
      expect(Math.max(...lags)).toBeLessThan(2_000);
    });

    it('delivers a check\'s events in order to an ordered endpoint, even across retries, without holding other checks back', async () => {
      const hook = await receiver();
      const { account, endpoint } = await accountWithEndpoint(service, hook.url, { ordered: true });
      expect(endpoint.ordered).toBe(true);
      const checkId = fakeCheckId();
      const otherCheck = fakeCheckId();
      const failFirstTwo = new Map<string, number>();
      hook.behave((request) => {
        const id = String(request.headers['webhook-id']);
        const seen = (failFirstTwo.get(id) ?? 0) + 1;
        failFirstTwo.set(id, seen);
        return JSON.parse(request.body).event === 'check.delivered' && seen <= 2 ? { status: 500 } : { status: 200 };
      });
      const delivered = await emitEvent(service, account.account.id, 'check.delivered', checkId);
      const opened = await emitEvent(service, account.account.id, 'check.opened', checkId);
      const completed = await emitEvent(service, account.account.id, 'check.completed', checkId);
      const unrelated = await emitEvent(service, account.account.id, 'check.delivered', otherCheck);
      await hook.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === completed.id), 10_000);

      const ours = hook.requests.filter((r) => JSON.parse(r.body).check.id === checkId).map((r) => r.headers['webhook-id']);
      // Three tries of the first event (two failures, one success), then the others, in order.
      expect(ours).toEqual([delivered.id, delivered.id, delivered.id, opened.id, completed.id]);
      // The other check's first event did not wait for this check's retries.
      const unrelatedAt = hook.requests.findIndex((r) => r.headers['webhook-id'] === unrelated.id);
      const lastRetryAt = hook.requests.findLastIndex((r) => r.headers['webhook-id'] === delivered.id);
      expect(unrelatedAt).toBeLessThan(lastRetryAt);
    });

    it('moves on once an earlier event is given up', async () => {
      const hook = await receiver();
      const { account } = await accountWithEndpoint(service, hook.url, { ordered: true });
      const checkId = fakeCheckId();
      hook.behave((request) => (JSON.parse(request.body).event === 'check.delivered' ? { status: 500 } : { status: 200 }));
      const doomed = await emitEvent(service, account.account.id, 'check.delivered', checkId);
      const next = await emitEvent(service, account.account.id, 'check.failed', checkId);
      await hook.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === next.id), 10_000);
      expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual([doomed.id, doomed.id, doomed.id, doomed.id, next.id]);
    });

    it('holds an endpoint to its rate_limit_per_second', async () => {
      const hook = await receiver();
      const { account, endpoint } = await accountWithEndpoint(service, hook.url, { rate_limit_per_second: 5 });
      await emitEventsAtOnce(service, account.account.id, 15);
      await hook.waitFor(15, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // When each attempt left, as the delivery log records it (the receiver's clock in this busy test
      // process can bunch arrivals together).
      const attempts = await service.ctx.db.kysely.selectFrom('attempts').select('started_at').where('endpoint_id', '=', endpoint.id).orderBy('started_at').execute();
      expect(attempts).toHaveLength(15);
      const times = attempts.map((a) => a.started_at);
      // A bucket of 5 that refills at 5/s: a burst of 5, then one every 200 ms, so 15 take about 2 s.
      expect(times[14] - times[0]).toBeGreaterThanOrEqual(1_800);
      for (let i = 10; i < times.length; i++) expect(times[i] - times[i - 5]).toBeGreaterThanOrEqual(900);
    });
  });
}
