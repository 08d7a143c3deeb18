import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import type { CheckEventType } from './event-types.js';
import { type CheckRules, PHOTO_KINDS, SUB_CHECK_TYPES, requiredPhotos } from './check-rules.js';
import { type CheckCommand, type CheckState, applyCommand, initialCheckState, isFinished, missingPhotos, verdictOfState } from './check-state.js';
import { type SubCheck, verdictOf } from './verdict.js';

const rules = (overrides: Partial<CheckRules> = {}): CheckRules => ({ id_check_type: 'idv', include_back_of_id: true, min_age: null, testing: true, ...overrides });
const pass = (type: SubCheck['type']): SubCheck => ({ type, status: 'passed' });
const allPass: SubCheck[] = SUB_CHECK_TYPES.map(pass);

function run(state: CheckState, commands: CheckCommand[]): { state: CheckState; events: CheckEventType[] } {
  const events: CheckEventType[] = [];
  for (const command of commands) {
    const next = applyCommand(state, command);
    state = next.state;
    events.push(...next.events);
  }
  return { state, events };
}

describe('the check state machine', () => {
  it('walks delivered → opened → submitted-photo per photo → completed, one event per step', () => {
    const { state, events } = run(initialCheckState(rules()), [
      { kind: 'open' },
      { kind: 'photo', photo: 'id_front', findings: allPass.slice(0, 3) },
      { kind: 'photo', photo: 'id_back', findings: [] },
      { kind: 'photo', photo: 'selfie', findings: [pass('face_match')] },
    ]);
    expect(state.step).toBe('completed');
    expect(events).toEqual(['check.opened', 'check.submitted-photo', 'check.submitted-photo', 'check.submitted-photo', 'check.completed']);
  });

  it('fails the verdict at once but fires check.failed only with the last photo', () => {
    const unreadable: SubCheck = { type: 'document_readable', status: 'failed', error: 'UnreadableIdError' };
    const afterFront = run(initialCheckState(rules({ include_back_of_id: false })), [{ kind: 'photo', photo: 'id_front', findings: [unreadable] }]);
    expect(afterFront.state.step).toBe('submitted-photo');
    expect(verdictOfState(afterFront.state)).toBe('failed');
    expect(afterFront.events).not.toContain('check.failed');
    const afterSelfie = run(afterFront.state, [{ kind: 'photo', photo: 'selfie', findings: [pass('face_match')] }]);
    expect(afterSelfie.state.step).toBe('failed');
    expect(afterSelfie.events).toEqual(['check.submitted-photo', 'check.failed']);
  });

  it('waits in submitted-photo for a manual decision when nobody decided the sub-checks', () => {
    const waiting = run(initialCheckState(rules({ id_check_type: 'id', include_back_of_id: false })), [{ kind: 'photo', photo: 'id_front', findings: [] }]);
    expect(waiting.state.step).toBe('submitted-photo');
    const approved = applyCommand(waiting.state, { kind: 'manual', decision: 'approve' });
    expect(approved.state).toMatchObject({ step: 'completed', manuallyOverridden: true });
    expect(approved.events).toEqual(['check.completed']);
  });

  it('refuses a manual decision while photos are due, and the same decision twice', () => {
    expect(() => applyCommand(initialCheckState(rules()), { kind: 'manual', decision: 'approve' })).toThrow(/still needs id_front, id_back, selfie/);
    const done = run(initialCheckState(rules({ id_check_type: 'id', include_back_of_id: false })), [{ kind: 'photo', photo: 'id_front', findings: allPass }]);
    expect(done.state.step).toBe('completed');
    expect(() => applyCommand(done.state, { kind: 'manual', decision: 'approve' })).toThrow(/already completed/);
  });

  it('refuses photos it does not need, twice, or after the end', () => {
    const idOnly = initialCheckState(rules({ id_check_type: 'id', include_back_of_id: false }));
    expect(() => applyCommand(idOnly, { kind: 'photo', photo: 'selfie', findings: [] })).toThrow(/does not ask for a selfie/);
    const once = applyCommand(initialCheckState(rules()), { kind: 'photo', photo: 'id_front', findings: [] }).state;
    expect(() => applyCommand(once, { kind: 'photo', photo: 'id_front', findings: [] })).toThrow(/already accepted/);
  });
});

const findingArb: fc.Arbitrary<SubCheck> = fc.record({
  type: fc.constantFrom(...SUB_CHECK_TYPES),
  status: fc.constantFrom('passed' as const, 'failed' as const, 'not_applicable' as const),
});
const commandArb: fc.Arbitrary<CheckCommand> = fc.oneof(
  fc.constant<CheckCommand>({ kind: 'open' }),
  fc.record({ kind: fc.constant('photo' as const), photo: fc.constantFrom(...PHOTO_KINDS), findings: fc.array(findingArb, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('manual' as const), decision: fc.constantFrom('approve' as const, 'reject' as const) }),
);
const rulesArb: fc.Arbitrary<CheckRules> = fc.record({
  id_check_type: fc.constantFrom('id' as const, 'idv' as const),
  include_back_of_id: fc.boolean(),
  min_age: fc.option(fc.integer({ min: 16, max: 25 }), { nil: null }),
  testing: fc.boolean(),
});

describe('the check state machine, under any sequence of commands', () => {
  it('never reaches an illegal state and never emits an event out of order', () => {
    fc.assert(fc.property(rulesArb, fc.array(commandArb, { maxLength: 25 }), (checkRules, commands) => {
      let state = initialCheckState(checkRules);
      const events: CheckEventType[] = ['check.delivered'];
      const required = requiredPhotos(checkRules);
      for (const command of commands) {
        let next;
        try {
          next = applyCommand(state, command);
        } catch (error) {
          // A refused command is a 4xx for the caller and changes nothing.
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).status).toBeGreaterThanOrEqual(400);
          expect((error as AppError).status).toBeLessThan(500);
          continue;
        }
        const terminalBefore = events.filter((e) => e === 'check.completed' || e === 'check.failed').length;
        events.push(...next.events);
        state = next.state;

        // Photos: only required kinds, each at most once, one submitted-photo event per photo.
        expect(new Set(state.photos).size).toBe(state.photos.length);
        expect(state.photos.every((kind) => required.includes(kind))).toBe(true);
        expect(events.filter((e) => e === 'check.submitted-photo')).toHaveLength(state.photos.length);

        // Order: delivered first, opened at most once and before any photo.
        expect(events[0]).toBe('check.delivered');
        expect(events.filter((e) => e === 'check.opened').length).toBeLessThanOrEqual(1);
        if (state.photos.length > 0) expect(events.indexOf('check.opened')).toBeLessThan(events.indexOf('check.submitted-photo'));

        // A terminal event only once every required photo is in; after it, only manual flips.
        const firstTerminal = events.findIndex((e) => e === 'check.completed' || e === 'check.failed');
        if (firstTerminal >= 0) {
          expect(events.slice(0, firstTerminal).filter((e) => e === 'check.submitted-photo')).toHaveLength(required.length);
          expect(events.slice(firstTerminal).every((e) => e === 'check.completed' || e === 'check.failed')).toBe(true);
          expect(isFinished(state)).toBe(true);
        }
        if (terminalBefore > 0 && next.events.length > 0) expect(state.manuallyOverridden).toBe(true);

        // The step agrees with the events, and a finished check's step is its verdict.
        const last = events[events.length - 1];
        expect(state.step).toBe(last.slice('check.'.length));
        if (missingPhotos(state).length === 0 && !state.manuallyOverridden) {
          const verdict = verdictOf(checkRules, state.subChecks);
          if (verdict !== 'pending') expect(state.step).toBe(verdict === 'passed' ? 'completed' : 'failed');
        }
      }
    }), { numRuns: 2000 });
  });
});
