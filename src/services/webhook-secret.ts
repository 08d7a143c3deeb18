import type { AppContext } from '../context.js';
import { newId } from '../core/ids.js';
import { generateWebhookSecret } from '../core/webhook-secret.js';
import { inTransaction } from '../db/database.js';
import { findSigningSecrets, insertWebhookSecret, retireCurrentSecret } from '../db/repos/webhook-secrets.js';

/**
 * A rotated-out secret keeps signing `webhook-signature` for this long beside the new one, so
 * receivers can switch at their own pace without dropping a single webhook (Standard Webhooks).
 */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface RevealedSecret {
  secret: string;
  created_at: number;
  /** null for the current secret. */
  expires_at: number | null;
}

export async function revealSigningSecrets(ctx: AppContext, accountId: string): Promise<{ current: RevealedSecret | null; previous: RevealedSecret[] }> {
  const rows = await findSigningSecrets(ctx.db.kysely, accountId, Date.now());
  const revealed = rows.map((row) => ({ secret: ctx.box.openText(row.secret_enc), created_at: row.created_at, expires_at: row.expires_at }));
  return { current: revealed.find((s) => s.expires_at === null) ?? null, previous: revealed.filter((s) => s.expires_at !== null) };
}

/** Makes a new current secret; the old one signs beside it for ROTATION_OVERLAP_MS. */
export async function rotateSigningSecret(ctx: AppContext, accountId: string): Promise<void> {
  const now = Date.now();
  await inTransaction(ctx.db, async (tx) => {
    await retireCurrentSecret(tx, accountId, now + ROTATION_OVERLAP_MS);
    await insertWebhookSecret(tx, { id: newId('whsec', now), account_id: accountId, secret_enc: ctx.box.sealText(generateWebhookSecret()), created_at: now, expires_at: null });
  });
  ctx.signingSecrets.forget(accountId);
  ctx.log.info({ accountId }, 'webhook signing secret rotated');
}
