import type { AppContext } from '../context.js';
import { type CheckCommand, type CheckState, applyCommand } from '../core/check-state.js';
import type { CheckEventType } from '../core/event-types.js';
import { AppError } from '../core/errors.js';
import { type Tx, inTransaction } from '../db/database.js';
import { type CheckRow, lockCheck, updateCheck } from '../db/repos/checks.js';
import { announceEventsCommitted } from './checks-event-feed.js';
import { rowPatchOfState, stateOfRow } from './checks-view.js';
import { recordEvent } from './outbox.js';

export interface TransitionRequest {
  checkId: string;
  /** The merchant's account; a check of another account is "not found". Null for the customer's link (already resolved). */
  accountId: string | null;
  /** Built from the locked, current row, so it never acts on a stale read. */
  commands(row: CheckRow, state: CheckState): CheckCommand[];
  /** Runs in the same transaction before the check is updated (e.g. inserting the accepted photo). */
  alongside?(tx: Tx, row: CheckRow): Promise<void>;
}

/**
 * The one way a check changes step: lock the row, run the pure state machine, write the new state
 * and record every event it caused — all in one transaction, so a change and its events commit
 * together or not at all.
 */
export async function transitionCheck(ctx: AppContext, request: TransitionRequest): Promise<{ row: CheckRow; events: CheckEventType[] }> {
  const result = await inTransaction(ctx.db, async (tx, hooks) => {
    const row = await lockCheck(tx, ctx.db.dialect, request.checkId);
    if (!row || (request.accountId !== null && row.account_id !== request.accountId)) throw new AppError('RID_ERR_CHECK_NOT_FOUND');
    if (row.redacted_at !== null) throw new AppError('RID_ERR_CHECK_REDACTED');
    let state = stateOfRow(row);
    const events: CheckEventType[] = [];
    for (const command of request.commands(row, state)) {
      const next = applyCommand(state, command);
      state = next.state;
      events.push(...next.events);
    }
    if (events.length === 0 && !request.alongside) return { row, events };
    const now = Date.now();
    await request.alongside?.(tx, row);
    const patch = rowPatchOfState(state, now, row);
    await updateCheck(tx, row.id, patch);
    for (const type of events) await recordEvent(ctx, tx, hooks, { accountId: row.account_id, type, checkId: row.id, testing: row.testing === 1 }, now);
    if (events.length > 0) hooks.afterCommit(() => announceEventsCommitted(ctx));
    return { row: { ...row, ...patch }, events };
  });
  return result;
}
