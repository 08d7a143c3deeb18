import type { AppContext } from './context.js';
import { checkRetentionJob } from './services/retention.js';
import { deliveryJob } from './delivery/delivery-job.js';
import { deliveryRetentionJob } from './delivery/retention.js';

/**
 * What the worker role runs besides the API: each job starts, and returns how to stop it
 * (finishing what it has in flight). Delivery workers, retention sweeps and the like register here.
 */
export interface BackgroundJob {
  name: string;
  start(ctx: AppContext): Promise<() => Promise<void>>;
}

export const BACKGROUND_JOBS: BackgroundJob[] = [checkRetentionJob, deliveryJob, deliveryRetentionJob];
