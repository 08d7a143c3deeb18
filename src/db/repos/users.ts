import type { Queryable } from '../database.js';
import type { UsersTable } from '../schema.js';

export async function insertUser(q: Queryable, row: UsersTable): Promise<void> {
  await q.insertInto('users').values(row).execute();
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UsersTable | undefined> {
  return q.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUser(q: Queryable, id: string): Promise<UsersTable | undefined> {
  return q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
