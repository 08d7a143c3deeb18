import type { AppContext } from './context.js';
import { checkRetentionJob } from './services/retention.js';
import { deliveryJob } from './delivery/delivery-job.js';
import { deliveryRetentionJob } from './delivery/retention.js';
import { deleteExpiredSessions } from './db/repos/sessions.js';
import { periodicJob } from './periodic-job.js';

/**
 * What the worker role runs besides the API: each job starts, and returns how to stop it
 * (finishing what it has in flight). Delivery workers, retention sweeps and the like register here.
 */
export interface BackgroundJob {
  name: string;
  start(ctx: AppContext): Promise<() => Promise<void>>;
}

/** Ended dashboard sessions are refused at once (the lookup checks expiry); this only keeps the table small. */
export const sessionExpiryJob = periodicJob('session-expiry', (ctx) => deleteExpiredSessions(ctx.db.kysely, Date.now()));

export const BACKGROUND_JOBS: BackgroundJob[] = [checkRetentionJob, deliveryJob, deliveryRetentionJob, sessionExpiryJob];
