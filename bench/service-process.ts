import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { newId } from '../src/core/ids.js';
import { inTransaction } from '../src/db/database.js';
import { findSigningSecrets } from '../src/db/repos/webhook-secrets.js';
import { BACKGROUND_JOBS } from '../src/jobs.js';
import { createContext, followWorkers, startService } from '../src/main.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createAccount } from '../src/services/accounts.js';
import { createEndpoint } from '../src/services/endpoints.js';
import { recordEvent } from '../src/services/outbox.js';
import { cloneQueuedEvent } from './backlog-fill.js';
import { serveParent } from './child.js';
import { sleep } from './clock.js';
import { produceAtRate, produceBatches, type BatchPlan, type CommitLog, type RatePlan } from './producer.js';

/**
 * "Ours": the real service in its own process, built by the same composition root as
 * `realid start`. A delivering process runs the worker role; a producing-only process opens the
 * same context without any role. Either way the producer records events through the
 * transactional outbox (`recordEvent` inside `inTransaction`, the path every API route takes) and
 * notes each commit time. The api role is left out on purpose: no HTTP request is measured here,
 * and it would only add the dashboard's static files (and, in a fresh clone, its first build).
 */
let ctx: AppContext | null = null;
let close: () => Promise<void> = async () => {};
let accountId = '';
const commits: CommitLog = new Map();

const SHUTDOWN_GRACE_MS = 5_000;

/** Every process of one run seals and opens the signing secret with the same key. */
const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

/** `count` events in one transaction, as one API request that changes several checks would. */
async function recordCheckEvents(count: number): Promise<string[]> {
  const ids: string[] = [];
  await inTransaction(ctx!.db, async (tx, hooks) => {
    for (let i = 0; i < count; i++) {
      const event = await recordEvent(ctx!, tx, hooks, { accountId, type: 'check.completed', checkId: newId('chk'), testing: false });
      ids.push(event.id);
    }
  });
  return ids;
}

serveParent({
  async start(args: { db: string; deliver: boolean; dataDir: string }) {
    const config = loadConfig({}, {
      REALID_PROFILE: 'development',
      REALID_DATA_DIR: args.dataDir,
      REALID_DB: args.db,
      REALID_ROLE: 'worker',
      REALID_LOG_LEVEL: 'warn',
      REALID_SEED_DEMO: 'false',
      REALID_MASTER_KEY: BENCH_MASTER_KEY,
      REALID_ALLOW_DESTINATIONS: '127.0.0.0/8',
      // The engine settings a run may choose (REALID_SEND_THREAD=off npm run bench), to compare.
      ...(process.env.REALID_SEND_THREAD ? { REALID_SEND_THREAD: process.env.REALID_SEND_THREAD } : {}),
      ...(process.env.REALID_REMOTE_HANDOFF ? { REALID_REMOTE_HANDOFF: process.env.REALID_REMOTE_HANDOFF } : {}),
    });
    if (args.deliver) {
      const service = await startService(config);
      ctx = service.ctx;
      close = () => service.close();
    } else {
      const opened = await createContext(config);
      await migrateToLatest(opened.db);
      // As the api role does: hear the worker processes, to hand them new deliveries (PostgreSQL).
      await followWorkers(opened);
      ctx = opened;
      close = async () => { await opened.wakeups.close(); await opened.db.close(); };
    }
    return { jobs: args.deliver ? BACKGROUND_JOBS.map((job) => job.name) : [] };
  },

  /** An Enterprise account with `endpoints` endpoints at `<receiver>/ep/<i>`; returns its signing secret. */
  async setup(args: { receiverUrl: string; endpoints: number }) {
    const made = await createAccount(ctx!, { name: 'Bench', plan: 'enterprise', ownerEmail: `bench-${Date.now()}@bench.realid.local` });
    accountId = made.account.id;
    for (let i = 0; i < args.endpoints; i++) {
      await createEndpoint(ctx!, accountId, { url: `${args.receiverUrl}/ep/${i}`, events: ['check.completed'] });
    }
    const [current] = await findSigningSecrets(ctx!.db.kysely, accountId, Date.now());
    return { secret: ctx!.box.openText(current!.secret_enc) };
  },

  produce: (args: BatchPlan) => produceBatches(args, recordCheckEvents, commits),
  produceAtRate: (args: RatePlan) => produceAtRate(args, recordCheckEvents, commits),
  commits: () => [...commits],

  /** `count` queued deliveries to the first endpoint: one real event, copied (see backlog-fill.ts). */
  async fillBacklog(args: { count: number }) {
    if (!ctx!.db.sqlite) throw new Error('the backlog scenario runs on SQLite');
    const [template] = await recordCheckEvents(1);
    cloneQueuedEvent(ctx!.db.sqlite, template!, args.count - 1);
  },
  /**
   * A graceful close, but never a long one: the process must exit normally for --cpu-prof to write
   * its profile, and a shutdown that hangs is the engine's bug to show, not the benchmark's to wait on.
   */
  async exit() {
    const closed = await Promise.race([close().then(() => true), sleep(SHUTDOWN_GRACE_MS).then(() => false)]);
    if (!closed) process.stderr.write(`bench: the service did not close within ${SHUTDOWN_GRACE_MS} ms; exiting anyway\n`);
  },
});
