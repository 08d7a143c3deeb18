import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ORPHANS, rowsWithoutParent } from '../support/integrity.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { spawnRealid, type ServiceProcess } from '../support/process.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEventsAtOnce } from './delivery-fixtures.js';

const EVENTS = 300;

/** Several worker processes on one PostgreSQL (the multi-machine deployment), one killed with SIGKILL mid-load. */
describe('scale-out on postgres', () => {
  let api: TestService;
  let receiver: Receiver;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    api = await startTestService('postgres', { REALID_ROLE: 'api' });
    receiver = await startReceiver();
    // Slow enough that each worker has deliveries in flight when one is killed.
    receiver.behave(() => ({ status: 200, delayMs: 15 }));
    const env = {
      REALID_DB: api.ctx.config.db,
      REALID_MASTER_KEY: api.ctx.config.masterKey!,
      REALID_LOG_LEVEL: 'warn',
      REALID_SEED_DEMO: 'false',
      // Long enough that a worker starved of CPU on a busy machine does not lose its lease mid-send
      // (that would be a legitimate duplicate too, but not the one this test is about).
      REALID_DELIVERY_LEASE: '5s',
      REALID_POLL_INTERVAL: '500ms',
    };
    for (let i = 0; i < 3; i++) {
      const worker = spawnRealid(['start', '--role', 'worker'], { ...env, REALID_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'realid-worker-')) });
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => w.waitFor('worker started', 60_000)));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await receiver?.close();
    await api?.close();
  });

  it('three workers deliver every event even when one is killed with SIGKILL mid-load', async () => {
    const { account } = await accountWithEndpoint(api, receiver.url);
    const emitted: string[] = [];
    let killedAt = 0;
    for (let i = 0; i < EVENTS / 50; i++) {
      emitted.push(...(await emitEventsAtOnce(api, account.account.id, 50)).map((e) => e.id));
      if (i === 1) {
        await receiver.waitFor(60, 20_000).catch((error) => {
          throw new Error(`${error.message}; worker logs: ${workers.map((w) => w.stdout().slice(-1500) + w.stderr().slice(-500)).join('\n---\n')}`);
        });
        workers[0].child.kill('SIGKILL');
        killedAt = Date.now();
      }
    }
    expect(await workers[0].exited).toBeNull();

    await receiver.waitUntil((all) => new Set(all.map((r) => r.headers['webhook-id'])).size >= EVENTS, 45_000);
    // Then every delivery settles: what the killed worker had sent but not recorded, or had claimed
    // but not sent, is taken over by the others once its lease runs out.
    const openDeliveries = () => api.ctx.db.kysely.selectFrom('deliveries').select('status').where('account_id', '=', account.account.id)
      .where('status', '!=', 'succeeded').execute();
    const settleBy = Date.now() + 30_000;
    while ((await openDeliveries()).length > 0 && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await openDeliveries()).toEqual([]);
    expect(await rowsWithoutParent(api.ctx.db.kysely)).toEqual(NO_ORPHANS);
    const received = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    expect(emitted.every((id) => received.has(id))).toBe(true);

    // At least once: only what the killed worker had in flight — sent, its result not yet committed —
    // may arrive twice. So every duplicate must have first reached the receiver before the kill (a
    // moment of grace for this process's own event loop), and there can be no more of them than
    // had arrived by then.
    const firstArrival = new Map<string, number>();
    const arrivals = new Map<string, number>();
    for (const request of receiver.requests) {
      const id = String(request.headers['webhook-id']);
      arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
      if (!firstArrival.has(id)) firstArrival.set(id, request.receivedAt);
    }
    const duplicated = [...arrivals].filter(([, count]) => count > 1).map(([id]) => id);
    const lateDuplicates = duplicated.filter((id) => firstArrival.get(id)! > killedAt + 1_000);
    expect(lateDuplicates).toEqual([]);
    expect(duplicated.length).toBeLessThan([...firstArrival.values()].filter((at) => at <= killedAt + 1_000).length);
  }, 90_000);
});
