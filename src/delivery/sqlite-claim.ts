import type { Db } from '../db/database.js';
import { claimFrom, type ClaimRequest, type Claimed } from './claim-candidates.js';

/**
 * SQLite: one writer at a time, and within this process Kysely runs one statement at a time, so
 * a read of the candidates followed by a guarded update (still due, still open) cannot hand the
 * same delivery to two claimers; another process on the same file at worst finds the guard false.
 */
export async function claimDueDeliveriesSqlite(db: Db, request: ClaimRequest): Promise<Claimed> {
  return claimFrom(db.kysely, request, false);
}
