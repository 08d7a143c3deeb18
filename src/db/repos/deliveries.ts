import { type RawBuilder, sql } from 'kysely';
import { insertRows } from '../bulk-insert.js';
import { inIdList, rowStillMatches } from '../id-list.js';
import type { Db, Queryable } from '../database.js';
import type { DeliveriesTable, EndpointsTable, EventsTable, ShownDeliveryStatus } from '../schema.js';

/** A column of `deliveries`, under the query's name for the table (`alias`) when it has one. */
const column = (alias: string | null, name: string) => sql.ref(alias ? `${alias}.${name}` : name);

/**
 * Open deliveries (waiting or being sent; `sending` only in rows older versions wrote), with
 * literal statuses so the planner can use the partial indexes on open deliveries.
 */
export function isOpen(alias: string | null): RawBuilder<boolean> {
  return sql<boolean>`${column(alias, 'status')} in ('pending', 'sending')`;
}

/** Open and still leased to `owner`: what a worker's record or release checks on each row it changes. */
export function heldBy(owner: string, alias: string | null): RawBuilder<boolean> {
  return sql<boolean>`${column(alias, 'lease_owner')} = ${owner} and ${isOpen(alias)}`;
}

const leaseColumn = (alias: string | null) => column(alias, 'lease_expires_at');

/** No live lease on the row: nobody is sending it (never leased, handed back, or its worker died). */
export function leaseRunOut(alias: string | null, now: number): RawBuilder<boolean> {
  const column = leaseColumn(alias);
  return sql<boolean>`(${column} is null or ${column} <= ${now})`;
}

/** A worker holds the row under a lease that has not run out: it is being sent. */
function leaseLive(alias: string | null, now: number): RawBuilder<boolean> {
  return sql<boolean>`${leaseColumn(alias)} > ${now}`;
}

/** The status people see: an open delivery under a live lease is `sending` (see DeliveryStatus). */
export function shownStatus(row: Pick<DeliveriesTable, 'status' | 'lease_expires_at'>, now: number): ShownDeliveryStatus {
  const stored = row.status as ShownDeliveryStatus;
  if (stored !== 'pending' && stored !== 'sending') return stored;
  return row.lease_expires_at !== null && row.lease_expires_at > now ? 'sending' : 'pending';
}

export async function insertDeliveries(db: Db, tx: Queryable, rows: DeliveriesTable[]): Promise<void> {
  await insertRows(db, tx, 'deliveries', rows);
}

export interface DeliveryFilter {
  accountId: string;
  endpointId?: string;
  eventType?: string;
  checkId?: string;
  status?: ShownDeliveryStatus;
  /** The time a lease is compared with, for `status`. */
  now: number;
  /** Only deliveries older than this id (newest first paging). */
  before?: string;
  limit: number;
}

/** A delivery with its event's type, as the delivery log shows it. */
export type DeliveryRow = DeliveriesTable & { event_type: string };

export async function listDeliveries(q: Queryable, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  let query = q.selectFrom('deliveries as d').innerJoin('events as ev', 'ev.id', 'd.event_id')
    .selectAll('d').select('ev.type as event_type')
    .where('d.account_id', '=', filter.accountId);
  if (filter.endpointId) query = query.where('d.endpoint_id', '=', filter.endpointId);
  if (filter.eventType) query = query.where('ev.type', '=', filter.eventType);
  if (filter.checkId) query = query.where('d.check_id', '=', filter.checkId);
  if (filter.status === 'pending' || filter.status === 'sending') {
    query = query.where(isOpen('d')).where(filter.status === 'sending' ? leaseLive('d', filter.now) : leaseRunOut('d', filter.now));
  } else if (filter.status) {
    query = query.where('d.status', '=', filter.status);
  }
  if (filter.before) query = query.where('d.id', '<', filter.before);
  return query.orderBy('d.id', 'desc').limit(filter.limit).execute();
}

export async function findDelivery(q: Queryable, accountId: string, id: string): Promise<(DeliveryRow & { payload: string }) | undefined> {
  return q.selectFrom('deliveries as d').innerJoin('events as ev', 'ev.id', 'd.event_id')
    .selectAll('d').select(['ev.type as event_type', 'ev.payload'])
    .where('d.account_id', '=', accountId).where('d.id', '=', id)
    .executeTakeFirst();
}

/**
 * Puts deliveries back in the queue for a person's request (resend, recover): due now, with the
 * full retry schedule again, and the next attempt marked manual.
 */
function requeue(q: Queryable, now: number) {
  return q.updateTable('deliveries').set((eb) => ({
    status: 'pending', next_attempt_at: now, lease_owner: null, lease_expires_at: null, finished_at: null,
    updated_at: now, next_trigger: 'manual', retry_base: eb.ref('attempt_count'),
  }));
}

export async function requeueDelivery(q: Queryable, accountId: string, id: string, now: number): Promise<boolean> {
  const result = await requeue(q, now).where('account_id', '=', accountId).where('id', '=', id)
    .where('status', 'in', ['succeeded', 'failed']).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function requeueFailedSince(q: Queryable, endpointId: string, since: number, now: number): Promise<number> {
  const result = await requeue(q, now).where('endpoint_id', '=', endpointId).where('status', '=', 'failed')
    .where('created_at', '>=', since).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countFailedSince(q: Queryable, endpointId: string, since: number): Promise<number> {
  const row = await q.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('endpoint_id', '=', endpointId).where('status', '=', 'failed').where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * When an endpoint is disabled or deleted, what was still waiting for it fails (recover can bring
 * it back). What a worker is sending at that moment is left to it: its attempt's outcome is
 * recorded as usual.
 */
export async function failOpenDeliveriesOf(q: Queryable, endpointIds: string[], reason: string, now: number): Promise<void> {
  if (endpointIds.length === 0) return;
  await q.updateTable('deliveries')
    .set({ status: 'failed', finished_at: now, updated_at: now, last_error: reason, lease_owner: null, lease_expires_at: null })
    .where('endpoint_id', 'in', endpointIds).where(isOpen(null)).where(leaseRunOut(null, now)).execute();
}

/**
 * The next time any open delivery falls due after `now`: a retry, or the lease of a delivery this
 * process's outbox handed over (written with next_attempt_at at its lease's end). A claimed
 * delivery keeps its due time under its lease, so its lease running out is found by the poll.
 */
export async function nextDueAfter(q: Queryable, now: number): Promise<number | null> {
  const row = await q.selectFrom('deliveries').select((eb) => eb.fn.min<number>('next_attempt_at').as('at'))
    .where(isOpen(null)).where('next_attempt_at', '>', now).executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

export async function countQueue(q: Queryable, now: number): Promise<{ due: number; scheduled: number; sending: number }> {
  const rows = await q.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
    .select(sql<string>`case when ${leaseLive(null, now)} then 'sending' when next_attempt_at <= ${now} then 'due' else 'scheduled' end`.as('state'))
    .where(isOpen(null))
    .groupBy('state').execute();
  const out = { due: 0, scheduled: 0, sending: 0 };
  for (const row of rows) out[row.state as keyof typeof out] += Number(row.n);
  return out;
}

/** Hands leased deliveries back unsent (rate limit reached, worker stopping), due again at `at`. */
export async function releaseLeases(q: Queryable, owner: string, ids: string[], at: number, now: number): Promise<void> {
  if (ids.length === 0) return;
  await q.updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: at, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where(inIdList(q, 'id', ids)).where(rowStillMatches(heldBy(owner, null))).execute();
}

/**
 * Deliveries a producer handed to `owner` (written leased to it, due when the lease runs out) that
 * are still open under that lease: what a worker whose listening connection dropped may never have
 * been told about. Read through the due-time index, over the window a hand-off's lease can reach
 * (twice the lease, for clocks that differ between machines), not across every open delivery.
 */
export async function findHandedTo(q: Queryable, owner: string, now: number, leaseMs: number): Promise<DeliveriesTable[]> {
  return q.selectFrom('deliveries').selectAll()
    .where(isOpen(null)).where('next_attempt_at', '>', now).where('next_attempt_at', '<=', now + 2 * leaseMs)
    .where('lease_owner', '=', owner).where('lease_expires_at', '>', now)
    .execute();
}

/** Events the endpoint subscribes to that were never queued for it (they happened while it was disabled). */
function neverQueuedQuery(q: Queryable, endpoint: EndpointsTable, since: number) {
  const types = JSON.parse(endpoint.event_types) as string[];
  let query = q.selectFrom('events as ev')
    .where('ev.account_id', '=', endpoint.account_id)
    .where('ev.created_at', '>=', Math.max(since, endpoint.created_at))
    .where('ev.type', 'in', types)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries as d').select('d.id')
      .whereRef('d.event_id', '=', 'ev.id').where('d.endpoint_id', '=', endpoint.id))));
  if (!endpoint.include_testing) query = query.where('ev.testing', '=', 0);
  return query;
}

export async function eventsNeverQueuedFor(q: Queryable, endpoint: EndpointsTable, since: number, limit: number): Promise<EventsTable[]> {
  return neverQueuedQuery(q, endpoint, since).selectAll('ev').orderBy('ev.id').limit(limit).execute();
}

export async function countEventsNeverQueuedFor(q: Queryable, endpoint: EndpointsTable, since: number): Promise<number> {
  const row = await neverQueuedQuery(q, endpoint, since).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the oldest delivery that failed (finished) at or after `since` was created: where a recovery must start. */
export async function oldestFailedFinishedSince(q: Queryable, endpointId: string, since: number): Promise<number | null> {
  const row = await q.selectFrom('deliveries').select((eb) => eb.fn.min<number>('created_at').as('at'))
    .where('endpoint_id', '=', endpointId).where('status', '=', 'failed').where('finished_at', '>=', since)
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}
