import type { CheckRules, PhotoKind } from './check-rules.js';
import type { IdErrorType, SubCheck } from './verdict.js';

/**
 * Who decides the sub-checks. Called once per accepted photo, outside any transaction, with access to
 * every photo the check has so far; returns the sub-checks it can decide now (none, when a human must
 * look). Three implementations: the sandbox for test checks, an HTTP vendor for live checks, and
 * manual review when no vendor is configured.
 */
export interface AnalyzerPhoto {
  kind: PhotoKind;
  mime: string;
  bytes: Buffer;
}

export interface AnalyzerInput {
  checkId: string;
  rules: CheckRules;
  /** The photo that just arrived. */
  newPhoto: PhotoKind;
  /** Every photo the check has so far, the new one included (read and decrypted only when asked). */
  loadPhotos(): Promise<AnalyzerPhoto[]>;
  /** Test checks only: the customer's last name (the sandbox's magic names). */
  lastName: string | null;
  /** Test checks only: an outcome forced by `simulate`; null means "pass". */
  forcedError?: IdErrorType | null;
}

export interface Analyzer {
  readonly name: 'sandbox' | 'http' | 'manual';
  analyze(input: AnalyzerInput): Promise<SubCheck[]>;
}
