import type { Db } from '../db/database.js';
import { claimFrom, type ClaimRequest, type Claimed } from './claim-candidates.js';

/**
 * PostgreSQL: many workers claim at once. `FOR UPDATE SKIP LOCKED` lets each lock its own
 * candidates and pass over the rows another worker is claiming, instead of queueing behind it;
 * the rows it does not pick are unlocked again at commit.
 */
export async function claimDueDeliveriesPostgres(db: Db, request: ClaimRequest): Promise<Claimed> {
  return db.kysely.transaction().execute((tx) => claimFrom(tx, request, true));
}
