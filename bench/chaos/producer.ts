import { setTimeout as sleep } from 'node:timers/promises';
import type { Api } from './api.js';

/**
 * Load through the public API, the way a merchant's server makes it: create test checks
 * (`POST /api/v1/checks`, each emits check.delivered) and drive some of them to the end
 * (`POST /checks/:id/simulate {action: complete}`, which emits check.submitted-photo and
 * check.completed). It records exactly what the API acknowledged, so a check is made afterwards
 * that every acknowledged event exists and reached the receivers. Calls that fail (the service
 * is down, restarting, or its database is) are counted and not acknowledged.
 */
export interface LoadPlan {
  /** Offered API calls per second, over all lanes. */
  ratePerSecond: number;
  /** Calls in flight at once. */
  lanes: number;
  /** Share of created checks that are then completed (0..1). */
  completeShare: number;
  /** Hard bounds: the producer stops at whichever comes first (or at stop()). */
  maxCalls: number;
  maxMs: number;
}

export interface LoadTally {
  calls: number;
  /** Check ids whose creation the API acknowledged (201): each has a check.delivered event. */
  created: string[];
  /** Check ids whose completion the API acknowledged (200): each has a check.completed event. */
  completed: string[];
  /** Calls that got no answer (connection refused or cut). */
  unanswered: number;
  /** Calls answered with something other than success (e.g. 503 while the database is down). */
  rejected: number;
  /** Those answers by HTTP status: what a client saw while things were broken. */
  rejectedByStatus: Record<string, number>;
}

export interface Load {
  readonly tally: LoadTally;
  stop(): Promise<LoadTally>;
}

const NEW_CHECK = { customer: { first_name: 'Chaos', last_name: 'Monkey', email: 'chaos@example.test' } };

export function startLoad(api: Api, plan: LoadPlan): Load {
  const tally: LoadTally = { calls: 0, created: [], completed: [], unanswered: 0, rejected: 0, rejectedByStatus: {} };
  const reject = (status: number) => {
    tally.rejected++;
    tally.rejectedByStatus[status] = (tally.rejectedByStatus[status] ?? 0) + 1;
  };
  const toComplete: string[] = [];
  const started = Date.now();
  let stopped = false;
  const intervalMs = (1000 * plan.lanes) / plan.ratePerSecond;
  const more = () => !stopped && tally.calls < plan.maxCalls && Date.now() - started < plan.maxMs;

  const oneCall = async (): Promise<void> => {
    tally.calls++;
    const checkId = toComplete.shift();
    try {
      if (checkId) {
        const answer = await api.call('POST', `/api/v1/checks/${checkId}/simulate`, { action: 'complete' }, 15_000);
        if (answer.status === 200) tally.completed.push(checkId);
        else reject(answer.status);
        return;
      }
      const answer = await api.call<{ check: { id: string } }>('POST', '/api/v1/checks', NEW_CHECK, 15_000);
      if (answer.status !== 201) return reject(answer.status);
      tally.created.push(answer.body.check.id);
      if (Math.random() < plan.completeShare) toComplete.push(answer.body.check.id);
    } catch {
      tally.unanswered++;
      // Down or restarting: back off a little instead of spinning on refused connections.
      await sleep(100);
    }
  };

  const lane = async (index: number): Promise<void> => {
    let next = Date.now() + (intervalMs * index) / plan.lanes;
    while (more()) {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      if (!more()) return;
      next = Math.max(next + intervalMs, Date.now() - intervalMs);
      await oneCall();
    }
  };

  const lanes = Promise.all(Array.from({ length: plan.lanes }, (_, index) => lane(index)));
  return {
    tally,
    async stop() {
      stopped = true;
      await lanes;
      return tally;
    },
  };
}
