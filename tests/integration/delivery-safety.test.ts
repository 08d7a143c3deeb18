import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { EVENT_TYPES } from '../../src/core/event-types.js';
import { insertEndpoint } from '../../src/db/repos/endpoints.js';
import { DIALECTS } from '../support/databases.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEvent, fakeCheckId } from './delivery-fixtures.js';

/** A tiny HTTP CONNECT proxy on loopback that records where it tunnelled to. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client: Socket, head) => {
    tunnels.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    tunnels,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`outbound safety on ${dialect}`, () => {
    let strict: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      strict = await startTestService(dialect, { REALID_ALLOW_DESTINATIONS: '', REALID_RETRY_SCHEDULE: '' });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await strict?.close();
    });

    it('refuses internal destinations when an endpoint is saved', async () => {
      const { keys } = await strict.account();
      const port = receiver.port;
      for (const url of [`http://127.0.0.1:${port}/hook`, `http://[::1]:${port}/hook`, `http://localhost:${port}/hook`, 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/', 'http://[fd00:ec2::254]/']) {
        const refused = await strict.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url });
        expect(refused.status, url).toBe(422);
        expect(refused.body.code).toBe('RID_ERR_DESTINATION_FORBIDDEN');
        expect(refused.body.message).toMatch(/REALID_ALLOW_DESTINATIONS/);
      }
      const notHttp = await strict.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: 'ftp://files.example/hook' });
      expect(notHttp.status).toBe(422);
      expect(notHttp.body.code).toBe('RID_ERR_INVALID_URL');
      const created = (await strict.api(keys.live.key, 'GET', '/api/v1/webhook-endpoints')).body.data;
      expect(created).toHaveLength(0);
    });

    it('refuses them again at send time, after DNS, with error kind "blocked" (an endpoint saved before the allow-list changed)', async () => {
      const account = await strict.account();
      const now = Date.now();
      // Saved directly, as if created while the operator still allowed loopback.
      for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')]) {
        await insertEndpoint(strict.ctx.db.kysely, {
          id: newId('ep'), account_id: account.account.id, url, description: '', event_types: JSON.stringify(EVENT_TYPES),
          include_testing: 1, ordered: 0, rate_limit_per_second: null, disabled: 0, disabled_reason: null, disabled_at: null,
          failing_since: null, created_at: now, updated_at: now, deleted_at: null,
        });
      }
      const event = await emitEvent(strict, account.account.id, 'check.completed', fakeCheckId());
      const key = account.keys.live.key;
      const deadline = Date.now() + 10_000;
      let failed: Array<{ id: string; status: string }> = [];
      while (failed.length < 2 && Date.now() < deadline) {
        failed = (await strict.api(key, 'GET', `/api/v1/deliveries?status=failed`)).body.data;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(failed).toHaveLength(2);
      for (const delivery of failed) {
        const detail = (await strict.api(key, 'GET', `/api/v1/deliveries/${delivery.id}`)).body;
        expect(detail.event_id).toBe(event.id);
        expect(detail.attempts[0]).toMatchObject({ error_kind: 'blocked', response: null });
        expect(detail.attempts[0].error_message).toMatch(/may not reach/);
      }
      expect(receiver.requests.filter((r) => r.headers['webhook-id'] === event.id)).toHaveLength(0);
    });
  });

  describe(`egress proxy on ${dialect}`, () => {
    it('sends every delivery through REALID_EGRESS_PROXY', async () => {
      const proxy = await startConnectProxy();
      const receiver = await startReceiver();
      const service = await startTestService(dialect, { REALID_EGRESS_PROXY: proxy.url });
      try {
        const { account } = await accountWithEndpoint(service, receiver.url);
        const event = await emitEvent(service, account.account.id, 'check.completed', fakeCheckId());
        const [got] = await receiver.waitFor(1);
        expect(got.headers['webhook-id']).toBe(event.id);
        expect(proxy.tunnels).toContain(`127.0.0.1:${receiver.port}`);
      } finally {
        await receiver.close();
        await service.close();
        await proxy.close();
      }
    });
  });
}
