import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { WORKERS_CHANNEL, type WorkerAnnouncement } from '../../src/delivery/remote-handoff.js';
import { LISTENER_APPLICATION_NAME } from '../../src/db/wakeups.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestService, type TestService } from '../support/service.js';
import { accountWithEndpoint, emitEventsAtOnce } from './delivery-fixtures.js';

/** How many deliveries a worker took, by how (claim, local_handoff, remote_handoff). */
async function taken(worker: RunningService): Promise<Record<string, number>> {
  const metric = await worker.ctx.metrics.deliveriesTaken.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.how), v.value]));
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The API in one process and the delivery worker in another (here: two services in this process,
 * each with its own database connections and LISTEN connection, as two processes would have), on
 * PostgreSQL: new deliveries go from the API's transaction straight to the worker (WorkerDirectory).
 */
describe('hand-off to a worker in another process (postgres)', () => {
  let api: TestService;
  let worker: RunningService;
  let receiver: Receiver;
  const workerEnv = () => ({
    REALID_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'realid-worker-')),
    REALID_DB: api.ctx.config.db,
    REALID_ROLE: 'worker',
    REALID_LOG_LEVEL: 'silent',
    REALID_SEED_DEMO: 'false',
    REALID_MASTER_KEY: api.ctx.config.masterKey!,
    REALID_POLL_INTERVAL: '200ms',
  });

  beforeAll(async () => {
    api = await startTestService('postgres', { REALID_ROLE: 'api' });
    receiver = await startReceiver();
    worker = await startService(loadConfig({}, workerEnv()));
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await receiver?.close();
    await api?.close();
  });

  it('sends what the API records without a claim, signed, and records every attempt', async () => {
    await until(() => api.ctx.workers.live().length === 1, 5_000, 'the worker to announce itself');
    const { account, secret } = await accountWithEndpoint(api, receiver.url);
    // Until the worker has timed an endpoint's attempts it takes only a small prefetch of it (48)
    // per announcement, as from a claim; after a first few, as much as a claim would take.
    const first = await emitEventsAtOnce(api, account.account.id, 10);
    await receiver.waitUntil((all) => first.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await taken(worker);
    const events = [];
    for (let i = 0; i < 5; i++) events.push(...(await emitEventsAtOnce(api, account.account.id, 20)));

    const got = await receiver.waitUntil((all) => new Set(all.map((r) => r.headers['webhook-id'])).size >= 110, 20_000);
    const ids = new Set(got.map((r) => String(r.headers['webhook-id'])));
    expect(events.every((e) => ids.has(e.id))).toBe(true);
    for (const request of got.slice(0, 5)) {
      expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toEqual(JSON.parse(request.body));
    }
    const after = await taken(worker);
    const handed = (after.remote_handoff ?? 0) - (before.remote_handoff ?? 0);
    const claimed = (after.claim ?? 0) - (before.claim ?? 0);
    expect(handed + claimed).toBe(100);
    // All of them, unless this machine stalled the worker for longer than producers wait to hear
    // from it (a second), when the rest are claimed instead: that is the design, not a failure.
    expect(handed).toBeGreaterThanOrEqual(90);

    await until(async () => (await api.ctx.db.kysely.selectFrom('deliveries').select('id').where('account_id', '=', account.account.id)
      .where('status', '=', 'succeeded').execute()).length === 110, 10_000, 'every delivery to be recorded');
    const attempts = await api.ctx.db.kysely.selectFrom('attempts').select(['delivery_id', 'status_code']).where('account_id', '=', account.account.id).execute();
    expect(attempts).toHaveLength(110);
    expect(attempts.every((a) => a.status_code === 200)).toBe(true);
  }, 60_000);

  it('leaves what it handed to a worker that never got it to be claimed once the lease runs out', async () => {
    const { account } = await accountWithEndpoint(api, receiver.url);
    // A worker that announces itself (more room than the real one, so it is picked) but listens to
    // nothing: what is handed to it is lost in transit, as when a worker dies right after its announcement.
    const ghost: WorkerAnnouncement = { owner: 'ghost:1:dead', channel: 'realid_worker_ghost', room: 1_000_000, per: 1_000_000, rooms: {}, leaseMs: 1_500 };
    const announceGhost = () => api.ctx.db.kysely.executeQuery(sql`SELECT pg_notify(${WORKERS_CHANNEL}, ${JSON.stringify(ghost)})`.compile(api.ctx.db.kysely));
    await announceGhost();
    await until(() => api.ctx.workers.live().includes(ghost.owner), 5_000, 'the ghost to be heard');
    const before = await taken(worker);
    const committedAt = Date.now();
    const events = await emitEventsAtOnce(api, account.account.id, 10);

    const rows = await api.ctx.db.kysely.selectFrom('deliveries').select(['lease_owner', 'lease_expires_at']).where('account_id', '=', account.account.id).execute();
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.lease_owner === ghost.owner)).toBe(true);

    const got = await receiver.waitUntil((all) => events.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    const arrivals = got.filter((r) => events.some((e) => e.id === r.headers['webhook-id']));
    // Nothing before the ghost's lease ran out; then the real worker claimed them all.
    expect(Math.min(...arrivals.map((r) => r.receivedAt))).toBeGreaterThanOrEqual(committedAt + 1_400);
    expect(arrivals).toHaveLength(10);
    const after = await taken(worker);
    expect((after.claim ?? 0) - (before.claim ?? 0)).toBe(10);
    expect((after.remote_handoff ?? 0) - (before.remote_handoff ?? 0)).toBe(0);
    // The ghost fell silent, so it is no longer handed anything, though without a goodbye it stays known.
    await until(() => !api.ctx.workers.live().includes(ghost.owner), 5_000, 'the ghost to fall silent');
    expect(api.ctx.workers.known()).toContain(ghost.owner);
  }, 60_000);

  it('takes at once what it was handed while its listening connection was down, not a lease later', async () => {
    await until(() => api.ctx.workers.live().length === 1, 5_000, 'the worker to be live');
    const [owner] = api.ctx.workers.live();
    const { account } = await accountWithEndpoint(api, receiver.url);
    const warm = await emitEventsAtOnce(api, account.account.id, 5);
    await receiver.waitUntil((all) => warm.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    const before = await taken(worker);

    const q = api.ctx.db.kysely;
    const ours = sql`application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`;
    const listeners = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${ours}`.execute(q)).rows[0]!.n;
    // The window this needs: after the cut, the API must still believe in the worker (it stops
    // within a second of its last announcement) and the worker must not be back yet (it retries
    // after a second). A machine that stalls the test for most of a second misses it — then every
    // delivery still arrives, by the ordinary hand-off or a claim — so it tries again, up to three times.
    let exercised = false;
    let after = before;
    for (let round = 0; round < 3 && !exercised; round++) {
      await until(async () => (await listeners()) === 2 && api.ctx.workers.live().includes(owner!), 10_000, 'both listening connections, and the worker heard');
      const start = await taken(worker);
      // Cut both listening connections of this database (the API's and the worker's), as a network
      // blip would; the pools' connections stay. Both reconnect after a second.
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${ours}`.execute(q);
      await until(async () => (await listeners()) === 0, 5_000, 'the listening connections to be gone');

      // The API still believes the worker is there, so it hands it these; the NOTIFY finds nobody
      // listening on the worker's channel and is lost.
      const events = await emitEventsAtOnce(api, account.account.id, 10);
      const committedAt = Date.now();
      const rows = await q.selectFrom('deliveries').select('lease_owner').where('account_id', '=', account.account.id).where('event_id', 'in', events.map((e) => e.id)).execute();
      const handedWhileDown = rows.filter((r) => r.lease_owner === owner).length;

      // Leased for a minute (the default), yet they arrive within seconds of the reconnect.
      const got = await receiver.waitUntil((all) => events.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 15_000);
      const arrivals = got.filter((r) => events.some((e) => e.id === r.headers['webhook-id']));
      expect(new Set(arrivals.map((r) => r.headers['webhook-id'])).size).toBe(10);
      expect(arrivals).toHaveLength(10);
      expect(Math.max(...arrivals.map((r) => r.receivedAt)) - committedAt).toBeLessThan(10_000);
      after = await taken(worker);
      const recovered = (after.recovered ?? 0) - (start.recovered ?? 0);
      exercised = handedWhileDown > 0 && recovered === handedWhileDown;
    }
    expect(exercised, 'in three tries, deliveries were handed to the worker while it could not hear, and it recovered them').toBe(true);
    // And once it is heard again, new work is handed to it as before.
    await until(() => api.ctx.workers.live().includes(owner!), 5_000, 'the worker to be heard again');
    const next = await emitEventsAtOnce(api, account.account.id, 5);
    await receiver.waitUntil((all) => next.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    expect((await taken(worker)).remote_handoff! - (after.remote_handoff ?? 0)).toBe(5);
  }, 60_000);

  it('stops handing work to a worker the moment it says goodbye; the queue takes it instead', async () => {
    await until(() => api.ctx.workers.live().length === 1, 5_000, 'the worker to be live');
    const [owner] = api.ctx.workers.live();
    await worker.close();
    // Forgotten at its goodbye, not just fallen silent (a silent worker stays known, only not live).
    await until(() => !api.ctx.workers.known().includes(owner!), 5_000, 'the goodbye to be heard');
    const { account } = await accountWithEndpoint(api, receiver.url);
    const events = await emitEventsAtOnce(api, account.account.id, 5);
    const rows = await api.ctx.db.kysely.selectFrom('deliveries').select('lease_owner').where('account_id', '=', account.account.id).execute();
    expect(rows.map((r) => r.lease_owner)).toEqual([null, null, null, null, null]);

    // A new worker claims them, and is then handed what comes next.
    worker = await startService(loadConfig({}, workerEnv()));
    await receiver.waitUntil((all) => events.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    expect((await taken(worker)).claim).toBe(5);
    await until(() => api.ctx.workers.live().length === 1, 5_000, 'the new worker to announce itself');
    const next = await emitEventsAtOnce(api, account.account.id, 5);
    await receiver.waitUntil((all) => next.every((e) => all.some((r) => r.headers['webhook-id'] === e.id)), 20_000);
    expect((await taken(worker)).remote_handoff).toBe(5);
  }, 60_000);
});
