import type { Queryable, Tx } from '../database.js';
import type { ChecksTable } from '../schema.js';

export type CheckRow = ChecksTable;
export type CheckPatch = Partial<Omit<ChecksTable, 'id' | 'account_id' | 'created_at'>>;

export async function insertCheck(q: Queryable, row: CheckRow): Promise<void> {
  await q.insertInto('checks').values(row).execute();
}

export async function findCheck(q: Queryable, accountId: string, id: string): Promise<CheckRow | undefined> {
  return q.selectFrom('checks').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export async function findCheckByLinkHash(q: Queryable, linkTokenHash: string): Promise<CheckRow | undefined> {
  return q.selectFrom('checks').selectAll().where('link_token_hash', '=', linkTokenHash).executeTakeFirst();
}

/**
 * Re-reads a check inside a transaction, locking its row on PostgreSQL so two concurrent uploads
 * cannot both build on the same state. SQLite needs no lock: its writers are already serialised.
 */
export async function lockCheck(tx: Tx, dialect: 'sqlite' | 'postgres', id: string): Promise<CheckRow | undefined> {
  const query = tx.selectFrom('checks').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function updateCheck(q: Queryable, id: string, patch: CheckPatch): Promise<void> {
  await q.updateTable('checks').set(patch).where('id', '=', id).execute();
}

export interface CheckFilter {
  accountId: string;
  step?: ChecksTable['step'];
  testing?: boolean;
  createdAfter?: number;
  createdBefore?: number;
  /** A check id or an order id, matched exactly. */
  search?: string;
  /** Newest first; only checks older than this one (ids sort by creation time). */
  startingAfter?: string;
  offset?: number;
  limit: number;
}

/** Newest first. */
export async function listChecks(q: Queryable, filter: CheckFilter): Promise<CheckRow[]> {
  let query = q.selectFrom('checks').selectAll().where('account_id', '=', filter.accountId);
  if (filter.step) query = query.where('step', '=', filter.step);
  if (filter.testing !== undefined) query = query.where('testing', '=', filter.testing ? 1 : 0);
  if (filter.createdAfter !== undefined) query = query.where('created_at', '>', filter.createdAfter);
  if (filter.createdBefore !== undefined) query = query.where('created_at', '<', filter.createdBefore);
  if (filter.search) query = query.where((eb) => eb.or([eb('id', '=', filter.search!), eb('order_id', '=', filter.search!)]));
  if (filter.startingAfter) query = query.where('id', '<', filter.startingAfter);
  if (filter.offset) query = query.offset(filter.offset);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Unredacted checks created before `cutoff`, oldest first: the retention sweep's next batch. */
export async function findChecksCreatedBefore(q: Queryable, cutoff: number, limit: number): Promise<Array<Pick<CheckRow, 'id' | 'account_id'>>> {
  return q.selectFrom('checks').select(['id', 'account_id'])
    .where('redacted_at', 'is', null).where('created_at', '<', cutoff)
    .orderBy('created_at').limit(limit).execute();
}

/** Records how the link was delivered, unless the check was redacted meanwhile. */
export async function recordLinkDelivery(q: Queryable, id: string, json: string): Promise<void> {
  await q.updateTable('checks').set({ link_delivery_json: json }).where('id', '=', id).where('redacted_at', 'is', null).execute();
}
