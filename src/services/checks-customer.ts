import type { AppContext } from '../context.js';
import { hashLinkToken, isLinkTokenShaped } from '../core/check-link.js';
import { requiredPhotos } from '../core/check-rules.js';
import { awaitsManualReview, isFinished, missingPhotos } from '../core/check-state.js';
import { AppError } from '../core/errors.js';
import type { PrivacyEventType } from '../core/event-types.js';
import { inTransaction } from '../db/database.js';
import { findAccount } from '../db/repos/accounts.js';
import { type CheckRow, findCheckByLinkHash } from '../db/repos/checks.js';
import { announceEventsCommitted } from './checks-event-feed.js';
import { transitionCheck } from './checks-transition.js';
import { stateOfRow } from './checks-view.js';
import { recordEvent } from './outbox.js';

/** The customer's side of a check; the link's token is the only credential. */
export async function checkOfLink(ctx: AppContext, token: string): Promise<CheckRow> {
  const row = isLinkTokenShaped(token) ? await findCheckByLinkHash(ctx.db.kysely, hashLinkToken(token)) : undefined;
  if (!row) throw new AppError('RID_ERR_LINK_NOT_FOUND');
  return row;
}

/** What the customer's page shows: progress and outcome, the merchant's name, no personal data. */
export async function customerView(ctx: AppContext, row: CheckRow) {
  const state = stateOfRow(row);
  const account = await findAccount(ctx.db.kysely, row.account_id);
  return {
    merchant: { name: account?.name ?? '' },
    step: row.step,
    testing: row.testing === 1,
    id_check_type: state.rules.id_check_type,
    photos_required: requiredPhotos(state.rules),
    photos_received: state.photos,
    photos_needed: isFinished(state) ? [] : missingPhotos(state),
    awaiting_review: awaitsManualReview(state),
    outcome: row.step === 'completed' ? 'passed' as const : row.step === 'failed' ? 'failed' as const : null,
  };
}

export async function openCheckLink(ctx: AppContext, row: CheckRow): Promise<CheckRow> {
  return (await transitionCheck(ctx, { checkId: row.id, accountId: null, commands: () => [{ kind: 'open' }] })).row;
}

export const PRIVACY_REQUESTS: Readonly<Record<string, PrivacyEventType>> = {
  data_request: 'customer.data_request',
  manual_review: 'customer.manual_review_requested',
  data_deletion: 'customer.data_deletion_request',
};

/** Real ID is the processor: it only tells the merchant (the controller), who acts through the API. */
export async function requestPrivacyAction(ctx: AppContext, row: CheckRow, type: keyof typeof PRIVACY_REQUESTS): Promise<PrivacyEventType> {
  const eventType = PRIVACY_REQUESTS[type];
  await inTransaction(ctx.db, async (tx, hooks) => {
    await recordEvent(ctx, tx, hooks, { accountId: row.account_id, type: eventType, checkId: row.id, testing: row.testing === 1 });
    hooks.afterCommit(() => announceEventsCommitted(ctx));
  });
  return eventType;
}
