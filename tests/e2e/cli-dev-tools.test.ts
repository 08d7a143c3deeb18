import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@realid/webhooks';
import { freePort } from '../support/postgres-server.js';
import { REALID_BIN, runRealid, runRealidAsync, spawnRealid, type ServiceProcess } from '../support/process.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

/** The developer's tools against a real `realid start`: trigger, listen, deliveries tail, recover. */
describe('realid developer commands', () => {
  let service: ServiceProcess;
  let env: Record<string, string>;
  let api: (method: string, route: string, body?: unknown) => Promise<any>;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realid-cli-dev-'));
    const port = await freePort();
    env = {
      REALID_DATA_DIR: dataDir, REALID_PORT: String(port), REALID_URL: `http://127.0.0.1:${port}`, REALID_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      REALID_RETRY_SCHEDULE: '100ms', REALID_RETRY_JITTER: '0', REALID_LOG_LEVEL: 'warn',
    };
    service = spawnRealid(['start'], env);
    await service.waitFor('live key:');
    env.REALID_API_KEY = /test key:\s+(rid_test_\S+)/.exec(service.stderr())![1];
    api = async (method, route, body) => {
      const response = await fetch(`${env.REALID_URL}${route}`, {
        method, headers: { authorization: `Bearer ${env.REALID_API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      return response.json();
    };
  }, 60_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
  });

  it('trigger makes the event happen, and listen forwards it signed exactly like a real delivery', async () => {
    const local = await startReceiver('/webhooks');
    const listener = spawn(process.execPath, [REALID_BIN, 'listen', '--forward-to', local.url, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let listenErr = '';
    let listenOut = '';
    listener.stderr.on('data', (c) => { listenErr += c; });
    listener.stdout.on('data', (c) => { listenOut += c; });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`listen did not get ready: ${listenErr}`)), 60_000);
        listener.stderr.on('data', () => { if (listenErr.includes('Ready.')) { clearTimeout(timer); resolve(); } });
      });
      const secret = /signing secret is (whsec_\S+)/.exec(listenErr)![1];

      const triggered = await runRealidAsync(['trigger', 'check.completed', '--json'], env);
      expect(triggered.code).toBe(0);
      const result = JSON.parse(triggered.stdout);
      expect(result.events.map((e: { type: string }) => e.type)).toEqual(['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed']);

      const received = await local.waitFor(4, 60_000);
      const verified = received.map((r) => verifyWebhook(r.body, r.headers as Record<string, string>, secret));
      expect(verified.map((e) => e.event)).toEqual(['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed']);
      expect(received.map((r) => r.headers['webhook-id'])).toEqual(result.events.map((e: { id: string }) => e.id));
      expect(received[0].headers['user-agent']).toMatch(/^RealID-Webhooks\//);
      // The seed's own scheme is there too.
      expect(verifyWebhook(received[3].body, { 'x-real-id-signature': String(received[3].headers['x-real-id-signature']) }, secret, { scheme: 'real-id' }).event).toBe('check.completed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listenOut.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual([200, 200, 200, 200]);
    } finally {
      listener.kill('SIGKILL');
      await local.close();
    }
  }, 300_000);

  it('recover re-queues what failed and reports it delivered; deliveries tail shows the log', async () => {
    const receiver = await startReceiver('/hook');
    let up = false;
    receiver.behave(() => (up ? { status: 200, body: 'ok' } : { status: 500, body: 'down' }));
    try {
      const endpoint = await api('POST', '/api/v1/webhook-endpoints', { url: receiver.url, events: ['check.delivered'] });
      expect(endpoint.id).toMatch(/^ep_/);
      for (let i = 0; i < 3; i++) await api('POST', '/api/v1/checks', { customer: { first_name: 'R', last_name: `Customer${i}`, email: `r${i}@example.com` } });
      // First attempt and its one retry (100 ms) both fail: the deliveries end as failed.
      await receiver.waitFor(6, 60_000);
      const deadline = Date.now() + 60_000;
      let failed: any[] = [];
      while (Date.now() < deadline) {
        failed = (await api('GET', `/api/v1/deliveries?endpoint_id=${endpoint.id}&status=failed`)).data;
        if (failed.length === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(failed).toHaveLength(3);

      up = true;
      const recover = await runRealidAsync(['recover', '--endpoint', endpoint.id, '--since', '1h', '--json'], env);
      expect(recover.code).toBe(0);
      expect(JSON.parse(recover.stdout)).toMatchObject({ recovered: 3, delivered: 3, failing_again: 0 });
      expect((await api('GET', `/api/v1/deliveries?endpoint_id=${endpoint.id}&status=succeeded`)).data).toHaveLength(3);

      const tail = spawn(process.execPath, [REALID_BIN, 'deliveries', 'tail', '--endpoint', endpoint.id, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      tail.stdout.on('data', (c) => { out += c; });
      const until = Date.now() + 30_000;
      while (Date.now() < until && out.trim().split('\n').filter(Boolean).length < 3) await new Promise((resolve) => setTimeout(resolve, 200));
      // Another look finds nothing new: tail prints changes only.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      tail.kill('SIGKILL');
      const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(lines.length).toBe(3);
      expect(lines.every((d) => d.status === 'succeeded' && d.endpoint_id === endpoint.id)).toBe(true);

      const missing = runRealid(['recover', '--endpoint', 'ep_nope', '--since', '1h'], env);
      expect(missing.code).toBe(3);
      const usage = runRealid(['recover', '--endpoint', endpoint.id, '--since', 'last tuesday'], env);
      expect(usage.code).toBe(2);
    } finally {
      await receiver.close();
    }
  }, 300_000);
});
