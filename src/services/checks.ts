import type { AppContext } from '../context.js';
import type { CheckRules } from '../core/check-rules.js';
import { checkLinkToken, hashLinkToken } from '../core/check-link.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { inTransaction } from '../db/database.js';
import { type CheckRow, findCheck, insertCheck } from '../db/repos/checks.js';
import { listPhotoMeta } from '../db/repos/photos.js';
import { announceEventsCommitted } from './checks-event-feed.js';
import { transitionCheck } from './checks-transition.js';
import { type Customer, checkOut } from './checks-view.js';
import { deliverLinkInBackground } from './link-delivery.js';
import { recordEvent } from './outbox.js';

export interface CheckIn {
  customer: { first_name: string; last_name: string; email?: string; phone?: string };
  order?: { id: string; name?: string };
  rules?: Partial<CheckRules>;
}

export interface Creator {
  accountId: string;
  mode: 'test' | 'live';
  keyId: string | null;
}

function rulesOf(input: CheckIn, creator: Creator): CheckRules {
  return {
    id_check_type: input.rules?.id_check_type ?? 'id',
    include_back_of_id: input.rules?.include_back_of_id ?? false,
    min_age: input.rules?.min_age ?? null,
    // A test key can only make test checks; a live key makes one when the merchant asks.
    testing: creator.mode === 'test' || input.rules?.testing === true,
  };
}

/**
 * Creates a check in the `delivered` step and records check.delivered with it, then sends the
 * customer their link after the commit: a slow or broken mail server never holds the transaction
 * open nor fails the creation (the outcome lands in `link_delivery`).
 */
export async function createCheck(ctx: AppContext, creator: Creator, input: CheckIn): Promise<CheckRow> {
  const email = input.customer.email?.trim() || null;
  const phone = input.customer.phone?.trim() || null;
  if (!email && !phone) throw new AppError('RID_ERR_CONTACT_REQUIRED', 'customer.email or customer.phone is required, so the link can be sent to the customer.');
  const customer: Customer = { first_name: input.customer.first_name.trim(), last_name: input.customer.last_name.trim(), email, phone };
  const rules = rulesOf(input, creator);
  const now = Date.now();
  const id = newId('chk', now);
  const row: CheckRow = {
    id,
    account_id: creator.accountId,
    testing: rules.testing ? 1 : 0,
    step: 'delivered',
    customer_enc: ctx.box.sealText(JSON.stringify(customer)),
    order_json: input.order ? JSON.stringify({ id: input.order.id, name: input.order.name ?? null }) : null,
    order_id: input.order?.id ?? null,
    rules_json: JSON.stringify(rules),
    link_token_hash: hashLinkToken(checkLinkToken(ctx.box.deriveKey('check-links'), id)),
    result_json: '[]',
    photos_received_json: '[]',
    failure_error: null,
    manually_overridden: 0,
    created_by_key_id: creator.keyId,
    created_at: now,
    updated_at: now,
    opened_at: null,
    completed_at: null,
    failed_at: null,
    redacted_at: null,
    link_delivery_json: null,
  };
  await inTransaction(ctx.db, async (tx, hooks) => {
    await insertCheck(tx, row);
    await recordEvent(ctx, tx, hooks, { accountId: row.account_id, type: 'check.delivered', checkId: id, testing: rules.testing }, now);
    hooks.afterCommit(() => announceEventsCommitted(ctx));
  });
  deliverLinkInBackground(ctx, row, customer);
  return row;
}

export async function getCheck(ctx: AppContext, accountId: string, id: string, withPhotos = false) {
  const row = await findCheck(ctx.db.kysely, accountId, id);
  if (!row) throw new AppError('RID_ERR_CHECK_NOT_FOUND');
  return checkOut(ctx, row, withPhotos ? await listPhotoMeta(ctx.db.kysely, id) : undefined);
}

/** The merchant's manual decision: settles a check awaiting review, or moves a finished one to the other end. */
export async function decideCheck(ctx: AppContext, accountId: string, id: string, decision: 'approve' | 'reject'): Promise<CheckRow> {
  return (await transitionCheck(ctx, { checkId: id, accountId, commands: () => [{ kind: 'manual', decision }] })).row;
}
