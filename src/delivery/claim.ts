import type { Db } from '../db/database.js';
import type { DeliveriesTable } from '../db/schema.js';
import type { ClaimRequest } from './claim-candidates.js';
import { claimDueDeliveriesPostgres } from './postgres-claim.js';
import { claimDueDeliveriesSqlite } from './sqlite-claim.js';

export type { ClaimRequest } from './claim-candidates.js';

/** Leases up to `request.limit` due deliveries to this worker, fairly across endpoints. */
export function claimDueDeliveries(db: Db, request: ClaimRequest): Promise<DeliveriesTable[]> {
  return db.dialect === 'postgres' ? claimDueDeliveriesPostgres(db, request) : claimDueDeliveriesSqlite(db, request);
}
