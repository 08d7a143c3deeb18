import type { AppContext } from '../context.js';
import { photoRevealing } from '../core/analyzer-sandbox.js';
import type { PhotoKind } from '../core/check-rules.js';
import { isFinished, missingPhotos } from '../core/check-state.js';
import { AppError } from '../core/errors.js';
import { type IdErrorType, SUB_CHECK_OF_ERROR } from '../core/verdict.js';
import { type CheckRow, findCheck } from '../db/repos/checks.js';
import { submitPhoto } from './checks-photos.js';
import { transitionCheck } from './checks-transition.js';
import { stateOfRow } from './checks-view.js';

export type SimulateAction =
  | { action: 'open' }
  | { action: 'submit_photo'; kind?: PhotoKind; error?: IdErrorType }
  | { action: 'complete' }
  | { action: 'fail'; error?: IdErrorType };

// A real 1×1 PNG, so simulated checks have photos the dashboard can show like any other.
const SAMPLE_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function sendPhotos(ctx: AppContext, check: CheckRow, kinds: PhotoKind[], forcedError: IdErrorType | null): Promise<CheckRow> {
  let row = check;
  for (const [index, kind] of kinds.entries()) {
    // "fail" after the revealing photo is already in: the last photo carries the failure instead.
    const lastAndUnrevealed = forcedError !== null && index === kinds.length - 1 && !kinds.includes(photoRevealing(forcedError, stateOfRow(row)));
    row = await submitPhoto(ctx, row, {
      kind, mime: 'image/png', bytes: SAMPLE_PHOTO, forcedError,
      extraFindings: lastAndUnrevealed ? [{ type: SUB_CHECK_OF_ERROR[forcedError], status: 'failed', score: 12, error: forcedError }] : [],
    });
  }
  return row;
}

/**
 * Drives a test check as a customer and the sandbox analyzer would (`POST /checks/:id/simulate`).
 * `complete` and `fail` send every photo still due, each announcing check.submitted-photo, so a
 * merchant's integration sees exactly the events a real customer would cause.
 */
export async function simulateCheck(ctx: AppContext, accountId: string, checkId: string, request: SimulateAction): Promise<CheckRow> {
  const check = await findCheck(ctx.db.kysely, accountId, checkId);
  if (!check) throw new AppError('RID_ERR_CHECK_NOT_FOUND');
  if (check.testing !== 1) throw new AppError('RID_ERR_LIVE_CHECK');
  if (check.redacted_at !== null) throw new AppError('RID_ERR_CHECK_REDACTED');
  const state = stateOfRow(check);
  if (request.action === 'open') {
    return (await transitionCheck(ctx, { checkId, accountId, commands: () => [{ kind: 'open' }] })).row;
  }
  if (isFinished(state)) throw new AppError('RID_ERR_CHECK_FINISHED', `The check is already ${state.step}; use manually-approve or manually-reject to change its outcome.`);
  const missing = missingPhotos(state);
  if (request.action === 'submit_photo') {
    const kind = request.kind ?? missing[0];
    if (!kind) throw new AppError('RID_ERR_PHOTO_NOT_EXPECTED', 'Every photo is in; the check waits for manually-approve or manually-reject.');
    // An explicit error fails on this very photo, whichever photo would normally reveal it.
    const forced = request.error ? [{ type: SUB_CHECK_OF_ERROR[request.error], status: 'failed' as const, score: 12, error: request.error }] : [];
    return submitPhoto(ctx, check, { kind, mime: 'image/png', bytes: SAMPLE_PHOTO, forcedError: request.error, extraFindings: forced });
  }
  return sendPhotos(ctx, check, missing, request.action === 'complete' ? null : (request.error ?? 'UnreadableIdError'));
}
