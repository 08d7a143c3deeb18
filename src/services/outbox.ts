import type { AppContext } from '../context.js';
import { eventPayload } from '../core/event-payload.js';
import type { EventType } from '../core/event-types.js';
import { newId } from '../core/ids.js';
import type { Tx } from '../db/database.js';
import { insertDeliveries } from '../db/repos/deliveries.js';
import { findSubscribedEndpoints } from '../db/repos/endpoints.js';
import { insertEvent } from '../db/repos/events.js';
import type { EventsTable } from '../db/schema.js';
import { newDelivery } from './deliveries-queue.js';

export interface EventInput {
  accountId: string;
  type: EventType;
  checkId: string;
  testing: boolean;
}

/**
 * The transactional outbox: records an event and one delivery per subscribed endpoint inside the
 * caller's transaction, the same one that changed the check. Either the change, its event and
 * its deliveries all commit, or none do — a crash can never lose an event. Workers are woken
 * after the commit.
 */
export async function recordEvent(
  ctx: AppContext,
  tx: Tx,
  afterCommit: (hook: () => void) => void,
  input: EventInput,
  now = Date.now(),
): Promise<EventsTable> {
  const event: EventsTable = {
    id: newId('evt', now),
    account_id: input.accountId,
    type: input.type,
    check_id: input.checkId,
    testing: input.testing ? 1 : 0,
    payload: eventPayload(input.type, new Date(now), { id: input.checkId, testing: input.testing }),
    created_at: now,
  };
  await insertEvent(tx, event);
  ctx.metrics.eventsRecorded.inc({ type: input.type });

  // Webhooks are an Enterprise feature: other plans keep their event log (API polling) but get no
  // deliveries (the query only finds an Enterprise account's endpoints).
  const endpoints = await findSubscribedEndpoints(tx, input.accountId, input.type, input.testing);
  const deliveries = endpoints.map((endpoint) => newDelivery(endpoint, event, now, 'scheduled'));
  await insertDeliveries(tx, deliveries);
  if (deliveries.length > 0) await ctx.wakeups.announce(tx, afterCommit);
  return event;
}
