import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { inTransaction } from '../db/database.js';
import { type CheckRow, lockCheck, updateCheck } from '../db/repos/checks.js';
import { deletePhotosOfCheck } from '../db/repos/photos.js';
import { removePhotoFiles } from './photos.js';

/**
 * Redaction (`DELETE /checks/:id`, and the retention sweep): the photos, the customer's personal
 * data, the order and the link go; the id, step, verdict and timestamps stay, so the merchant's
 * records still add up. Idempotent. No event: nothing about the check's progress changed.
 */
export async function redactCheck(ctx: AppContext, accountId: string | null, id: string): Promise<CheckRow> {
  const now = Date.now();
  const row = await inTransaction(ctx.db, async (tx) => {
    const current = await lockCheck(tx, ctx.db.dialect, id);
    if (!current || (accountId !== null && current.account_id !== accountId)) throw new AppError('RID_ERR_CHECK_NOT_FOUND');
    if (current.redacted_at !== null) return current;
    await deletePhotosOfCheck(tx, id);
    const patch = {
      customer_enc: null, order_json: null, order_id: null, link_token_hash: null, link_delivery_json: null,
      redacted_at: now, updated_at: now,
    };
    await updateCheck(tx, id, patch);
    return { ...current, ...patch };
  });
  // Files go after the commit: a rollback must never leave a row whose photo is gone.
  await removePhotoFiles(ctx, id);
  return row;
}
