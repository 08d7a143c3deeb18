import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';
import { inIdList, rowStillMatches } from '../db/id-list.js';
import { isOpen, leaseRunOut } from '../db/repos/deliveries.js';
import type { DeliveriesTable } from '../db/schema.js';

/** What a claim asks for; the picking of how many per endpoint happens in `pickClaimable`. */
export interface ClaimRequest {
  /** Who holds the lease (one id per worker process). */
  owner: string;
  now: number;
  leaseMs: number;
  /** How many deliveries this worker can start now. */
  limit: number;
  /** How many more each endpoint may take right now (concurrency and rate limit); absent = the default. */
  capacityOf(endpointId: string): number;
  /** Endpoints with no capacity at all, left out of the query so they do not crowd the window. */
  saturated: readonly string[];
}

export interface Candidate {
  id: string;
  endpoint_id: string;
}

/**
 * Deliveries that are due, oldest due first: open ones whose time has come and that no worker
 * holds (never leased, or the lease ran out). A lease leaves next_attempt_at alone (so that it
 * can be a HOT update on PostgreSQL: migration 006), so the due index also holds the deliveries
 * being sent, the oldest of all, and each claim reads past them: up to 16 times the concurrency
 * of every worker (4,096 each by default), which cost PostgreSQL less than the index entries a
 * lease that moved next_attempt_at wrote for every row (bench/lease-cost.ts, with 4,000 held). An ordered delivery waits
 * while an earlier one with the same order_key is still open. Disabled endpoints' deliveries are
 * not taken. With `endpointId`, only that endpoint's (through deliveries_endpoint_due).
 *
 * Endpoints at their limit are not filtered out here: a filter the index cannot serve would make
 * the query read past every due row of a busy endpoint (all million of a backlog) to find none.
 * The window stays a bounded read; `otherEndpointsWithDueWork` finds what is behind it.
 */
export function dueCandidatesQuery(q: Queryable, request: Pick<ClaimRequest, 'now'>, windowSize: number, endpointId?: string) {
  let query = q.selectFrom('deliveries as d')
    .innerJoin('endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.endpoint_id'])
    .where(isOpen('d'))
    .where('d.next_attempt_at', '<=', request.now)
    .where(leaseRunOut('d', request.now))
    .where('e.disabled', '=', 0)
    .where((eb) => eb.or([
      eb('d.order_key', 'is', null),
      eb.not(eb.exists(eb.selectFrom('deliveries as p').select('p.id')
        .whereRef('p.order_key', '=', 'd.order_key')
        .where(isOpen('p'))
        .whereRef('p.id', '<', 'd.id'))),
    ]));
  if (endpointId) query = query.where('d.endpoint_id', '=', endpointId);
  return query.orderBy('d.next_attempt_at').limit(windowSize);
}

/** Enabled endpoints, other than `exclude`, with at least one delivery due: one index probe each. */
export async function otherEndpointsWithDueWork(q: Queryable, now: number, exclude: readonly string[], max: number): Promise<string[]> {
  let query = q.selectFrom('endpoints as e').select('e.id')
    .where('e.disabled', '=', 0)
    .where((eb) => eb.exists(eb.selectFrom('deliveries as d').select('d.id')
      .whereRef('d.endpoint_id', '=', 'e.id')
      .where(isOpen('d'))
      .where('d.next_attempt_at', '<=', now)
      .where(leaseRunOut('d', now))));
  if (exclude.length > 0) query = query.where(sql<boolean>`not ${inIdList(q, 'e.id', exclude)}`);
  return (await query.limit(max).execute()).map((row) => row.id);
}

/** Takes candidates in due order, at most `capacityOf(endpoint)` per endpoint and `limit` in all. */
export function pickClaimable(candidates: readonly Candidate[], request: Pick<ClaimRequest, 'limit' | 'capacityOf'>): string[] {
  const taken = new Map<string, number>();
  const picked: string[] = [];
  for (const candidate of candidates) {
    if (picked.length >= request.limit) break;
    const already = taken.get(candidate.endpoint_id) ?? 0;
    if (already >= request.capacityOf(candidate.endpoint_id)) continue;
    taken.set(candidate.endpoint_id, already + 1);
    picked.push(candidate.id);
  }
  return picked;
}

/**
 * Leases the picked deliveries to this worker and returns them. Only columns no index covers
 * change (status stays pending, next_attempt_at stays), so on PostgreSQL it is a HOT update.
 */
export function leaseQuery(q: Queryable, ids: string[], request: ClaimRequest) {
  const until = request.now + request.leaseMs;
  return q.updateTable('deliveries')
    .set({ lease_owner: request.owner, lease_expires_at: until, updated_at: request.now })
    .where(inIdList(q, 'id', ids))
    .where(rowStillMatches(sql<boolean>`${isOpen(null)} and next_attempt_at <= ${request.now} and ${leaseRunOut(null, request.now)}`))
    .returningAll();
}

/** What a claim got, and whether it saw due deliveries it could not take (so it is worth claiming again as room frees up). */
export interface Claimed {
  deliveries: DeliveriesTable[];
  leftBehind: boolean;
}

/** How many endpoints behind the window one claim looks at. */
const OTHER_ENDPOINTS = 32;

/**
 * The claim itself, the same on both dialects (`lock` adds PostgreSQL's FOR UPDATE SKIP LOCKED):
 * the oldest due deliveries in a bounded window; then, when that left room (endpoints at their
 * limit filled the window), the due work of other endpoints, found through one index probe
 * each; then one update leases everything picked.
 */
export async function claimFrom(q: Queryable, request: ClaimRequest, lock: boolean): Promise<Claimed> {
  const read = (query: ReturnType<typeof dueCandidatesQuery>) => (lock ? query.forUpdate('d').skipLocked() : query).execute();
  const window = windowFor(request.limit);
  const candidates = await read(dueCandidatesQuery(q, request, window));
  const ids = pickClaimable(candidates, request);
  let leftBehind = candidates.length > ids.length || candidates.length >= window;
  if (ids.length < request.limit && (leftBehind || request.saturated.length > 0)) {
    const seen = new Set([...request.saturated, ...candidates.map((c) => c.endpoint_id)]);
    const others = await otherEndpointsWithDueWork(q, request.now, [...seen], OTHER_ENDPOINTS);
    if (others.length >= OTHER_ENDPOINTS) leftBehind = true;
    for (const endpointId of others) {
      const room = Math.min(request.capacityOf(endpointId), request.limit - ids.length);
      if (room <= 0) {
        leftBehind = true;
        continue;
      }
      const more = await read(dueCandidatesQuery(q, request, room, endpointId));
      if (more.length >= room) leftBehind = true;
      ids.push(...more.map((c) => c.id));
    }
  }
  if (ids.length === 0) return { deliveries: [], leftBehind };
  return { deliveries: await leaseQuery(q, ids, request).execute(), leftBehind };
}

/** A window a few times the batch, so endpoints at their limit do not hide the ones behind them. */
export function windowFor(limit: number): number {
  return Math.min(limit * 4, 2000);
}
