import { describe, expect, it } from 'vitest';
import type { CheckRules } from './check-rules.js';
import { firstError, mergeSubChecks, verdictOf } from './verdict.js';

const rules: CheckRules = { id_check_type: 'idv', include_back_of_id: false, min_age: 21, testing: false };

describe('verdictOf', () => {
  it('stays pending until every required sub-check is decided', () => {
    expect(verdictOf(rules, [])).toBe('pending');
    expect(verdictOf(rules, [
      { type: 'document_readable', status: 'passed' }, { type: 'required_fields', status: 'passed' }, { type: 'not_expired', status: 'passed' },
      { type: 'min_age', status: 'passed' },
    ])).toBe('pending');
  });

  it('passes when every required sub-check passed or does not apply', () => {
    expect(verdictOf(rules, [
      { type: 'document_readable', status: 'passed' }, { type: 'required_fields', status: 'passed' }, { type: 'not_expired', status: 'not_applicable' },
      { type: 'min_age', status: 'passed' }, { type: 'face_match', status: 'passed', score: 93 },
    ])).toBe('passed');
  });

  it('fails at once on any failed sub-check, even with most still undecided (the seed\'s rule)', () => {
    expect(verdictOf(rules, [{ type: 'face_match', status: 'passed' }, { type: 'required_fields', status: 'failed', error: 'MissingIdFieldsError' }])).toBe('failed');
  });

  it('does not ask for min_age or face_match when the rules do not', () => {
    const plain: CheckRules = { ...rules, id_check_type: 'id', min_age: null };
    expect(verdictOf(plain, [{ type: 'document_readable', status: 'passed' }, { type: 'required_fields', status: 'passed' }, { type: 'not_expired', status: 'passed' }])).toBe('passed');
  });
});

describe('mergeSubChecks and firstError', () => {
  it('lets a newer finding replace an older one of the same type, keeping the order', () => {
    const merged = mergeSubChecks([{ type: 'document_readable', status: 'passed' }, { type: 'face_match', status: 'passed' }], [{ type: 'document_readable', status: 'failed', error: 'UnreadableIdError' }]);
    expect(merged.map((c) => `${c.type}:${c.status}`)).toEqual(['document_readable:failed', 'face_match:passed']);
    expect(firstError(merged)).toBe('UnreadableIdError');
    expect(firstError([{ type: 'face_match', status: 'passed' }])).toBeNull();
  });
});
