import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { inTransaction } from '../db/database.js';
import { listAttemptsOfDelivery } from '../db/repos/attempts.js';
import { findDelivery, requeueDelivery } from '../db/repos/deliveries.js';
import { findEndpoint } from '../db/repos/endpoints.js';
import { oldestRecoverable } from '../delivery/retention.js';

/** One delivery with every attempt, for the delivery log. */
export async function getDeliveryWithAttempts(ctx: AppContext, accountId: string, id: string) {
  const delivery = await findDelivery(ctx.db.kysely, accountId, id);
  if (!delivery) throw new AppError('RID_ERR_DELIVERY_NOT_FOUND');
  return { delivery, attempts: await listAttemptsOfDelivery(ctx.db.kysely, id) };
}

/** Sends a finished delivery again, now, with a fresh retry schedule. */
export async function resendDelivery(ctx: AppContext, accountId: string, id: string): Promise<void> {
  await inTransaction(ctx.db, async (tx, hooks) => {
    const delivery = await findDelivery(tx, accountId, id);
    if (!delivery) throw new AppError('RID_ERR_DELIVERY_NOT_FOUND');
    if (delivery.created_at < oldestRecoverable(ctx.config, Date.now())) {
      throw new AppError('RID_ERR_CONFLICT', `The delivery is about to be purged with its event (REALID_EVENT_RETENTION_DAYS is ${ctx.config.retention.eventDays}), so it can no longer be resent.`);
    }
    const endpoint = await findEndpoint(tx, accountId, delivery.endpoint_id);
    if (!endpoint) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND', 'The endpoint of this delivery has been deleted.');
    if (endpoint.disabled) throw new AppError('RID_ERR_CONFLICT', 'The endpoint is disabled. Enable it first (PATCH {"disabled": false}), then resend.');
    if (!(await requeueDelivery(tx, accountId, id, Date.now()))) {
      throw new AppError('RID_ERR_CONFLICT', 'The delivery is still queued or being sent; it can be resent once it has succeeded or failed.');
    }
    await ctx.wakeups.announce(tx, hooks);
  });
}
