import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';
import { inIdList } from '../db/id-list.js';
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
 * Deliveries that are due, oldest due first: pending ones whose time has come, and sending ones
 * whose lease ran out (a claim moves next_attempt_at to the lease's end, so one condition covers
 * both and one partial index serves it). An ordered delivery waits while an earlier one with the
 * same order_key is still open. Disabled endpoints' deliveries are not taken.
 */
export function dueCandidatesQuery(q: Queryable, request: ClaimRequest, windowSize: number) {
  let query = q.selectFrom('deliveries as d')
    .innerJoin('endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.endpoint_id'])
    // Literal statuses, not parameters: only then can the planner use the partial index deliveries_due.
    .where(sql<boolean>`d.status in ('pending', 'sending')`)
    .where('d.next_attempt_at', '<=', request.now)
    .where('e.disabled', '=', 0)
    .where((eb) => eb.or([
      eb('d.order_key', 'is', null),
      eb.not(eb.exists(eb.selectFrom('deliveries as p').select('p.id')
        .whereRef('p.order_key', '=', 'd.order_key')
        .where('p.status', 'in', ['pending', 'sending'])
        .whereRef('p.id', '<', 'd.id'))),
    ]));
  if (request.saturated.length > 0) query = query.where('d.endpoint_id', 'not in', [...request.saturated]);
  return query.orderBy('d.next_attempt_at').limit(windowSize);
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

/** Marks picked deliveries as sending under this worker's lease and returns them. */
export function leaseQuery(q: Queryable, ids: string[], request: ClaimRequest) {
  const until = request.now + request.leaseMs;
  return q.updateTable('deliveries')
    .set({ status: 'sending', lease_owner: request.owner, lease_expires_at: until, next_attempt_at: until, updated_at: request.now })
    .where(inIdList(q, 'id', ids))
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', request.now)
    .returningAll();
}

/** What a claim got, and whether it saw due deliveries it could not take (so it is worth claiming again as room frees up). */
export interface Claimed {
  deliveries: DeliveriesTable[];
  leftBehind: boolean;
}

/** Picks from the candidates and leases the picked ones: the part both dialects share. */
export async function leasePicked(q: Queryable, candidates: readonly Candidate[], request: ClaimRequest, window: number): Promise<Claimed> {
  const ids = pickClaimable(candidates, request);
  const leftBehind = candidates.length > ids.length || candidates.length >= window;
  if (ids.length === 0) return { deliveries: [], leftBehind };
  return { deliveries: await leaseQuery(q, ids, request).execute(), leftBehind };
}

/** A window a few times the batch, so endpoints at their limit do not hide the ones behind them. */
export function windowFor(limit: number): number {
  return Math.min(limit * 4, 2000);
}
