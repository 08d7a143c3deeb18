import { sleep, wallClockMs } from './clock.js';

/**
 * How every scenario makes its load, the same for our service and for the peer queue: `commit(n)`
 * commits n events in one transaction and returns their ids; the time right after it returns is
 * each event's commit time, the start of its commit-to-arrival latency.
 */
export type Commit = (count: number) => Promise<string[]>;
export type CommitLog = Map<string, number>;

export interface BatchPlan {
  events: number;
  /** Events per transaction. */
  batch: number;
  /** Keep commit times (off for the million-row backlog, where only the drain is measured). */
  track: boolean;
  /** Stop producing after this long even if fewer than `events` were committed. */
  maxMs: number;
}

export interface RatePlan {
  /** Offered events per second, one event per transaction (one API request each). */
  rate: number;
  durationMs: number;
}

export interface Produced {
  startedAt: number;
  finishedAt: number;
  events: number;
  /** Events per second actually committed; below the offered rate when the producer could not keep up. */
  achievedRate: number;
}

/**
 * Lets the event loop run I/O between two transactions. better-sqlite3 is synchronous under
 * Kysely's promises, so a loop of commits would otherwise run entirely in microtasks and starve
 * every socket in the process (the delivery workers' included) until it ended. Real traffic
 * arrives as one HTTP request per macrotask; this gives the same interleaving.
 */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function produced(startedAt: number, events: number): Produced {
  const finishedAt = wallClockMs();
  return { startedAt, finishedAt, events, achievedRate: Math.round(events / Math.max(0.001, (finishedAt - startedAt) / 1000)) };
}

/** As fast as the database takes them: `events` events in transactions of `batch`, within `maxMs`. */
export async function produceBatches(plan: BatchPlan, commit: Commit, log: CommitLog): Promise<Produced> {
  const startedAt = wallClockMs();
  const deadline = startedAt + plan.maxMs;
  let done = 0;
  while (done < plan.events && wallClockMs() < deadline) {
    const ids = await commit(Math.min(plan.batch, plan.events - done));
    const at = wallClockMs();
    if (plan.track) for (const id of ids) log.set(id, at);
    done += ids.length;
    await yieldToIo();
  }
  return produced(startedAt, done);
}

/**
 * Open loop at a fixed offered rate: the schedule says how many events should exist by now, and the
 * producer catches up one transaction at a time, so a slow consumer cannot slow the offered load
 * down (closed-loop benchmarks hide queueing delay). Bounded by count and by 1.5× the duration:
 * a producer that cannot keep up shows as a committed rate below the offered one.
 */
export async function produceAtRate(plan: RatePlan, commit: Commit, log: CommitLog): Promise<Produced> {
  const total = Math.round((plan.rate * plan.durationMs) / 1000);
  const startedAt = wallClockMs();
  const deadline = startedAt + plan.durationMs * 1.5;
  let done = 0;
  while (done < total && wallClockMs() < deadline) {
    const due = Math.min(total, Math.floor(((wallClockMs() - startedAt) * plan.rate) / 1000) + 1);
    if (done >= due) {
      await sleep(1);
      continue;
    }
    const [id] = await commit(1);
    log.set(id!, wallClockMs());
    done++;
    await yieldToIo();
  }
  return produced(startedAt, done);
}
