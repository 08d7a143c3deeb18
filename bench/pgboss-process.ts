import PgBoss from 'pg-boss';
import { Pool } from 'undici';
import { serveParent } from './child.js';
import { produceAtRate, produceBatches, type BatchPlan, type CommitLog, type RatePlan } from './producer.js';
import { newEventBody, signedRequest } from './webhook-request.js';

/**
 * The peer baseline: what a Node team would build with pg-boss 10 and undici instead of our engine.
 * One job per (event, endpoint), pg-boss's own retries (6, exponential back-off from 5 s, like our
 * schedule), workers that fetch jobs in batches, sign each request like ours and POST it through a
 * keep-alive undici Pool per endpoint (16 connections: our per-endpoint limit). A failed POST fails
 * only its own job. Tuned the way the pg-boss docs suggest for throughput: batch fetches and
 * several polling loops at the shortest interval pg-boss allows (0.5 s).
 */
const QUEUE = 'webhooks';
const RETRIES = { retryLimit: 6, retryDelay: 5, retryBackoff: true };

interface WebhookJob { eventId: string; url: string; body: string }

let boss: PgBoss | null = null;
let endpointUrls: string[] = [];
const pools = new Map<string, Pool>();
const commits: CommitLog = new Map();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 15_000, bodyTimeout: 15_000 });
    pools.set(origin, pool);
  }
  return pool;
}

async function send(job: WebhookJob, secret: string): Promise<boolean> {
  const url = new URL(job.url);
  const request = signedRequest(job.eventId, job.body, secret);
  try {
    const response = await poolFor(url.origin).request({ path: url.pathname, method: 'POST', headers: request.headers, body: request.body });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

/** One event fanned out to every endpoint, `count` events in one insert (one transaction). */
async function commitEvents(count: number): Promise<string[]> {
  const ids: string[] = [];
  const jobs: PgBoss.JobInsert<WebhookJob>[] = [];
  for (let i = 0; i < count; i++) {
    const { eventId, body } = newEventBody();
    ids.push(eventId);
    for (const url of endpointUrls) jobs.push({ name: QUEUE, data: { eventId, url, body }, ...RETRIES });
  }
  await boss!.insert(jobs);
  return ids;
}

serveParent({
  async start(args: { db: string; role: 'producer' | 'worker'; secret: string; loops: number; batchSize: number }) {
    boss = new PgBoss({ connectionString: args.db, max: 10, supervise: args.role === 'worker', schedule: false });
    boss.on('error', () => {});
    await boss.start();
    if (args.role === 'producer') {
      await boss.createQueue(QUEUE, { name: QUEUE, ...RETRIES });
      return;
    }
    for (let i = 0; i < args.loops; i++) {
      await boss.work<WebhookJob>(QUEUE, { batchSize: args.batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        const sent = await Promise.all(jobs.map((job) => send(job.data, args.secret)));
        const failed = jobs.filter((_, index) => !sent[index]).map((job) => job.id);
        if (failed.length > 0) await boss!.fail(QUEUE, failed);
      });
    }
  },
  setup(args: { receiverUrl: string; endpoints: number }) {
    endpointUrls = Array.from({ length: args.endpoints }, (_, i) => `${args.receiverUrl}/ep/${i}`);
  },
  produce: (args: BatchPlan) => produceBatches(args, commitEvents, commits),
  produceAtRate: (args: RatePlan) => produceAtRate(args, commitEvents, commits),
  commits: () => [...commits],
  async exit() {
    await boss?.stop({ graceful: true, wait: true, timeout: 5_000 });
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  },
});
