import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { freePort } from '../support/postgres-server.js';
import { receiverPool } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEvent, fakeCheckId } from './delivery-fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe(`retries and the delivery log on ${dialect}`, () => {
    let service: TestService;
    const pool = receiverPool();
    const receiver = pool.start;
    beforeAll(async () => {
      service = await startTestService(dialect, {
        REALID_RETRY_SCHEDULE: '100ms,200ms', REALID_RETRY_JITTER: '0', REALID_ATTEMPT_TIMEOUT: '2s',
        REALID_MAX_RETRY_AFTER: '1s', REALID_DISABLE_AFTER: '1500ms',
      });
    });
    afterAll(async () => {
      await pool.closeAll();
      await service?.close();
    });

    /** Waits until the delivery of `eventId` is finished, and returns it with its attempts. */
    async function finishedDelivery(key: string, eventId: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const list = await service.api(key, 'GET', '/api/v1/deliveries?limit=100');
        const found = list.body.data.find((d: { event_id: string; status: string }) => d.event_id === eventId && ['succeeded', 'failed'].includes(d.status));
        if (found) return (await service.api(key, 'GET', `/api/v1/deliveries/${found.id}`)).body;
        if (Date.now() > deadline) throw new Error(`delivery of ${eventId} not finished: ${JSON.stringify(list.body.data)}`);
        await sleep(50);
      }
    }

    it('retries on the schedule until a 2xx, keeping every attempt with its request and response', async () => {
      const hook = await receiver();
      hook.behave((_r, i) => (i < 2 ? { status: 500, body: 'down for maintenance', headers: { 'x-upstream': 'db' } } : { status: 204 }));
      const { account, key } = await accountWithEndpoint(service, hook.url);
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      const delivery = await finishedDelivery(key, event.id);
      expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id, event.id]);
      const gaps = [1, 2].map((i) => hook.requests[i].receivedAt - hook.requests[i - 1].receivedAt);
      expect(gaps[0]).toBeGreaterThanOrEqual(90);
      expect(gaps[1]).toBeGreaterThanOrEqual(190);

      expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 3, last_status_code: 204, event_type: 'check.completed', payload: event.payload });
      expect(delivery.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([500, 500, 204]);
      const [first] = delivery.attempts;
      expect(first).toMatchObject({ attempt_number: 1, trigger: 'scheduled', succeeded: false, error_kind: 'http_error', url: hook.url });
      expect(first.response.body).toBe('down for maintenance');
      expect(first.response.headers['x-upstream']).toBe('db');
      expect(first.request.body).toBe(event.payload);
      expect(first.request.headers['webhook-id']).toBe(event.id);
      expect(first.request.headers['webhook-signature']).toMatch(/^v1,/);
      expect(first.duration_ms).toBeGreaterThanOrEqual(0);
      // The failures started a run of failures on the endpoint; the success ended it.
      const endpointId = delivery.endpoint_id;
      expect((await service.api(key, 'GET', `/api/v1/webhook-endpoints/${endpointId}`)).body.failing_since).toBeNull();
    });

    it('gives up after the last retry, and treats a redirect as a failure without following it', async () => {
      const hook = await receiver();
      hook.behave(() => ({ status: 302, headers: { location: `${hook.url}/moved` } }));
      const { account, key, endpoint } = await accountWithEndpoint(service, hook.url);
      const event = await emitEvent(service, account.account.id, 'check.failed', fakeCheckId());
      const delivery = await finishedDelivery(key, event.id);
      expect(delivery).toMatchObject({ status: 'failed', attempt_count: 3, last_status_code: 302 });
      expect(delivery.last_error).toMatch(/302/);
      expect(hook.requests.every((r) => r.path === '/hook')).toBe(true);
      expect(hook.requests).toHaveLength(3);
      const shown = (await service.api(key, 'GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body;
      expect(shown.failing_since).not.toBeNull();
      expect(shown.health).toMatchObject({ success_rate: 0, attempts_considered: 3, last_success_at: null });
      expect(shown.health.last_failure_at).not.toBeNull();
    });

    it('names what went wrong: timeout, refused, reset', async () => {
      const hanging = await receiver();
      hanging.behave(() => ({ hang: true }));
      const resetting = await receiver();
      resetting.behave(() => ({ destroy: true }));
      const closedPort = `http://127.0.0.1:${await freePort()}/hook`;
      const kinds: Record<string, string> = {};
      await Promise.all(Object.entries({ timeout: hanging.url, refused: closedPort, reset: resetting.url }).map(async ([expected, url]) => {
        const { account, key } = await accountWithEndpoint(service, url);
        const event = await emitEvent(service, account.account.id, 'check.opened', fakeCheckId());
        const deadline = Date.now() + 10_000;
        for (;;) {
          const list = await service.api(key, 'GET', '/api/v1/deliveries');
          const id = list.body.data.find((d: { event_id: string }) => d.event_id === event.id)?.id;
          const attempts = id ? (await service.api(key, 'GET', `/api/v1/deliveries/${id}`)).body.attempts : [];
          if (attempts.length > 0) {
            kinds[expected] = attempts[0].error_kind;
            if (expected === 'timeout') expect(attempts[0].duration_ms).toBeGreaterThanOrEqual(1_950);
            return;
          }
          if (Date.now() > deadline) throw new Error(`no attempt for ${expected}`);
          await sleep(50);
        }
      }));
      expect(kinds).toEqual({ timeout: 'timeout', refused: 'refused', reset: 'reset' });
    });

    it('honours Retry-After on 429 within the configured bound', async () => {
      const hook = await receiver();
      hook.behave((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 }));
      const { account, key } = await accountWithEndpoint(service, hook.url);
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await finishedDelivery(key, event.id);
      const gap = hook.requests[1].receivedAt - hook.requests[0].receivedAt;
      // The schedule says 100 ms; the receiver asked for 120 s; the bound (REALID_MAX_RETRY_AFTER) is 1 s.
      expect(gap).toBeGreaterThanOrEqual(950);
      expect(gap).toBeLessThan(5000);
    });

    it('keeps only the first 20 kB of a large response body', async () => {
      const hook = await receiver();
      hook.behave(() => ({ status: 200, body: 'x'.repeat(200_000) }));
      const { account, key } = await accountWithEndpoint(service, hook.url);
      const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      const delivery = await finishedDelivery(key, event.id);
      expect(delivery.attempts[0].response.body).toBe('x'.repeat(20 * 1024));
    });

    it('disables an endpoint that fails everything; re-enabling reports what it missed, and recover sends it', async () => {
      const hook = await receiver();
      let up = false;
      hook.behave(() => (up ? { status: 200 } : { status: 503, body: 'gone' }));
      const { account, key, endpoint } = await accountWithEndpoint(service, hook.url);
      const first = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      await finishedDelivery(key, first.id);
      await sleep(1600);
      const second = await emitEvent(service, account.account.id, 'check.failed', fakeCheckId());
      const deadline = Date.now() + 10_000;
      let shown = (await service.api(key, 'GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body;
      while (!shown.disabled && Date.now() < deadline) {
        await sleep(50);
        shown = (await service.api(key, 'GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body;
      }
      expect(shown.disabled).toBe(true);
      expect(shown.disabled_reason).toMatch(/failed for 1500ms/);
      expect(shown.health.disabled_reason).toBe(shown.disabled_reason);
      const whileDisabled = await emitEvent(service, account.account.id, 'check.opened', fakeCheckId());

      up = true;
      const enabled = await service.api(key, 'PATCH', `/api/v1/webhook-endpoints/${endpoint.id}`, { disabled: false });
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ disabled: false, failing_since: null, disabled_reason: null });
      expect(enabled.body.recovery.missed).toBe(3);
      expect(enabled.body.recovery.recover.path).toBe(`/api/v1/webhook-endpoints/${endpoint.id}/recover`);

      const before = hook.requests.length;
      const recovered = await service.api(key, 'POST', enabled.body.recovery.recover.path, enabled.body.recovery.recover.body);
      expect(recovered.status).toBe(202);
      expect(recovered.body.recovered).toBe(3);
      await hook.waitUntil((all) => all.length >= before + 3);
      const resent = hook.requests.slice(before).map((r) => r.headers['webhook-id']);
      expect(new Set(resent)).toEqual(new Set([first.id, second.id, whileDisabled.id]));
    });

    it('resends a delivery on request, and sends a signed test event to one endpoint', async () => {
      const hook = await receiver();
      const { account, key, endpoint } = await accountWithEndpoint(service, hook.url);
      const event = await emitEvent(service, account.account.id, 'check.submitted-photo', fakeCheckId());
      const delivery = await finishedDelivery(key, event.id);
      const resent = await service.api(key, 'POST', `/api/v1/deliveries/${delivery.id}/resend`);
      expect(resent.status).toBe(202);
      await hook.waitFor(2);
      expect(hook.requests[1].headers['webhook-id']).toBe(event.id);
      const again = (await service.api(key, 'GET', `/api/v1/deliveries/${delivery.id}`)).body;
      await sleep(100);
      const after = (await service.api(key, 'GET', `/api/v1/deliveries/${delivery.id}`)).body;
      expect(after.attempts.map((a: { trigger: string }) => a.trigger)).toEqual(['scheduled', 'manual']);
      expect(again.id).toBe(delivery.id);

      const test = await service.api(key, 'POST', `/api/v1/webhook-endpoints/${endpoint.id}/test`);
      expect(test.status).toBe(202);
      await hook.waitFor(3);
      const sent = JSON.parse(hook.requests[2].body);
      expect(sent).toMatchObject({ event: 'check.completed', check: { step: 'completed', testing: true } });
      expect(hook.requests[2].headers['webhook-id']).toBe(test.body.event_id);
    });

    it('recover and resend leave alone the history retention is about to purge (within an hour of it)', async () => {
      const hook = await receiver();
      const { account, key, endpoint } = await accountWithEndpoint(service, hook.url);
      const nearPurge = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
      const inside = await emitEvent(service, account.account.id, 'check.failed', fakeCheckId());
      const near = await finishedDelivery(key, nearPurge.id);
      const kept = await finishedDelivery(key, inside.id);
      // The default retention is 30 days: one event 30 minutes from its purge, one two hours from it.
      const retentionStart = Date.now() - 30 * 86_400_000;
      const backdate = async (eventId: string, deliveryId: string, at: number) => {
        await service.ctx.db.kysely.updateTable('events').set({ created_at: at }).where('id', '=', eventId).execute();
        await service.ctx.db.kysely.updateTable('deliveries').set({ created_at: at, status: 'failed', finished_at: at }).where('id', '=', deliveryId).execute();
      };
      await backdate(nearPurge.id, near.id, retentionStart + 30 * 60_000);
      await backdate(inside.id, kept.id, retentionStart + 2 * 3_600_000);
      const before = hook.requests.length;
      // Disabled since before the retention window: re-enabling previews only what recover would re-queue.
      await service.ctx.db.kysely.updateTable('endpoints').set({ disabled: 1, disabled_at: retentionStart - 86_400_000, disabled_reason: 'test' }).where('id', '=', endpoint.id).execute();
      const enabled = await service.api(key, 'PATCH', `/api/v1/webhook-endpoints/${endpoint.id}`, { disabled: false });
      expect(enabled.body.recovery.missed).toBe(1);

      const recovered = await service.api(key, 'POST', `/api/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(retentionStart - 86_400_000).toISOString() });
      expect(recovered.status).toBe(202);
      expect(recovered.body.recovered).toBe(1);
      await hook.waitUntil((all) => all.length >= before + 1);
      await sleep(200);
      expect(hook.requests.slice(before).map((r) => r.headers['webhook-id'])).toEqual([inside.id]);

      const refused = await service.api(key, 'POST', `/api/v1/deliveries/${near.id}/resend`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'RID_ERR_CONFLICT', message: expect.stringMatching(/about to be purged.*REALID_EVENT_RETENTION_DAYS is 30/) });
      expect((await service.api(key, 'GET', `/api/v1/deliveries/${near.id}`)).body.status).toBe('failed');
    });

    it('lists deliveries with filters and cursor pages, only the caller\'s', async () => {
      const hook = await receiver();
      const { account, key, endpoint } = await accountWithEndpoint(service, hook.url);
      const checkId = fakeCheckId();
      const events = [
        await emitEvent(service, account.account.id, 'check.delivered', checkId),
        await emitEvent(service, account.account.id, 'check.opened', checkId),
        await emitEvent(service, account.account.id, 'check.completed', fakeCheckId()),
      ];
      await hook.waitFor(3);
      await sleep(200);
      const all = (await service.api(key, 'GET', '/api/v1/deliveries')).body.data;
      expect(all.map((d: { event_id: string }) => d.event_id)).toEqual(events.map((e) => e.id).reverse());
      const byCheck = (await service.api(key, 'GET', `/api/v1/deliveries?check_id=${checkId}`)).body.data;
      expect(byCheck).toHaveLength(2);
      const byType = (await service.api(key, 'GET', '/api/v1/deliveries?event_type=check.created')).body.data;
      expect(byType.map((d: { event_id: string }) => d.event_id)).toEqual([events[0].id]);
      expect((await service.api(key, 'GET', `/api/v1/deliveries?endpoint_id=${endpoint.id}&status=succeeded`)).body.data).toHaveLength(3);
      expect((await service.api(key, 'GET', '/api/v1/deliveries?status=failed')).body.data).toHaveLength(0);
      const page1 = (await service.api(key, 'GET', '/api/v1/deliveries?limit=2')).body;
      expect(page1.data).toHaveLength(2);
      const page2 = (await service.api(key, 'GET', `/api/v1/deliveries?limit=2&cursor=${page1.next_cursor}`)).body;
      expect(page2.data.map((d: { event_id: string }) => d.event_id)).toEqual([events[0].id]);
      expect(page2.next_cursor).toBeNull();

      const stranger = await service.account();
      const peek = await service.api(stranger.keys.live.key, 'GET', `/api/v1/deliveries/${all[0].id}`);
      expect(peek.status).toBe(404);
      expect(peek.body.code).toBe('RID_ERR_DELIVERY_NOT_FOUND');
      expect((await service.api(stranger.keys.live.key, 'GET', '/api/v1/deliveries')).body.data).toHaveLength(0);
      expect((await service.api(key, 'GET', '/api/v1/deliveries?status=lost')).status).toBe(400);
    });
  });
}
