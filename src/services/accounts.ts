import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { apiKeyHint, generateApiKey, hashApiKey, type KeyMode } from '../core/api-keys.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { hashPassword } from '../core/passwords.js';
import { generateWebhookSecret } from '../core/webhook-secret.js';
import { inTransaction, type Queryable } from '../db/database.js';
import { insertAccount, type Plan } from '../db/repos/accounts.js';
import { insertApiKey } from '../db/repos/api-keys.js';
import { findUserByEmail, insertUser } from '../db/repos/users.js';
import { insertWebhookSecret } from '../db/repos/webhook-secrets.js';
import type { ApiKeysTable } from '../db/schema.js';

export interface NewAccount {
  account: { id: string; name: string; plan: Plan };
  owner: { id: string; email: string; password: string };
  keys: { test: CreatedKey; live: CreatedKey };
}

export interface CreatedKey {
  id: string;
  name: string;
  mode: KeyMode;
  /** The full key: shown once, never stored. */
  key: string;
  hint: string;
  created_at: string;
}

function keyRow(accountId: string, mode: KeyMode, name: string, now: number): { row: ApiKeysTable; key: string } {
  const key = generateApiKey(mode);
  return {
    key,
    row: {
      id: newId('key', now), account_id: accountId, name, mode, hint: apiKeyHint(key),
      secret_hash: hashApiKey(key), created_at: now, last_used_at: null, revoked_at: null,
    },
  };
}

function createdKey({ row, key }: { row: ApiKeysTable; key: string }): CreatedKey {
  return { id: row.id, name: row.name, mode: row.mode, key, hint: row.hint, created_at: new Date(row.created_at).toISOString() };
}

/** A generated password a person can type: 4 groups of 5 unambiguous characters. */
function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/**
 * Creates an account with its owner, a test and a live API key and a webhook signing secret, in
 * one transaction. The password and keys are returned once and stored only as hashes.
 */
export async function createAccount(
  ctx: AppContext,
  input: { name: string; plan: Plan; ownerEmail: string; ownerPassword?: string },
): Promise<NewAccount> {
  const email = input.ownerEmail.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new AppError('RID_ERR_VALIDATION', `"${input.ownerEmail}" is not an email address.`);
  if (await findUserByEmail(ctx.db.kysely, email)) throw new AppError('RID_ERR_EMAIL_TAKEN', `A user with the email ${email} already exists.`);
  const password = input.ownerPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const accountId = newId('acct', now);
  const ownerId = newId('user', now);
  const test = keyRow(accountId, 'test', 'Default test key', now);
  const live = keyRow(accountId, 'live', 'Default live key', now);
  await inTransaction(ctx.db, async (tx) => {
    await insertAccount(tx, { id: accountId, name: input.name, plan: input.plan, created_at: now, updated_at: now });
    await insertUser(tx, { id: ownerId, account_id: accountId, email, password_hash: passwordHash, role: 'owner', created_at: now });
    await insertApiKey(tx, test.row);
    await insertApiKey(tx, live.row);
    await insertWebhookSecret(tx, {
      id: newId('whsec', now), account_id: accountId, secret_enc: ctx.box.sealText(generateWebhookSecret()), created_at: now, expires_at: null,
    });
  });
  return {
    account: { id: accountId, name: input.name, plan: input.plan },
    owner: { id: ownerId, email, password },
    keys: { test: createdKey(test), live: createdKey(live) },
  };
}

export async function createApiKey(q: Queryable, accountId: string, mode: KeyMode, name: string): Promise<CreatedKey> {
  const made = keyRow(accountId, mode, name, Date.now());
  await insertApiKey(q, made.row);
  return createdKey(made);
}
