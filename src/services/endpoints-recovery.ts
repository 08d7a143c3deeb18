import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { eventPayload } from '../core/event-payload.js';
import { newId } from '../core/ids.js';
import { inTransaction, type Queryable } from '../db/database.js';
import { countEventsNeverQueuedFor, countFailedSince, eventsNeverQueuedFor, insertDeliveries, requeueFailedSince } from '../db/repos/deliveries.js';
import { findEndpoint } from '../db/repos/endpoints.js';
import { insertEvent } from '../db/repos/events.js';
import type { EndpointsTable, EventsTable } from '../db/schema.js';
import { recoverableSince } from '../delivery/retention.js';
import { newDelivery } from './deliveries-queue.js';

/** Events are re-queued in chunks this size, so a recover over months does not build one huge statement. */
const CHUNK = 500;

/** What an endpoint missed since `since`: deliveries that failed, and events never queued for it while it was off. */
export async function countMissedSince(q: Queryable, endpoint: EndpointsTable, since: number): Promise<number> {
  return (await countFailedSince(q, endpoint.id, since)) + (await countEventsNeverQueuedFor(q, endpoint, since));
}

/**
 * Re-queues everything the endpoint missed since `since` — failed deliveries (with the full retry
 * schedule again) and events that happened while it was disabled — and returns how many. History
 * retention is about to purge (older than the retention period less an hour) is left alone.
 */
export async function recoverEndpoint(ctx: AppContext, accountId: string, id: string, asked: number): Promise<number> {
  const now = Date.now();
  const since = recoverableSince(ctx.config, asked, now);
  const count = await inTransaction(ctx.db, async (tx, hooks) => {
    const endpoint = await findEndpoint(tx, accountId, id);
    if (!endpoint) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND');
    if (endpoint.disabled) throw new AppError('RID_ERR_CONFLICT', 'The endpoint is disabled. Enable it first (PATCH {"disabled": false}), then recover.');
    let total = await requeueFailedSince(tx, endpoint.id, since, now);
    for (;;) {
      const events = await eventsNeverQueuedFor(tx, endpoint, since, CHUNK);
      await insertDeliveries(ctx.db, tx, events.map((event) => newDelivery(endpoint, event, now, 'manual')));
      total += events.length;
      if (events.length < CHUNK) break;
    }
    if (total > 0) await ctx.wakeups.announce(tx, hooks);
    return total;
  });
  ctx.log.info({ endpointId: id, since: new Date(since).toISOString(), count }, 'recovered webhook deliveries');
  return count;
}

/**
 * A signed test webhook to one endpoint through the normal pipeline: a `check.completed` event
 * with testing:true for a synthetic check id, so the receiver sees exactly what real ones look like.
 */
export async function sendTestEvent(ctx: AppContext, accountId: string, id: string): Promise<{ event: EventsTable; deliveryId: string }> {
  const now = Date.now();
  return inTransaction(ctx.db, async (tx, hooks) => {
    const endpoint = await findEndpoint(tx, accountId, id);
    if (!endpoint) throw new AppError('RID_ERR_ENDPOINT_NOT_FOUND');
    // The claim skips disabled endpoints, so a test would sit in the queue: say so instead.
    if (endpoint.disabled) throw new AppError('RID_ERR_CONFLICT', 'The endpoint is disabled. Enable it first (PATCH {"disabled": false}) to send a test event.');
    const checkId = newId('chk', now);
    const event: EventsTable = {
      id: newId('evt', now), account_id: accountId, type: 'check.completed', check_id: checkId, testing: 1,
      payload: eventPayload('check.completed', new Date(now), { id: checkId, testing: true }), created_at: now,
    };
    await insertEvent(tx, event);
    const delivery = newDelivery(endpoint, event, now, 'manual');
    await insertDeliveries(ctx.db, tx, [delivery]);
    await ctx.wakeups.announce(tx, hooks);
    return { event, deliveryId: delivery.id };
  });
}
