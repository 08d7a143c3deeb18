import type { Queryable } from '../database.js';
import type { ApiKeysTable } from '../schema.js';

export async function insertApiKey(q: Queryable, row: ApiKeysTable): Promise<void> {
  await q.insertInto('api_keys').values(row).execute();
}

/** The unrevoked key with this hash, with its account's plan (one query per authenticated request). */
export async function findActiveKeyByHash(q: Queryable, secretHash: string) {
  return q.selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select(['api_keys.id', 'api_keys.account_id', 'api_keys.mode', 'api_keys.last_used_at', 'accounts.plan'])
    .where('api_keys.secret_hash', '=', secretHash)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listApiKeys(q: Queryable, accountId: string): Promise<ApiKeysTable[]> {
  return q.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').execute();
}

export async function revokeApiKey(q: Queryable, accountId: string, id: string, now: number): Promise<ApiKeysTable | undefined> {
  await q.updateTable('api_keys').set({ revoked_at: now })
    .where('id', '=', id).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
  return q.selectFrom('api_keys').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function touchApiKey(q: Queryable, id: string, now: number): Promise<void> {
  await q.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
