import { AppError } from './errors.js';
import type { CheckEventType, CheckStep } from './event-types.js';
import { type CheckRules, type PhotoKind, requiredPhotos } from './check-rules.js';
import { type SubCheck, type Verdict, mergeSubChecks, verdictOf } from './verdict.js';

/**
 * The ID check's state machine, pure: a command and the current state in, the next state and the
 * events it causes out (in the order they must be emitted), or an AppError when the move is not
 * allowed. The services persist the state and record the events in one transaction.
 *
 *   delivered → opened → submitted-photo (once per accepted photo) → completed | failed
 *
 * The terminal step is reached only when the last required photo is in, even if a sub-check
 * failed earlier (the verdict shows `failed` meanwhile). When the analyzer decides nothing (a live
 * check with no analyzer configured) the check waits in `submitted-photo` for the merchant.
 */
export interface CheckState {
  step: CheckStep;
  rules: CheckRules;
  /** Accepted photo kinds, in the order they arrived. */
  photos: PhotoKind[];
  subChecks: SubCheck[];
  manuallyOverridden: boolean;
}

export type CheckCommand =
  | { kind: 'open' }
  | { kind: 'photo'; photo: PhotoKind; findings: SubCheck[] }
  | { kind: 'manual'; decision: 'approve' | 'reject' };

export interface Transition {
  state: CheckState;
  events: CheckEventType[];
}

export const TERMINAL_STEPS: readonly CheckStep[] = ['completed', 'failed'];

export function initialCheckState(rules: CheckRules): CheckState {
  return { step: 'delivered', rules, photos: [], subChecks: [], manuallyOverridden: false };
}

export function isFinished(state: Pick<CheckState, 'step'>): boolean {
  return TERMINAL_STEPS.includes(state.step);
}

export function missingPhotos(state: Pick<CheckState, 'rules' | 'photos'>): PhotoKind[] {
  return requiredPhotos(state.rules).filter((kind) => !state.photos.includes(kind));
}

/** What the merchant and the customer see: a finished check's step is its verdict. */
export function verdictOfState(state: CheckState): Verdict {
  if (state.step === 'completed') return 'passed';
  if (state.step === 'failed') return 'failed';
  return verdictOf(state.rules, state.subChecks);
}

/** True when every photo is in but nobody has decided: the merchant must approve or reject. */
export function awaitsManualReview(state: CheckState): boolean {
  return !isFinished(state) && state.photos.length > 0 && missingPhotos(state).length === 0;
}

function open(state: CheckState): Transition {
  // Opening again (a reload, a second device) is harmless and announces nothing.
  if (state.step !== 'delivered') return { state, events: [] };
  return { state: { ...state, step: 'opened' }, events: ['check.opened'] };
}

function acceptPhoto(state: CheckState, photo: PhotoKind, findings: SubCheck[]): Transition {
  if (isFinished(state)) throw new AppError('RID_ERR_CHECK_FINISHED', `The check is already ${state.step}; it takes no more photos.`);
  if (!missingPhotos(state).includes(photo)) {
    throw new AppError('RID_ERR_PHOTO_NOT_EXPECTED', state.photos.includes(photo)
      ? `The ${photo} photo was already accepted.`
      : `This check does not ask for a ${photo} photo (it needs ${requiredPhotos(state.rules).join(', ')}).`);
  }
  // A photo sent before the link was "opened" (an API client, a simulation) implies the open.
  const opened = open(state);
  const next: CheckState = {
    ...opened.state,
    step: 'submitted-photo',
    photos: [...state.photos, photo],
    subChecks: mergeSubChecks(state.subChecks, findings),
  };
  const events: CheckEventType[] = [...opened.events, 'check.submitted-photo'];
  if (missingPhotos(next).length > 0) return { state: next, events };
  const verdict = verdictOf(next.rules, next.subChecks);
  if (verdict === 'passed') return { state: { ...next, step: 'completed' }, events: [...events, 'check.completed'] };
  if (verdict === 'failed') return { state: { ...next, step: 'failed' }, events: [...events, 'check.failed'] };
  return { state: next, events };
}

function decide(state: CheckState, decision: 'approve' | 'reject'): Transition {
  const target: CheckStep = decision === 'approve' ? 'completed' : 'failed';
  if (state.step === target) throw new AppError('RID_ERR_ILLEGAL_TRANSITION', `The check is already ${target}.`);
  if (!isFinished(state) && !awaitsManualReview(state)) {
    throw new AppError('RID_ERR_ILLEGAL_TRANSITION', `The check is ${state.step} and still needs ${missingPhotos(state).join(', ')}; it can be approved or rejected once every photo is in.`);
  }
  return {
    state: { ...state, step: target, manuallyOverridden: true },
    events: [decision === 'approve' ? 'check.completed' : 'check.failed'],
  };
}

export function applyCommand(state: CheckState, command: CheckCommand): Transition {
  switch (command.kind) {
    case 'open': return open(state);
    case 'photo': return acceptPhoto(state, command.photo, command.findings);
    case 'manual': return decide(state, command.decision);
  }
}
