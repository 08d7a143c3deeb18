import type { Queryable } from '../database.js';
import type { WebhookSecretsTable } from '../schema.js';

export async function insertWebhookSecret(q: Queryable, row: WebhookSecretsTable): Promise<void> {
  await q.insertInto('webhook_secrets').values(row).execute();
}

/** The current secret first, then any rotated-out secret that still signs (expires_at in the future). */
export async function findSigningSecrets(q: Queryable, accountId: string, now: number): Promise<WebhookSecretsTable[]> {
  return q.selectFrom('webhook_secrets').selectAll()
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
}

/** Marks the current secret as retiring at `expiresAt`. */
export async function retireCurrentSecret(q: Queryable, accountId: string, expiresAt: number): Promise<void> {
  await q.updateTable('webhook_secrets').set({ expires_at: expiresAt })
    .where('account_id', '=', accountId).where('expires_at', 'is', null).execute();
}
