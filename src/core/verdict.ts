import { type CheckRules, type SubCheckType, requiredSubChecks } from './check-rules.js';

/**
 * Sub-check results and the verdict built from them (product.md, "The ID check"). Any failed
 * sub-check fails the verdict at once, even while photos are still due: the seed says an
 * unreadable ID fails the check even if the face matches.
 */
export const ID_ERROR_TYPES = [
  'UnreadableIdError', 'MissingIdFieldsError', 'ExpiredIdError', 'UnderageIdError',
  'FaceMatchError', 'FaceNotFoundError', 'MultipleFacesError',
] as const;
export type IdErrorType = (typeof ID_ERROR_TYPES)[number];

export type SubCheckStatus = 'passed' | 'failed' | 'not_applicable';
export type Verdict = 'pending' | 'passed' | 'failed';

export interface SubCheck {
  type: SubCheckType;
  status: SubCheckStatus;
  /** Confidence from 0 to 100, when the analyzer gives one. */
  score?: number;
  error?: IdErrorType;
}

/** The sub-check each error type fails. */
export const SUB_CHECK_OF_ERROR: Readonly<Record<IdErrorType, SubCheckType>> = {
  UnreadableIdError: 'document_readable',
  MissingIdFieldsError: 'required_fields',
  ExpiredIdError: 'not_expired',
  UnderageIdError: 'min_age',
  FaceMatchError: 'face_match',
  FaceNotFoundError: 'face_match',
  MultipleFacesError: 'face_match',
};

export function isIdErrorType(value: string): value is IdErrorType {
  return (ID_ERROR_TYPES as readonly string[]).includes(value);
}

export function verdictOf(rules: CheckRules, subChecks: readonly SubCheck[]): Verdict {
  if (subChecks.some((check) => check.status === 'failed')) return 'failed';
  const decided = new Set(subChecks.map((check) => check.type));
  return requiredSubChecks(rules).every((type) => decided.has(type)) ? 'passed' : 'pending';
}

/** The first error that failed the check, for `result.error`. */
export function firstError(subChecks: readonly SubCheck[]): IdErrorType | null {
  return subChecks.find((check) => check.status === 'failed' && check.error)?.error ?? null;
}

/** Newer findings replace older ones of the same type; the order of first appearance is kept. */
export function mergeSubChecks(current: readonly SubCheck[], findings: readonly SubCheck[]): SubCheck[] {
  const merged = current.map((check) => findings.find((f) => f.type === check.type) ?? check);
  for (const finding of findings) if (!merged.some((check) => check.type === finding.type)) merged.push(finding);
  return merged;
}
