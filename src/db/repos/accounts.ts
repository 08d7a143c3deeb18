import type { AccountsTable } from '../schema.js';
import type { Queryable } from '../database.js';

export type Plan = AccountsTable['plan'];
export const PLANS: readonly Plan[] = ['free', 'pro', 'enterprise'];

export async function insertAccount(q: Queryable, row: AccountsTable): Promise<void> {
  await q.insertInto('accounts').values(row).execute();
}

export async function findAccount(q: Queryable, id: string): Promise<AccountsTable | undefined> {
  return q.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAccounts(q: Queryable): Promise<AccountsTable[]> {
  return q.selectFrom('accounts').selectAll().orderBy('created_at').execute();
}

export async function updateAccountPlan(q: Queryable, id: string, plan: Plan, now: number): Promise<boolean> {
  const result = await q.updateTable('accounts').set({ plan, updated_at: now }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countAccounts(q: Queryable): Promise<number> {
  const row = await q.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
