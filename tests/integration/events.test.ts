import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, eventTypes, uploadRaw } from './checks-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`events on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('lists events oldest first with cursor, type and check filters, and gets one', async () => {
      const { keys } = await service.account();
      const one = await createCheck(service, keys.test.key);
      const two = await createCheck(service, keys.test.key);
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${one.id}/simulate`, { action: 'complete' });

      const all = await service.api(keys.test.key, 'GET', '/api/v1/events');
      expect(all.body.data.map((e: { type: string; check_id: string }) => `${e.type}@${e.check_id === one.id ? 1 : 2}`)).toEqual([
        'check.delivered@1', 'check.delivered@2', 'check.opened@1', 'check.submitted-photo@1', 'check.completed@1',
      ]);
      const first = all.body.data[0];
      expect(first.data).toEqual({ event: 'check.delivered', created_at: first.created_at, check: { id: one.id, step: 'delivered', testing: true } });

      const page = await service.api(keys.test.key, 'GET', `/api/v1/events?after=${first.id}&limit=2`);
      expect(page.body.data.map((e: { id: string }) => e.id)).toEqual(all.body.data.slice(1, 3).map((e: { id: string }) => e.id));
      expect(page.body.has_more).toBe(true);
      const created = await service.api(keys.test.key, 'GET', '/api/v1/events?type=check.created,check.completed');
      expect(created.body.data.map((e: { type: string }) => e.type)).toEqual(['check.delivered', 'check.delivered', 'check.completed']);
      expect((await service.api(keys.test.key, 'GET', `/api/v1/events?check_id=${two.id}`)).body.data).toHaveLength(1);
      expect((await service.api(keys.test.key, 'GET', '/api/v1/events?type=check.exploded')).status).toBe(400);

      expect((await service.api(keys.test.key, 'GET', `/api/v1/events/${first.id}`)).body).toEqual(first);
      const stranger = await service.account();
      const hidden = await service.api(stranger.keys.test.key, 'GET', `/api/v1/events/${first.id}`);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('RID_ERR_EVENT_NOT_FOUND');
    });

    it('tells the merchant about the customer\'s privacy requests, without personal data', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key);
      for (const type of ['data_request', 'manual_review', 'data_deletion']) {
        const sent = await customer(service, check.link, 'POST', '/privacy-requests', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type }) });
        expect(sent.status).toBe(202);
      }
      expect((await customer(service, check.link, 'POST', '/privacy-requests', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'erase_everything' }) })).status).toBe(400);
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered', 'customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request']);
      const stored = await service.ctx.db.kysely.selectFrom('events').select('payload').where('check_id', '=', check.id).where('type', '=', 'customer.data_request').executeTakeFirstOrThrow();
      expect(stored.payload).toMatch(new RegExp(`^\\{"event":"customer\\.data_request","created_at":"[^"]+","check":\\{"id":"${check.id}","testing":true\\}\\}$`));
    });

    it('stores payloads that the seed\'s Python and Node recipes reproduce byte for byte', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv', include_back_of_id: true } });
      await customer(service, check.link, 'POST', '/open');
      await uploadRaw(service, check.link, 'id_front', PNG);
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'fail', error: 'FaceMatchError' });
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-approve`);
      await customer(service, check.link, 'POST', '/privacy-requests', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'manual_review' }) });
      const rows = await service.ctx.db.kysely.selectFrom('events').select(['type', 'payload']).where('check_id', '=', check.id).orderBy('id').execute();
      expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['check.delivered', 'check.opened', 'check.submitted-photo', 'check.failed', 'check.completed', 'customer.manual_review_requested']));

      const payloads = rows.map((r) => r.payload);
      for (const payload of payloads) expect(JSON.stringify(JSON.parse(payload))).toBe(payload);
      // The seed's recipe: payload = json.dumps(body, separators=(',', ':')) over the parsed body.
      const python = 'import json, sys\nfor line in sys.stdin.read().splitlines():\n    body = json.loads(line)\n    sys.stdout.write(json.dumps(body, separators=(",", ":")) + "\\n")\n';
      const out = execFileSync('python3', ['-c', python], { input: payloads.join('\n') + '\n' });
      expect(out.toString('latin1').split('\n').slice(0, -1)).toEqual(payloads);
    });

  });
}
