import PgBoss from 'pg-boss';
import { serveParent } from './child.js';
import { peerProducerHandlers } from './peer-producer.js';
import { closePeerPools, sendPeerWebhook, type PeerWebhook } from './peer-sender.js';

/**
 * The peer baseline: what a Node team would build with pg-boss 10 and undici instead of our engine.
 * One job per (event, endpoint), pg-boss's own retries (6, exponential back-off from 5 s, like our
 * schedule), workers that fetch jobs in batches and send each as peer-sender.ts does. A failed
 * POST fails only its own job. Tuned the way the pg-boss docs suggest for throughput: batch fetches
 * and several polling loops at the shortest interval pg-boss allows (0.5 s).
 */
const QUEUE = 'webhooks';
const RETRIES = { retryLimit: 6, retryDelay: 5, retryBackoff: true };

let boss: PgBoss | null = null;

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
      await boss.work<PeerWebhook>(QUEUE, { batchSize: args.batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        const sent = await Promise.all(jobs.map((job) => sendPeerWebhook(job.data, args.secret)));
        const failed = jobs.filter((_, index) => !sent[index]).map((job) => job.id);
        if (failed.length > 0) await boss!.fail(QUEUE, failed);
      });
    }
  },
  // One insert (one transaction) per batch of events.
  ...peerProducerHandlers((jobs) => boss!.insert(jobs.map((data) => ({ name: QUEUE, data, ...RETRIES })))),
  async exit() {
    await boss?.stop({ graceful: true, wait: true, timeout: 5_000 });
    await closePeerPools();
  },
});
