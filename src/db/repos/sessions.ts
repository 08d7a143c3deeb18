import type { Queryable } from '../database.js';
import type { SessionsTable } from '../schema.js';

export async function insertSession(q: Queryable, row: SessionsTable): Promise<void> {
  await q.insertInto('sessions').values(row).execute();
}

export async function findLiveSession(q: Queryable, id: string, now: number) {
  return q.selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.account_id', 'sessions.csrf_token', 'sessions.expires_at', 'users.email', 'accounts.plan', 'accounts.name as account_name'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(q: Queryable, now: number): Promise<void> {
  await q.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
