import type { Db } from '../db/database.js';
import type { DeliveriesTable } from '../db/schema.js';
import { dueCandidatesQuery, leaseQuery, pickClaimable, windowFor, type ClaimRequest } from './claim-candidates.js';

/**
 * SQLite: one writer at a time, and within this process Kysely runs one statement at a time, so
 * a read of the candidates followed by a guarded update (still due, still open) cannot hand the
 * same delivery to two claimers; another process on the same file at worst finds the guard false.
 */
export async function claimDueDeliveriesSqlite(db: Db, request: ClaimRequest): Promise<DeliveriesTable[]> {
  const candidates = await dueCandidatesQuery(db.kysely, request, windowFor(request.limit)).execute();
  const ids = pickClaimable(candidates, request);
  if (ids.length === 0) return [];
  return leaseQuery(db.kysely, ids, request).execute();
}
