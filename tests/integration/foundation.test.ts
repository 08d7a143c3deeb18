import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { sessionExpiryJob } from '../../src/jobs.js';

for (const dialect of DIALECTS) {
  describe(`foundation on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('answers health, readiness, metrics and the OpenAPI document', async () => {
      expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${service.url}/readyz`)).json()).toMatchObject({ status: 'ready', database: dialect });
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('realid_http_requests_total');
      const doc = await (await fetch(`${service.url}/docs/json`)).json();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/v1/api-keys']).toBeDefined();
    });

    it('authenticates API keys, and a revoked key stops working at once', async () => {
      const { keys, account } = await service.account();
      const me = await service.api(keys.test.key, 'GET', '/api/v1/account');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: account.id, plan: 'enterprise', mode: 'test', webhooks_enabled: true });
      expect((await service.api(keys.live.key, 'GET', '/api/v1/account')).body.mode).toBe('live');

      const made = await service.api(keys.live.key, 'POST', '/api/v1/api-keys', { name: 'Checkout', mode: 'live' });
      expect(made.status).toBe(201);
      expect(made.body.key).toMatch(/^rid_live_[A-Za-z0-9]{32}$/);
      const listed = await service.api(keys.live.key, 'GET', '/api/v1/api-keys');
      expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
      expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(made.body.id);

      expect((await service.api(made.body.key, 'GET', '/api/v1/account')).status).toBe(200);
      expect((await service.api(keys.live.key, 'DELETE', `/api/v1/api-keys/${made.body.id}`)).body.revoked_at).not.toBeNull();
      const after = await service.api(made.body.key, 'GET', '/api/v1/account');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('RID_ERR_INVALID_API_KEY');
    });

    it('never lets one account touch another account\'s objects', async () => {
      const a = await service.account();
      const b = await service.account();
      const revoke = await service.api(a.keys.live.key, 'DELETE', `/api/v1/api-keys/${b.keys.test.id}`);
      expect(revoke.status).toBe(404);
      expect(revoke.body.code).toBe('RID_ERR_API_KEY_NOT_FOUND');
      expect((await service.api(b.keys.test.key, 'GET', '/api/v1/account')).status).toBe(200);
    });

    it('explains missing or malformed credentials', async () => {
      const none = await fetch(`${service.url}/api/v1/account`);
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ code: 'RID_ERR_UNAUTHENTICATED' });
      const bad = await service.api('sk_live_nope', 'GET', '/api/v1/account');
      expect(bad.body.code).toBe('RID_ERR_INVALID_API_KEY');
      expect(bad.body.message).toContain('rid_test_');
    });

    it('signs a dashboard user in with a cookie and requires the CSRF token to write', async () => {
      const { owner } = await service.account();
      const wrong = await fetch(`${service.url}/api/v1/auth/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: 'nope' }),
      });
      expect(wrong.status).toBe(401);
      const signIn = await fetch(`${service.url}/api/v1/auth/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const { csrf_token } = await signIn.json();
      const jar = cookie.split(';')[0];

      expect((await fetch(`${service.url}/api/v1/api-keys`, { headers: { cookie: jar } })).status).toBe(200);
      const noCsrf = await fetch(`${service.url}/api/v1/api-keys`, {
        method: 'POST', headers: { cookie: jar, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', mode: 'test' }),
      });
      expect(noCsrf.status).toBe(403);
      expect((await noCsrf.json()).code).toBe('RID_ERR_CSRF');
      const withCsrf = await fetch(`${service.url}/api/v1/api-keys`, {
        method: 'POST', headers: { cookie: jar, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', mode: 'test' }),
      });
      expect(withCsrf.status).toBe(201);

      await fetch(`${service.url}/api/v1/auth/sign-out`, { method: 'POST', headers: { cookie: jar, 'x-csrf-token': csrf_token } });
      const gone = await fetch(`${service.url}/api/v1/api-keys`, { headers: { cookie: jar } });
      expect(gone.status).toBe(401);
      expect((await gone.json()).code).toBe('RID_ERR_SESSION_EXPIRED');
    });

    it('sweeps ended sessions out of the database', async () => {
      const { owner } = await service.account();
      const signIn = await fetch(`${service.url}/api/v1/auth/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }),
      });
      expect(signIn.status).toBe(200);
      const sessions = () => service.ctx.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', owner.id).execute();
      expect(await sessions()).toHaveLength(1);
      await service.ctx.db.kysely.updateTable('sessions').set({ expires_at: Date.now() - 1000 }).where('user_id', '=', owner.id).execute();
      const stop = await sessionExpiryJob.start(service.ctx);
      await stop();
      expect(await sessions()).toHaveLength(0);
    });

    it('reports bad bodies with the field that is wrong', async () => {
      const { keys } = await service.account();
      const unknownField = await service.api(keys.test.key, 'POST', '/api/v1/api-keys', { name: 'x', mode: 'test', colour: 'red' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body).toMatchObject({ code: 'RID_ERR_VALIDATION', message: 'colour is not a known field.' });
      const wrongType = await service.api(keys.test.key, 'POST', '/api/v1/api-keys', { name: 5, mode: 'test' });
      expect(wrongType.body.details[0].field).toBe('name');
      const malformed = await fetch(`${service.url}/api/v1/api-keys`, {
        method: 'POST', headers: { authorization: `Bearer ${keys.test.key}`, 'content-type': 'application/json' }, body: '{"name":',
      });
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).code).toBe('RID_ERR_MALFORMED_JSON');
    });
  });
}
