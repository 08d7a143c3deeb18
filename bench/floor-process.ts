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
import { produceBatches, type BatchPlan, type CommitLog } from './producer.js';

/**
 * The floor: what our design costs with none of our engine's code in the way. One process, the
 * same SQLite file set-up (schema, indexes, WAL, background checkpoints) and per delivery the same
 * durable writes — the event and its delivery committed together, then the attempt row and the
 * delivery's final state committed in batches every 10 ms — and the same signed POST over 16
 * keep-alive connections, but hand-written: prepared statements on the raw handle, an array for
 * a queue, no leases, no lanes, no retries, no metrics, no Kysely. Our engine can only approach
 * it; the gap between the two is what our code costs, and the gap between it and the ceiling is
 * what durability on this database costs.
 */
let ctx: AppContext | null = null;
let accountId = '';
let endpoints: Array<{ id: string; url: URL; pool: Pool }> = [];
let secret = '';
const commits: CommitLog = new Map();

interface Queued { deliveryId: string; eventId: string; endpoint: (typeof endpoints)[number]; body: string }
interface Finished { queued: Queued; startedAt: number; durationMs: number; status: number; headers: Record<string, string>; responseHeaders: string }

const queue: Queued[] = [];
const finished: Finished[] = [];
let waiting: Array<() => void> = [];
let recordTimer: NodeJS.Timeout | null = null;
const CONNECTIONS = 16;

const sql = {
  event: 'INSERT INTO events (id, account_id, type, check_id, testing, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  delivery: `INSERT INTO deliveries (id, account_id, endpoint_id, event_id, check_id, order_key, status, attempt_count, next_attempt_at,
    lease_owner, lease_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, 'sending', 0, ?, 'floor', ?, ?, ?)`,
  attempt: `INSERT INTO attempts (id, delivery_id, account_id, endpoint_id, attempt_number, trigger, url, started_at, duration_ms, succeeded,
    status_code, error_kind, error_message, request_headers, response_headers, response_body) VALUES (?, ?, ?, ?, 1, 'scheduled', ?, ?, ?, ?, ?, NULL, NULL, ?, ?, '')`,
  finish: `UPDATE deliveries SET status = 'succeeded', attempt_count = 1, last_attempt_at = ?, last_status_code = ?, finished_at = ?, updated_at = ?,
    lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = 'floor' AND status = 'sending'`,
};

function statements() {
  const sqlite = ctx!.db.sqlite!;
  return {
    begin: sqlite.prepare('BEGIN'), commit: sqlite.prepare('COMMIT'),
    event: sqlite.prepare(sql.event), delivery: sqlite.prepare(sql.delivery),
    attempt: sqlite.prepare(sql.attempt), finish: sqlite.prepare(sql.finish),
  };
}
let prepared: ReturnType<typeof statements> | null = null;

/** `count` events and their deliveries in one transaction, then straight into the send queue. */
async function commitEvents(count: number): Promise<string[]> {
  const s = prepared!;
  const now = Date.now();
  const made: Queued[] = [];
  s.begin.run();
  for (let i = 0; i < count; i++) {
    const eventId = newId('evt', now);
    const checkId = newId('chk', now);
    const body = eventPayload('check.completed', new Date(now), { id: checkId, testing: false });
    s.event.run([eventId, accountId, 'check.completed', checkId, 0, body, now]);
    for (const endpoint of endpoints) {
      const deliveryId = newId('msg', now);
      s.delivery.run([deliveryId, accountId, endpoint.id, eventId, checkId, now, now + 60_000, now, now]);
      made.push({ deliveryId, eventId, endpoint, body });
    }
  }
  s.commit.run();
  queue.push(...made);
  for (const wake of waiting.splice(0)) wake();
  return [...new Set(made.map((m) => m.eventId))];
}

function record(): void {
  recordTimer = null;
  const batch = finished.splice(0);
  if (batch.length === 0) return;
  const s = prepared!;
  const now = Date.now();
  s.begin.run();
  for (const f of batch) {
    const { queued } = f;
    s.attempt.run([newId('atmpt', f.startedAt), queued.deliveryId, accountId, queued.endpoint.id, queued.endpoint.url.href, f.startedAt, f.durationMs,
      f.status >= 200 && f.status < 300 ? 1 : 0, f.status, JSON.stringify(f.headers), f.responseHeaders]);
    s.finish.run([f.startedAt, f.status, now, now, queued.deliveryId]);
  }
  s.commit.run();
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
    finished.push({ queued: next, startedAt, durationMs: Math.round(performance.now() - started), status: response.statusCode, headers, responseHeaders: JSON.stringify(response.headers) });
    recordTimer ??= setTimeout(record, 10);
  }
}

serveParent({
  async start(args: { db: string; dataDir: string }) {
    ctx = await createContext(loadConfig({}, {
      REALID_PROFILE: 'development', REALID_DATA_DIR: args.dataDir, REALID_DB: args.db, REALID_LOG_LEVEL: 'warn',
      REALID_SEED_DEMO: 'false', REALID_MASTER_KEY: Buffer.alloc(32, 42).toString('base64'),
    }), undefined, { longRunning: true });
    if (!ctx.db.sqlite) throw new Error('the floor runs on SQLite');
    await migrateToLatest(ctx.db);
    prepared = statements();
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
    record();
    await Promise.all(endpoints.map((e) => e.pool.close()));
    await ctx?.wakeups.close();
    await ctx?.db.close();
  },
});
