import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startReceiver, type Receiver, type ReceivedRequest } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { updateAccountPlan } from '../../src/db/repos/accounts.js';
import { accountWithEndpoint, emitEvent, fakeCheckId, median } from './delivery-fixtures.js';

const recipes = path.join(import.meta.dirname, 'delivery-recipes');

/** Runs one of the seed's recipes (real python3, real node) on a received webhook. */
function seedRecipeSays(recipe: 'python' | 'node', request: ReceivedRequest, secret: string): string {
  const input = JSON.stringify({ body: request.body, headers: request.headers });
  const env = { ...process.env, REAL_ID_SIGNING_KEY: secret };
  const [command, file] = recipe === 'python' ? ['python3', 'seed_verify.py'] : [process.execPath, 'seed-verify.cjs'];
  return execFileSync(command, [path.join(recipes, file)], { input, env, encoding: 'utf8' }).trim();
}

for (const dialect of DIALECTS) {
  describe(`webhook delivery on ${dialect}`, () => {
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

    it('sends the exact payload, signed so the seed\'s Python and Node recipes and the standardwebhooks package all verify it', async () => {
      const { account, secret } = await accountWithEndpoint(service, receiver.url);
      const checkId = fakeCheckId();
      const event = await emitEvent(service, account.account.id, 'check.completed', checkId);
      const [request] = await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      const got = receiver.requests.find((r) => r.headers['webhook-id'] === event.id)!;
      expect(request).toBeDefined();
      expect(got.method).toBe('POST');
      expect(got.body).toBe(event.payload);
      expect(JSON.parse(got.body)).toEqual({ event: 'check.completed', created_at: expect.any(String), check: { id: checkId, step: 'completed', testing: true } });
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toMatch(/^RealID-Webhooks\/\d+\.\d+\.\d+ \(\+https:\/\/realid\.example\/docs\/webhooks\)$/);
      expect(got.headers['x-real-id-signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);

      expect(seedRecipeSays('python', got, secret)).toBe('valid');
      expect(seedRecipeSays('node', got, secret)).toBe('Webhook signature is valid');
      expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toEqual(JSON.parse(got.body));
      // And a wrong secret is caught by all three.
      const wrong = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
      expect(seedRecipeSays('python', got, wrong)).toBe('invalid');
      expect(seedRecipeSays('node', got, wrong)).toBe('Webhook signature is invalid');
      expect(() => new Webhook(wrong).verify(got.body, got.headers as Record<string, string>)).toThrow();
    }, 120_000);

    it('signs with both secrets for 24 h after a rotation, and the seed header with the new one', async () => {
      const { account, key, secret: old } = await accountWithEndpoint(service, receiver.url);
      const rotated = await service.api(key, 'POST', '/api/v1/webhook-secret/rotate');
      expect(rotated.status).toBe(200);
      const fresh = rotated.body.current.secret;
      expect(fresh).not.toBe(old);
      expect(rotated.body.previous).toEqual([expect.objectContaining({ secret: old })]);
      const expiresIn = Date.parse(rotated.body.previous[0].expires_at) - Date.now();
      expect(expiresIn).toBeGreaterThan(23.9 * 3600_000);
      expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);

      const event = await emitEvent(service, account.account.id, 'check.opened', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
      const got = receiver.requests.find((r) => r.headers['webhook-id'] === event.id)!;
      expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const secret of [fresh, old]) expect(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
      expect(seedRecipeSays('python', got, fresh)).toBe('valid');
    });

    it('gets the first attempt out within milliseconds of the commit', async () => {
      const { account } = await accountWithEndpoint(service, receiver.url);
      const lags: number[] = [];
      for (let i = 0; i < 15; i++) {
        const event = await emitEvent(service, account.account.id, 'check.delivered', fakeCheckId());
        const committedAt = Date.now();
        await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === event.id));
        lags.push(receiver.requests.find((r) => r.headers['webhook-id'] === event.id)!.receivedAt - committedAt);
      }
      // The safety-net poll is 1 s; only the wake-up on commit gets the median this low (with room
      // for a machine that other test suites keep busy).
      expect(median(lags)).toBeLessThan(300);
    });

    it('sends each event to every subscribed endpoint with the same webhook-id, and only what each subscribed to', async () => {
      const other = await startReceiver();
      try {
        const { account, key } = await accountWithEndpoint(service, receiver.url, { events: ['check.created', 'check.completed'] });
        const second = await service.api(key, 'POST', '/api/v1/webhook-endpoints', { url: other.url, events: ['check.completed'], include_testing: true });
        expect(second.body.events).toEqual(['check.completed']);
        const delivered = await emitEvent(service, account.account.id, 'check.delivered', fakeCheckId());
        const completed = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
        await receiver.waitUntil((all) => all.filter((r) => [delivered.id, completed.id].includes(String(r.headers['webhook-id']))).length === 2);
        await other.waitFor(1);
        expect(other.requests.map((r) => r.headers['webhook-id'])).toEqual([completed.id]);
        const opened = await emitEvent(service, account.account.id, 'check.opened', fakeCheckId());
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.requests.some((r) => r.headers['webhook-id'] === opened.id)).toBe(false);
      } finally {
        await other.close();
      }
    });

    it('sends nothing for accounts on other plans, whose webhook routes answer 403 with what to do', async () => {
      const pro = await service.account('pro');
      const refused = await service.api(pro.keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('RID_ERR_PLAN_REQUIRED');
      expect(refused.body.message).toMatch(/Enterprise/);
      for (const route of ['/api/v1/webhook-secret', '/api/v1/deliveries', '/api/v1/webhook-endpoints']) {
        expect((await service.api(pro.keys.live.key, 'GET', route)).status).toBe(403);
      }
      const before = receiver.requests.length;
      await emitEvent(service, pro.account.id, 'check.completed', fakeCheckId());
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests.length).toBe(before);
    });

    it('stops sending when an Enterprise account moves to another plan, and sends again when it comes back', async () => {
      const { account } = await accountWithEndpoint(service, receiver.url);
      const id = account.account.id;
      await updateAccountPlan(service.ctx.db.kysely, id, 'pro', Date.now());
      const whilePro = await emitEvent(service, id, 'check.completed', fakeCheckId());
      await updateAccountPlan(service.ctx.db.kysely, id, 'enterprise', Date.now());
      const back = await emitEvent(service, id, 'check.completed', fakeCheckId());
      await receiver.waitUntil((all) => all.some((r) => r.headers['webhook-id'] === back.id));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests.some((r) => r.headers['webhook-id'] === whilePro.id)).toBe(false);
    });
  });
}
