import { describe, expect, it } from 'vitest';
import type { AnalyzerInput } from './analyzer.js';
import { sandboxFindings } from './analyzer-sandbox.js';
import type { CheckRules } from './check-rules.js';

const rules: CheckRules = { id_check_type: 'idv', include_back_of_id: false, min_age: 18, testing: true };
const input = (overrides: Partial<AnalyzerInput>): AnalyzerInput => ({
  checkId: 'chk_x', rules, newPhoto: 'id_front', lastName: 'Lovelace', loadPhotos: async () => [], ...overrides,
});
const failed = (findings: ReturnType<typeof sandboxFindings>) => findings.filter((f) => f.status === 'failed').map((f) => `${f.type}:${f.error}`);

describe('the sandbox analyzer', () => {
  it('passes every document sub-check on the front and face_match on the selfie', () => {
    expect(sandboxFindings(input({})).map((f) => `${f.type}:${f.status}`)).toEqual(['document_readable:passed', 'required_fields:passed', 'not_expired:passed', 'min_age:passed']);
    expect(sandboxFindings(input({ newPhoto: 'selfie' })).map((f) => f.type)).toEqual(['face_match']);
    expect(sandboxFindings(input({ newPhoto: 'id_back' }))).toEqual([]);
  });

  it('fails the sub-check a magic last name names, on the photo that reveals it', () => {
    expect(failed(sandboxFindings(input({ lastName: 'Unreadable' })))).toEqual(['document_readable:UnreadableIdError']);
    expect(failed(sandboxFindings(input({ lastName: 'underage' })))).toEqual(['min_age:UnderageIdError']);
    expect(failed(sandboxFindings(input({ lastName: 'Mismatch' })))).toEqual([]);
    expect(failed(sandboxFindings(input({ lastName: 'Mismatch', newPhoto: 'selfie' })))).toEqual(['face_match:FaceMatchError']);
    expect(failed(sandboxFindings(input({ lastName: 'Noface', newPhoto: 'selfie' })))).toEqual(['face_match:FaceNotFoundError']);
  });

  it('lets simulate force an outcome over the magic name, or force a pass', () => {
    expect(failed(sandboxFindings(input({ lastName: 'Unreadable', forcedError: 'ExpiredIdError' })))).toEqual(['not_expired:ExpiredIdError']);
    expect(failed(sandboxFindings(input({ lastName: 'Unreadable', forcedError: null })))).toEqual([]);
  });

  it('shows a face error on the front of an "id" check, which has no selfie', () => {
    expect(failed(sandboxFindings(input({ rules: { ...rules, id_check_type: 'id' }, forcedError: 'MultipleFacesError' })))).toEqual(['face_match:MultipleFacesError']);
  });
});
