import type { Db } from '../db/database.js';
import type { ClaimRequest, Claimed } from './claim-candidates.js';
import { claimDueDeliveriesPostgres } from './postgres-claim.js';
import { claimDueDeliveriesSqlite } from './sqlite-claim.js';

export type { ClaimRequest, Claimed } from './claim-candidates.js';

/** Leases up to `request.limit` due deliveries to this worker, fairly across endpoints. */
export function claimDueDeliveries(db: Db, request: ClaimRequest): Promise<Claimed> {
  return db.dialect === 'postgres' ? claimDueDeliveriesPostgres(db, request) : claimDueDeliveriesSqlite(db, request);
}
