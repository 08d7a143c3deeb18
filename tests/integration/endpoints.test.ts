import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/core/event-types.js';
import { DIALECTS } from '../support/databases.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { emitEvent, fakeCheckId } from './delivery-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`webhook endpoints API on ${dialect}`, () => {
    let service: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      service = await startTestService(dialect);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await service?.close();
    });

    it('creates with sensible defaults, and accepts check.created as check.delivered', async () => {
      const { keys } = await service.account();
      const made = await service.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        id: expect.stringMatching(/^ep_/), url: receiver.url, description: '', events: [...EVENT_TYPES], include_testing: true,
        ordered: false, rate_limit_per_second: null, disabled: false, failing_since: null,
        health: { success_rate: null, attempts_considered: 0, last_success_at: null, last_failure_at: null, failing_since: null, disabled_reason: null },
      });
      const aliased = await service.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', {
        url: receiver.url, description: 'orders', events: ['check.created', 'check.delivered', 'customer.data_request'], include_testing: false, ordered: true, rate_limit_per_second: 20,
      });
      expect(aliased.body).toMatchObject({ events: ['check.delivered', 'customer.data_request'], include_testing: false, ordered: true, rate_limit_per_second: 20, description: 'orders' });
    });

    it('explains bad input with a 4xx naming the field', async () => {
      const { keys } = await service.account();
      const cases: Array<[unknown, number, string]> = [
        [{ url: receiver.url, events: ['check.exploded'] }, 400, 'RID_ERR_VALIDATION'],
        [{ url: 'not a url' }, 422, 'RID_ERR_INVALID_URL'],
        [{ url: receiver.url, colour: 'red' }, 400, 'RID_ERR_VALIDATION'],
        [{ url: receiver.url, rate_limit_per_second: 0 }, 400, 'RID_ERR_VALIDATION'],
        [{}, 400, 'RID_ERR_VALIDATION'],
      ];
      for (const [body, status, code] of cases) {
        const answer = await service.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', body);
        expect(answer.status, JSON.stringify(body)).toBe(status);
        expect(answer.body.code).toBe(code);
      }
      const unknown = await service.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url, events: ['check.exploded'] });
      expect(unknown.body.message).toMatch(/check\.exploded/);
    });

    it('lists, gets, updates and deletes; a deleted endpoint receives nothing more', async () => {
      const { keys, account } = await service.account();
      const key = keys.live.key;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await service.api(key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url, description: `n${i}` })).body.id);
      const page1 = (await service.api(key, 'GET', '/api/v1/webhook-endpoints?limit=2')).body;
      expect(page1.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 2));
      const page2 = (await service.api(key, 'GET', `/api/v1/webhook-endpoints?limit=2&after=${page1.next_cursor}`)).body;
      expect(page2).toMatchObject({ data: [{ id: ids[2] }], next_cursor: null });

      const patched = await service.api(key, 'PATCH', `/api/v1/webhook-endpoints/${ids[0]}`, { events: ['check.completed'], description: 'only completions' });
      expect(patched.body).toMatchObject({ events: ['check.completed'], description: 'only completions', url: receiver.url });
      expect(patched.body.recovery).toBeUndefined();
      expect((await service.api(key, 'GET', `/api/v1/webhook-endpoints/${ids[0]}`)).body.events).toEqual(['check.completed']);

      for (const id of ids.slice(1)) expect((await service.api(key, 'DELETE', `/api/v1/webhook-endpoints/${id}`)).body).toEqual({ id, deleted: true });
      expect((await service.api(key, 'GET', `/api/v1/webhook-endpoints/${ids[1]}`)).status).toBe(404);
      const event = await emitEvent(service, account.id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests.filter((r) => r.headers['webhook-id'] === event.id)).toHaveLength(1);
    });

    it('never shows or changes another account\'s endpoint', async () => {
      const owner = await service.account();
      const stranger = await service.account();
      const id = (await service.api(owner.keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url })).body.id;
      for (const [method, route, body] of [
        ['GET', `/api/v1/webhook-endpoints/${id}`], ['PATCH', `/api/v1/webhook-endpoints/${id}`, { disabled: true }],
        ['DELETE', `/api/v1/webhook-endpoints/${id}`], ['POST', `/api/v1/webhook-endpoints/${id}/test`],
        ['POST', `/api/v1/webhook-endpoints/${id}/recover`, { since: new Date(0).toISOString() }],
      ] as Array<[string, string, unknown?]>) {
        const answer = await service.api(stranger.keys.live.key, method, route, body);
        expect(answer.status, `${method} ${route}`).toBe(404);
        expect(answer.body.code).toBe('RID_ERR_ENDPOINT_NOT_FOUND');
      }
      expect((await service.api(stranger.keys.live.key, 'GET', '/api/v1/webhook-endpoints')).body.data).toEqual([]);
      expect((await service.api(owner.keys.live.key, 'GET', `/api/v1/webhook-endpoints/${id}`)).body.disabled).toBe(false);
    });

    it('keeps the signing secret sealed at rest and reveals it only to its account', async () => {
      const a = await service.account();
      const b = await service.account();
      const secretA = (await service.api(a.keys.live.key, 'GET', '/api/v1/webhook-secret')).body;
      const secretB = (await service.api(b.keys.live.key, 'GET', '/api/v1/webhook-secret')).body;
      expect(secretA.current.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(secretA.previous).toEqual([]);
      expect(secretA.current.secret).not.toBe(secretB.current.secret);
      const stored = await service.ctx.db.kysely.selectFrom('webhook_secrets').select('secret_enc').where('account_id', '=', a.account.id).execute();
      expect(stored.map((s) => s.secret_enc).join()).not.toContain(secretA.current.secret.slice(6));
    });
  });
}
