import { Queue, Worker, type JobsOptions } from 'bullmq';
import { serveParent } from './child.js';
import { peerProducerHandlers } from './peer-producer.js';
import { closePeerPools, sendPeerWebhook, type PeerWebhook } from './peer-sender.js';

/**
 * The second peer baseline: what a Node team would build with BullMQ on Redis and undici instead
 * of our engine. One job per (event, endpoint), added by one `addBulk` per batch of events (one
 * pipelined round trip; each job's script is atomic on its own, the batch is not);
 * BullMQ's own retries (7 attempts, exponential back-off from 5 s, like our schedule); a Worker
 * with `concurrency` jobs in flight, each signed and sent as peer-sender.ts does, failing (to be
 * retried) on anything but a 2xx. Completed jobs are kept, BullMQ's default, as our delivery log
 * keeps every attempt. BullMQ does not poll: an idle worker waits on a blocking Redis command, and
 * a new job wakes it at once.
 *
 * What it cannot do, and our engine does: add the jobs in the same transaction as the change that
 * caused them. Redis is a second store, so a crash between the two loses the event or sends one
 * for a change that never committed.
 */
const QUEUE = 'webhooks';
const JOB_OPTIONS: JobsOptions = { attempts: 7, backoff: { type: 'exponential', delay: 5_000 } };

let queue: Queue<PeerWebhook> | null = null;
let worker: Worker<PeerWebhook> | null = null;

serveParent({
  start(args: { redisPort: number; role: 'producer' | 'worker'; secret: string; concurrency: number }) {
    // BullMQ asks for maxRetriesPerRequest: null on a worker's connection (its blocking commands must not time out).
    const connection = { host: '127.0.0.1', port: args.redisPort, maxRetriesPerRequest: null };
    if (args.role === 'producer') {
      queue = new Queue<PeerWebhook>(QUEUE, { connection });
      return queue.waitUntilReady().then(() => undefined);
    }
    worker = new Worker<PeerWebhook>(QUEUE, async (job) => {
      if (!(await sendPeerWebhook(job.data, args.secret))) throw new Error('the receiver did not answer 2xx');
    }, { connection, concurrency: args.concurrency });
    worker.on('error', () => {});
    return worker.waitUntilReady().then(() => undefined);
  },
  // One addBulk (one pipelined round trip) per batch of events.
  ...peerProducerHandlers((jobs) => queue!.addBulk(jobs.map((data) => ({ name: 'webhook', data, opts: JOB_OPTIONS })))),
  async exit() {
    await worker?.close();
    await queue?.close();
    await closePeerPools();
  },
});
