import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../database.js';
import { inIdList } from '../id-list.js';
import type { EndpointsTable } from '../schema.js';

/**
 * The account's endpoints that can receive webhooks now: enabled, not deleted, and only on the
 * Enterprise plan. The plan is part of the query: one round trip on the outbox's hot path, and
 * none of the other plans' events ever become deliveries. Written as one SQL text rather than
 * with the query builder: every transaction that records an event runs it (one per API request),
 * and building and compiling the builder's query was about 8% of such a transaction's CPU
 * on SQLite (bench/transaction-cost.ts; the text itself is prepared once per connection; see sqlite-statements.ts).
 */
export async function findDeliverableEndpoints(q: Queryable, accountId: string): Promise<EndpointsTable[]> {
  const { rows } = await sql<EndpointsTable>`
    SELECT e.* FROM endpoints AS e INNER JOIN accounts AS a ON a.id = e.account_id
    WHERE e.account_id = ${accountId} AND a.plan = ${'enterprise'} AND e.disabled = ${0} AND e.deleted_at IS NULL`.execute(q);
  return rows;
}

/** Each endpoint row's event types, parsed once: a transaction recording many events asks for every one. */
const typesOfRow = new WeakMap<EndpointsTable, readonly string[]>();

/** Whether an endpoint takes this event: its type is subscribed, and test events only where it opted in. */
export function subscribesTo(endpoint: EndpointsTable, type: string, testing: boolean): boolean {
  if (testing && endpoint.include_testing !== 1) return false;
  let types = typesOfRow.get(endpoint);
  if (!types) {
    types = JSON.parse(endpoint.event_types) as string[];
    typesOfRow.set(endpoint, types);
  }
  return types.includes(type);
}

export async function insertEndpoint(q: Queryable, row: EndpointsTable): Promise<void> {
  await q.insertInto('endpoints').values(row).execute();
}

/** One of the account's endpoints; deleted ones are gone as far as the API is concerned. */
export async function findEndpoint(q: Queryable, accountId: string, id: string): Promise<EndpointsTable | undefined> {
  return q.selectFrom('endpoints').selectAll()
    .where('account_id', '=', accountId).where('id', '=', id).where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listEndpoints(q: Queryable, accountId: string, after: string | undefined, limit: number): Promise<EndpointsTable[]> {
  let query = q.selectFrom('endpoints').selectAll().where('account_id', '=', accountId).where('deleted_at', 'is', null);
  if (after) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
}

export async function updateEndpoint(q: Queryable, id: string, changes: Partial<EndpointsTable>): Promise<void> {
  await q.updateTable('endpoints').set(changes).where('id', '=', id).execute();
}

/** Endpoints by id, for the workers (a deleted one still resolves, so in-flight work can finish). */
export async function findEndpointsByIds(q: Queryable, ids: string[]): Promise<EndpointsTable[]> {
  if (ids.length === 0) return [];
  return q.selectFrom('endpoints').selectAll().where(inIdList(q, 'id', ids)).execute();
}

/** A success ends a run of failures. */
export async function markEndpointsHealthy(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await endpointsHealthyStatement(q, ids).execute(q);
}

/** The statement markEndpointsHealthy runs, for a caller that makes it part of a larger one. */
export function endpointsHealthyStatement(q: Queryable, ids: readonly string[]): RawBuilder<unknown> {
  return sql`UPDATE endpoints SET failing_since = NULL WHERE ${inIdList(q, 'id', ids)} AND failing_since IS NOT NULL`;
}

/** Starts a run of failures where none is running, and returns the enabled endpoints failing since before `cutoff`. */
export async function markEndpointsFailing(q: Queryable, ids: string[], since: number, cutoff: number): Promise<EndpointsTable[]> {
  if (ids.length === 0) return [];
  await q.updateTable('endpoints').set({ failing_since: since }).where('id', 'in', ids).where('failing_since', 'is', null).execute();
  return q.selectFrom('endpoints').selectAll()
    .where('id', 'in', ids).where('disabled', '=', 0).where('failing_since', '<=', cutoff).execute();
}
