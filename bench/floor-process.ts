import { Pool } from 'undici';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { eventPayload } from '../src/core/event-payload.js';
import { newId } from '../src/core/ids.js';
import { signatureHeaders } from '../src/core/signing.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findSigningSecrets } from '../src/db/repos/webhook-secrets.js';
import { createContext } from '../src/main.js';
import { createAccount } from '../src/services/accounts.js';
import { createEndpoint } from '../src/services/endpoints.js';
import { serveParent } from './child.js';
import { dropSecondaryIndexes, type FloorAttempt, type FloorEvent, type FloorStore, postgresFloorStore, sqliteFloorStore } from './floor-store.js';
import { produceBatches, type BatchPlan, type CommitLog } from './producer.js';

/**
 * The floor: what our design costs with none of our engine's code in the way. One process, the
 * same database set-up (SQLite file with WAL and background checkpoints, or a PostgreSQL
 * database; the same schema and indexes) and per delivery the same durable writes — the event and
 * its delivery committed together, then the attempt row and the delivery's final state committed
 * in batches every 10 ms — and the same signed POST over 16 keep-alive connections, but
 * hand-written (floor-store.ts): no leases, no lanes, no retries, no metrics, no Kysely, an array
 * for a queue. Our engine can only approach it; the gap between the two is what our code costs,
 * and the gap between it and the ceiling is what durability on that database costs.
 */
let ctx: AppContext | null = null;
let accountId = '';
let endpoints: Array<{ id: string; url: URL; pool: Pool }> = [];
let secret = '';
const commits: CommitLog = new Map();

interface Queued { deliveryId: string; eventId: string; endpoint: (typeof endpoints)[number]; body: string }

const queue: Queued[] = [];
const finished: FloorAttempt[] = [];
let waiting: Array<() => void> = [];
let recordTimer: NodeJS.Timeout | null = null;
/** The batch being written: the next one waits for it (PostgreSQL has one connection here). */
let recording: Promise<void> = Promise.resolve();
let store: FloorStore | null = null;
const CONNECTIONS = 16;

/** `count` events and their deliveries in one transaction, then straight into the send queue. */
async function commitEvents(count: number): Promise<string[]> {
  const now = Date.now();
  const events: FloorEvent[] = [];
  const made: Queued[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('evt', now);
    const checkId = newId('chk', now);
    const payload = eventPayload('check.completed', new Date(now), { id: checkId, testing: false });
    const deliveries = endpoints.map((endpoint) => ({ id: newId('msg', now), endpointId: endpoint.id }));
    events.push({ id, checkId, payload, deliveries });
    deliveries.forEach((d, n) => made.push({ deliveryId: d.id, eventId: id, endpoint: endpoints[n]!, body: payload }));
  }
  await store!.commitEvents(accountId, now, events);
  queue.push(...made);
  for (const wake of waiting.splice(0)) wake();
  return events.map((e) => e.id);
}

function record(): Promise<void> {
  recordTimer = null;
  const batch = finished.splice(0);
  if (batch.length === 0) return recording;
  recording = recording.then(() => store!.record(accountId, Date.now(), batch));
  return recording;
}

/** One connection's loop: take the next delivery, sign it, POST it, note the outcome for the recorder. */
async function sendLoop(): Promise<void> {
  for (;;) {
    const next = queue.shift();
    if (!next) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      continue;
    }
    const startedAt = Date.now();
    const started = performance.now();
    const headers = {
      'content-type': 'application/json', 'user-agent': 'RealID-Webhooks/floor',
      ...signatureHeaders({ eventId: next.eventId, timestampSeconds: Math.floor(startedAt / 1000), body: next.body, secrets: [secret] }),
    };
    const response = await next.endpoint.pool.request({ path: next.endpoint.url.pathname, method: 'POST', headers, body: next.body });
    await response.body.dump();
    finished.push({
      id: newId('atmpt', startedAt), deliveryId: next.deliveryId, endpointId: next.endpoint.id, url: next.endpoint.url.href, startedAt,
      durationMs: Math.round(performance.now() - started), status: response.statusCode,
      requestHeaders: JSON.stringify(headers), responseHeaders: JSON.stringify(response.headers),
    });
    recordTimer ??= setTimeout(record, 10);
  }
}

serveParent({
  async start(args: { db: string; dataDir: string; primaryKeysOnly: boolean }) {
    ctx = await createContext(loadConfig({}, {
      REALID_PROFILE: 'development', REALID_DATA_DIR: args.dataDir, REALID_DB: args.db, REALID_LOG_LEVEL: 'warn',
      REALID_SEED_DEMO: 'false', REALID_MASTER_KEY: Buffer.alloc(32, 42).toString('base64'),
    }), undefined, { longRunning: true });
    await migrateToLatest(ctx.db);
    if (args.primaryKeysOnly) await dropSecondaryIndexes(ctx.db);
    store = ctx.db.sqlite ? sqliteFloorStore(ctx.db.sqlite) : await postgresFloorStore(args.db);
    return { jobs: [] };
  },

  async setup(args: { receiverUrl: string; endpoints: number }) {
    const made = await createAccount(ctx!, { name: 'Floor', plan: 'enterprise', ownerEmail: `floor-${Date.now()}@bench.realid.local` });
    accountId = made.account.id;
    for (let i = 0; i < args.endpoints; i++) {
      const endpoint = await createEndpoint(ctx!, accountId, { url: `${args.receiverUrl}/ep/${i}`, events: ['check.completed'] });
      const url = new URL(endpoint.url);
      endpoints.push({ id: endpoint.id, url, pool: new Pool(url.origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 }) });
    }
    const [current] = await findSigningSecrets(ctx!.db.kysely, accountId, Date.now());
    secret = ctx!.box.openText(current!.secret_enc);
    for (let i = 0; i < CONNECTIONS * endpoints.length; i++) void sendLoop();
    return { secret };
  },

  produce: (args: BatchPlan) => produceBatches(args, commitEvents, commits),
  commits: () => [...commits],

  async exit() {
    if (recordTimer) clearTimeout(recordTimer);
    await record();
    await store?.close();
    await Promise.all(endpoints.map((e) => e.pool.close()));
    await ctx?.wakeups.close();
    await ctx?.db.close();
  },
});
