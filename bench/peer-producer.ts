import type { PeerWebhook } from './peer-sender.js';
import { produceAtRate, produceBatches, type BatchPlan, type CommitLog, type RatePlan } from './producer.js';
import { newEventBody } from './webhook-request.js';

/**
 * The producing half both peer baselines share, as serveParent handlers: the endpoints of the
 * row, and each batch of events fanned out into one job per (event, endpoint), handed to the
 * queue's own bulk insert (`addJobs`: one transaction, or one pipelined round trip) and noted in the commit log
 * the latency columns are measured from.
 */
export function peerProducerHandlers(addJobs: (jobs: PeerWebhook[]) => Promise<unknown>) {
  let endpointUrls: string[] = [];
  const commits: CommitLog = new Map();
  const commitEvents = async (count: number): Promise<string[]> => {
    const ids: string[] = [];
    const jobs: PeerWebhook[] = [];
    for (let i = 0; i < count; i++) {
      const { eventId, body } = newEventBody();
      ids.push(eventId);
      for (const url of endpointUrls) jobs.push({ eventId, url, body });
    }
    await addJobs(jobs);
    return ids;
  };
  return {
    setup(args: { receiverUrl: string; endpoints: number }) {
      endpointUrls = Array.from({ length: args.endpoints }, (_, i) => `${args.receiverUrl}/ep/${i}`);
    },
    produce: (args: BatchPlan) => produceBatches(args, commitEvents, commits),
    produceAtRate: (args: RatePlan) => produceAtRate(args, commitEvents, commits),
    commits: () => [...commits],
  };
}
