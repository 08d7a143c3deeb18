import type { AppContext } from '../context.js';
import { eventPayload } from '../core/event-payload.js';
import type { EventType } from '../core/event-types.js';
import { newId } from '../core/ids.js';
import { insertRowsWithChildren } from '../db/bulk-insert.js';
import type { Tx, TxHooks } from '../db/database.js';
import { findDeliverableEndpoints, subscribesTo } from '../db/repos/endpoints.js';
import type { DeliveriesTable, EndpointsTable, EventsTable } from '../db/schema.js';
import { newDelivery } from './deliveries-queue.js';

export interface EventInput {
  accountId: string;
  type: EventType;
  checkId: string;
  testing: boolean;
}

/** What one transaction has recorded so far, written just before it commits. */
interface OutboxWrites {
  events: EventsTable[];
  deliveries: DeliveriesTable[];
  /** Each account's deliverable endpoints, read once per transaction however many events it records. */
  endpointsOf: Map<string, EndpointsTable[]>;
  /** Events recorded by type, counted in the metrics once the transaction has committed. */
  counts: Map<string, number>;
}

const writesOf = new WeakMap<Tx, OutboxWrites>();

async function flush(ctx: AppContext, tx: Tx, hooks: TxHooks, writes: OutboxWrites): Promise<void> {
  const now = Date.now();
  const handed = ctx.handoff.lease(writes.deliveries, now);
  const endpoints = () => new Map([...writes.endpointsOf.values()].flat().map((endpoint) => [endpoint.id, endpoint]));
  const payloads = () => new Map(writes.events.map((event) => [event.id, event.payload]));
  const remote = handed.length < writes.deliveries.length && ctx.db.dialect === 'postgres'
    ? ctx.workers.lease(writes.deliveries, endpoints, payloads, now, ctx.handoff.owner)
    : [];
  await insertRowsWithChildren(ctx.db, tx, 'events', writes.events, 'deliveries', writes.deliveries);
  if (handed.length > 0) {
    const endpointOf = endpoints();
    const payloadOf = payloads();
    hooks.afterCommit(() => {
      ctx.handoff.give(handed.map((delivery) => ({ delivery, endpoint: endpointOf.get(delivery.endpoint_id)!, payload: payloadOf.get(delivery.event_id)! })));
    });
  }
  // Delivered to the workers only if this transaction commits, which is what makes their leases theirs.
  if (remote.length > 0) await ctx.wakeups.notifyOnCommit(tx, remote.flatMap((r) => r.messages.map((payload) => ({ channel: r.channel, payload }))));
  const remoteCount = remote.reduce((sum, r) => sum + r.deliveries.length, 0);
  // Only work left in the queue needs waking workers for (here or, through NOTIFY, elsewhere).
  if (handed.length + remoteCount < writes.deliveries.length) await ctx.wakeups.announce(tx, hooks);
}

/**
 * The transactional outbox: records an event and one delivery per subscribed endpoint inside the
 * caller's transaction, the same one that changed the check. Either the change, its event and
 * its deliveries all commit, or none do — a crash can never lose an event. The rows are buffered
 * and written just before the commit: every event and every delivery of the transaction in one
 * statement on PostgreSQL, two on SQLite (a transaction that changes many checks costs a few
 * round trips, not three per event). After the commit, what this process's own worker had room
 * for goes straight to it (see LocalHandoff); on PostgreSQL, what a worker in another process has
 * room for goes to it by a NOTIFY that commits with the rows (see WorkerDirectory); workers are
 * woken for the rest.
 */
export async function recordEvent(ctx: AppContext, tx: Tx, hooks: TxHooks, input: EventInput, now = Date.now()): Promise<EventsTable> {
  const event: EventsTable = {
    id: newId('evt', now),
    account_id: input.accountId,
    type: input.type,
    check_id: input.checkId,
    testing: input.testing ? 1 : 0,
    payload: eventPayload(input.type, new Date(now), { id: input.checkId, testing: input.testing }),
    created_at: now,
  };
  let writes = writesOf.get(tx);
  if (!writes) {
    const created: OutboxWrites = { events: [], deliveries: [], endpointsOf: new Map(), counts: new Map() };
    writesOf.set(tx, created);
    hooks.beforeCommit(() => flush(ctx, tx, hooks, created));
    hooks.afterCommit(() => {
      for (const [type, count] of created.counts) ctx.metrics.eventsRecorded.inc({ type }, count);
    });
    writes = created;
  }
  // Webhooks are an Enterprise feature: other plans keep their event log (API polling) but get no
  // deliveries (the query only finds an Enterprise account's endpoints).
  let endpoints = writes.endpointsOf.get(input.accountId);
  if (!endpoints) {
    endpoints = await findDeliverableEndpoints(tx, input.accountId);
    writes.endpointsOf.set(input.accountId, endpoints);
  }
  writes.events.push(event);
  for (const endpoint of endpoints) {
    if (subscribesTo(endpoint, input.type, input.testing)) writes.deliveries.push(newDelivery(endpoint, event, now, 'scheduled'));
  }
  writes.counts.set(input.type, (writes.counts.get(input.type) ?? 0) + 1);
  return event;
}
