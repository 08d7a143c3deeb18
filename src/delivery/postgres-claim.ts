import type { Db } from '../db/database.js';
import type { DeliveriesTable } from '../db/schema.js';
import { dueCandidatesQuery, leaseQuery, pickClaimable, windowFor, type ClaimRequest } from './claim-candidates.js';

/**
 * PostgreSQL: many workers claim at once. `FOR UPDATE SKIP LOCKED` lets each lock its own
 * candidates and pass over the rows another worker is claiming, instead of queueing behind it;
 * the rows it does not pick are unlocked again at commit.
 */
export async function claimDueDeliveriesPostgres(db: Db, request: ClaimRequest): Promise<DeliveriesTable[]> {
  return db.kysely.transaction().execute(async (tx) => {
    const candidates = await dueCandidatesQuery(tx, request, windowFor(request.limit)).forUpdate('d').skipLocked().execute();
    const ids = pickClaimable(candidates, request);
    if (ids.length === 0) return [];
    return leaseQuery(tx, ids, request).execute();
  });
}
