import type { AppContext } from '../context.js';
import { periodicJob } from '../periodic-job.js';
import { purgeAttemptsBefore, purgeDeliveriesBefore, purgeEventsBefore } from './retention-queries.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const BATCH = 1000;

type RetentionConfig = Pick<AppContext['config'], 'retention'>;

/** Delivery history from before this moment is purged: attempts, finished deliveries, events. */
function historyCutoff(config: RetentionConfig, now: number): number {
  return now - config.retention.eventDays * DAY_MS;
}

/**
 * The oldest history a recovery or a resend may re-queue: an hour inside the retention window, so
 * that neither re-opens a delivery, nor gives a new one to an event, that a sweep running at the
 * same moment is deleting (on PostgreSQL no foreign key would stop that: see migration 005).
 */
export function oldestRecoverable(config: RetentionConfig, now: number): number {
  return historyCutoff(config, now) + HOUR_MS;
}

/** `since`, moved up to the oldest recoverable moment: where a recovery (and its preview) starts. */
export function recoverableSince(config: RetentionConfig, since: number, now: number): number {
  return Math.max(since, oldestRecoverable(config, now));
}

/** Yields to the event loop between batches, so sends and API requests interleave with a long purge. */
const breathe = () => new Promise((resolve) => setTimeout(resolve, 5));

async function drain(purge: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await purge();
    total += deleted;
    if (deleted < BATCH) return total;
    await breathe();
  }
}

/**
 * Deletes attempts, finished deliveries and events older than config.retention.eventDays, in
 * that order (each refers to the next). Open deliveries and their events are kept whatever
 * their age: retention never loses a webhook that is still due.
 */
export async function purgeExpiredDeliveryHistory(ctx: AppContext, now = Date.now()): Promise<{ attempts: number; deliveries: number; events: number }> {
  const cutoff = historyCutoff(ctx.config, now);
  const q = ctx.db.kysely;
  const attempts = await drain(() => purgeAttemptsBefore(q, cutoff, BATCH));
  const deliveries = await drain(() => purgeDeliveriesBefore(q, cutoff, BATCH));
  const events = await drain(() => purgeEventsBefore(q, cutoff, BATCH));
  if (attempts + deliveries + events > 0) ctx.log.info({ attempts, deliveries, events, olderThanDays: ctx.config.retention.eventDays }, 'retention: purged delivery history');
  return { attempts, deliveries, events };
}

/** Runs the purge at start and every config.retention.sweepIntervalMs. */
export const deliveryRetentionJob = periodicJob('delivery-retention', purgeExpiredDeliveryHistory);
