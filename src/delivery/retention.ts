import type { AppContext } from '../context.js';
import { periodicJob } from '../periodic-job.js';
import { purgeAttemptsBefore, purgeDeliveriesBefore, purgeEventsBefore } from './retention-queries.js';

const DAY_MS = 86_400_000;
const BATCH = 1000;

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
  const cutoff = now - ctx.config.retention.eventDays * DAY_MS;
  const q = ctx.db.kysely;
  const attempts = await drain(() => purgeAttemptsBefore(q, cutoff, BATCH));
  const deliveries = await drain(() => purgeDeliveriesBefore(q, cutoff, BATCH));
  const events = await drain(() => purgeEventsBefore(q, cutoff, BATCH));
  if (attempts + deliveries + events > 0) ctx.log.info({ attempts, deliveries, events, olderThanDays: ctx.config.retention.eventDays }, 'retention: purged delivery history');
  return { attempts, deliveries, events };
}

/** Runs the purge at start and every config.retention.sweepIntervalMs. */
export const deliveryRetentionJob = periodicJob('delivery-retention', purgeExpiredDeliveryHistory);
