import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, localUrl, uploadRaw } from './checks-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`check records: redaction, isolation, lists on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('redacts: photos and personal data gone, link dead, id, step and times kept', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { order: { id: 'ord-77', name: 'Wine' } });
      await uploadRaw(service, check.link, 'id_front', PNG);
      const photoUrl = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}?withPhotos=true`)).body.photos[0].url;
      const redacted = await service.api(keys.test.key, 'DELETE', `/api/v1/checks/${check.id}`);
      expect(redacted.status).toBe(200);
      expect(redacted.body).toMatchObject({ id: check.id, step: 'completed', customer: null, order: null, link: null, result: { verdict: 'passed' } });
      expect(redacted.body.redacted_at).not.toBeNull();
      expect(redacted.body.created_at).toBe(check.created_at);
      expect((await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}?withPhotos=true`)).body.photos).toEqual([]);
      expect(existsSync(path.join(service.ctx.config.dataDir, 'photos', check.id))).toBe(false);
      expect((await fetch(localUrl(service, photoUrl))).status).toBe(404);
      expect((await customer(service, check.link, 'GET')).status).toBe(404);
      const row = await service.ctx.db.kysely.selectFrom('checks').selectAll().where('id', '=', check.id).executeTakeFirstOrThrow();
      expect([row.customer_enc, row.order_json, row.order_id, row.link_token_hash]).toEqual([null, null, null, null]);
      expect((await service.api(keys.test.key, 'DELETE', `/api/v1/checks/${check.id}`)).status).toBe(200);
      const simulate = await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-reject`);
      expect(simulate.body.code).toBe('RID_ERR_CHECK_REDACTED');
    });

    it('never shows or changes another account\'s check', async () => {
      const a = await service.account();
      const b = await service.account();
      const check = await createCheck(service, a.keys.test.key);
      for (const [method, route, body] of [
        ['GET', `/api/v1/checks/${check.id}`], ['DELETE', `/api/v1/checks/${check.id}`],
        ['POST', `/api/v1/checks/${check.id}/simulate`, { action: 'open' }], ['POST', `/api/v1/checks/${check.id}/manually-approve`],
      ] as const) {
        const answer = await service.api(b.keys.test.key, method, route, body);
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe('RID_ERR_CHECK_NOT_FOUND');
      }
      expect((await service.api(b.keys.test.key, 'GET', `/api/v1/checks?search=${check.id}`)).body.data).toEqual([]);
      expect((await service.api(b.keys.test.key, 'GET', `/api/v1/events?check_id=${check.id}`)).body.data).toEqual([]);
      expect((await service.api(a.keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body.step).toBe('delivered');
    });

    it('lists newest first, by cursor or page, filtered by step, testing, time and search', async () => {
      const { keys } = await service.account();
      const made: Array<Awaited<ReturnType<typeof createCheck>>> = [];
      for (let i = 0; i < 5; i++) made.push(await createCheck(service, keys.test.key, { order: { id: `order-${i}` } }));
      const live = await createCheck(service, keys.live.key);
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${made[1].id}/simulate`, { action: 'open' });
      const ids = (page: { body: { data: Array<{ id: string }> } }) => page.body.data.map((c) => c.id);

      const first = await service.api(keys.test.key, 'GET', '/api/v1/checks?limit=2&testing=true');
      expect(ids(first)).toEqual([made[4].id, made[3].id]);
      expect(first.body.has_more).toBe(true);
      const second = await service.api(keys.test.key, 'GET', `/api/v1/checks?limit=2&testing=true&starting_after=${first.body.next_cursor}`);
      expect(ids(second)).toEqual([made[2].id, made[1].id]);
      expect(ids(await service.api(keys.test.key, 'GET', '/api/v1/checks?limit=2&page=3&testing=true'))).toEqual([made[0].id]);
      expect(ids(await service.api(keys.test.key, 'GET', '/api/v1/checks?testing=false'))).toEqual([live.id]);
      expect(ids(await service.api(keys.test.key, 'GET', '/api/v1/checks?step=opened'))).toEqual([made[1].id]);
      expect(ids(await service.api(keys.test.key, 'GET', '/api/v1/checks?search=order-3'))).toEqual([made[3].id]);
      expect(ids(await service.api(keys.test.key, 'GET', `/api/v1/checks?search=${made[2].id}`))).toEqual([made[2].id]);
      // Strictly after / before the given instant, so a window around one check finds just it.
      const at = Date.parse(made[2].created_at);
      const window = `created_after=${new Date(at - 1).toISOString()}&created_before=${new Date(at + 1).toISOString()}`;
      expect(ids(await service.api(keys.test.key, 'GET', `/api/v1/checks?testing=true&${window}`))).toContain(made[2].id);
      expect(ids(await service.api(keys.test.key, 'GET', `/api/v1/checks?testing=true&created_after=${new Date(at).toISOString()}`))).not.toContain(made[2].id);
      expect((await service.api(keys.test.key, 'GET', '/api/v1/checks?created_after=yesterday')).status).toBe(400);
      expect((await service.api(keys.test.key, 'GET', '/api/v1/checks?limit=1000')).status).toBe(400);
    });
  });
}
