import type { AppContext } from '../context.js';
import { findChecksCreatedBefore } from '../db/repos/checks.js';
import { periodicJob } from '../periodic-job.js';
import { redactCheck } from './checks-redact.js';

const DAY_MS = 86_400_000;
const BATCH = 100;
// Bounds one sweep, so a first run over years of checks spreads over several sweeps instead of
// one long burst that starves the API of the database.
const MAX_BATCHES_PER_SWEEP = 50;

/** Redacts every check older than config.retention.checkDays, in batches; returns how many. */
export async function sweepExpiredChecks(ctx: AppContext, now = Date.now()): Promise<number> {
  const days = ctx.config.retention.checkDays;
  if (days === null) return 0;
  const cutoff = now - days * DAY_MS;
  let redacted = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
    const due = await findChecksCreatedBefore(ctx.db.kysely, cutoff, BATCH);
    for (const check of due) {
      await redactCheck(ctx, check.account_id, check.id);
      redacted++;
    }
    if (due.length < BATCH) break;
  }
  if (redacted > 0) ctx.log.info({ redacted, olderThanDays: days }, 'retention: redacted old checks');
  return redacted;
}

/** Runs the sweep at start and every config.retention.sweepIntervalMs (REALID_CHECK_RETENTION_DAYS unset: never). */
export const checkRetentionJob = periodicJob('check-retention', sweepExpiredChecks, (ctx) => ctx.config.retention.checkDays !== null);
