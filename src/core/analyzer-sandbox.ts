import type { Analyzer, AnalyzerInput } from './analyzer.js';
import type { SubCheckType } from './check-rules.js';
import { type IdErrorType, type SubCheck, SUB_CHECK_OF_ERROR } from './verdict.js';

/**
 * The deterministic analyzer of test checks, like Persona's and ComplyCube's sandboxes: every
 * sub-check passes unless an outcome is forced, by `simulate` or by a magic last name.
 *
 * @example a check for "Jane Underage" with rules.min_age fails min_age with UnderageIdError.
 */
export const MAGIC_LAST_NAMES: Readonly<Record<string, IdErrorType>> = {
  unreadable: 'UnreadableIdError',
  missingfields: 'MissingIdFieldsError',
  expired: 'ExpiredIdError',
  underage: 'UnderageIdError',
  mismatch: 'FaceMatchError',
  noface: 'FaceNotFoundError',
  multiplefaces: 'MultipleFacesError',
};

const DOCUMENT_CHECKS: readonly SubCheckType[] = ['document_readable', 'required_fields', 'not_expired', 'min_age'];

export function forcedErrorOf(input: Pick<AnalyzerInput, 'lastName' | 'forcedError'>): IdErrorType | null {
  if (input.forcedError !== undefined) return input.forcedError;
  return MAGIC_LAST_NAMES[(input.lastName ?? '').trim().toLowerCase()] ?? null;
}

/** The photo that reveals an error: face errors show on the selfie when there is one, the rest on the ID's front. */
export function photoRevealing(error: IdErrorType, input: Pick<AnalyzerInput, 'rules'>): 'id_front' | 'selfie' {
  return SUB_CHECK_OF_ERROR[error] === 'face_match' && input.rules.id_check_type === 'idv' ? 'selfie' : 'id_front';
}

function decided(type: SubCheckType, error: IdErrorType | null): SubCheck {
  return error && SUB_CHECK_OF_ERROR[error] === type
    ? { type, status: 'failed', score: 12, error }
    : { type, status: 'passed', score: 97 };
}

export function sandboxFindings(input: AnalyzerInput): SubCheck[] {
  const error = forcedErrorOf(input);
  const revealed = error && photoRevealing(error, input) === input.newPhoto ? error : null;
  if (input.newPhoto === 'id_front') {
    const types = DOCUMENT_CHECKS.filter((type) => type !== 'min_age' || input.rules.min_age !== null || revealed === 'UnderageIdError');
    const findings = types.map((type) => decided(type, revealed));
    // An "id" check has no selfie, so a forced face error can only show on the front.
    if (revealed && SUB_CHECK_OF_ERROR[revealed] === 'face_match') findings.push(decided('face_match', revealed));
    return findings;
  }
  if (input.newPhoto === 'selfie') return [decided('face_match', revealed)];
  return [];
}

export const sandboxAnalyzer: Analyzer = { name: 'sandbox', analyze: async (input) => sandboxFindings(input) };
