import type { Analyzer, AnalyzerInput } from '../core/analyzer.js';
import { SUB_CHECK_TYPES } from '../core/check-rules.js';
import { type SubCheck, isIdErrorType } from '../core/verdict.js';

/**
 * The live analyzer: an upstream verification vendor reached over HTTP (REALID_ANALYZER_URL).
 *
 * Request — `POST <url>`, `Content-Type: application/json`, once per accepted photo:
 * ```json
 * { "check_id": "chk_01J…", "new_photo": "selfie",
 *   "rules": { "id_check_type": "idv", "include_back_of_id": false, "min_age": 21 },
 *   "photos": [ { "kind": "id_front", "mime": "image/jpeg", "data_base64": "/9j/4AAQ…" },
 *               { "kind": "selfie",   "mime": "image/jpeg", "data_base64": "/9j/4AAQ…" } ] }
 * ```
 * `photos` holds every photo the check has so far, so the vendor can match the selfie to the ID
 * whichever arrives first. No name, email or phone is sent.
 *
 * Response — `200` with the sub-checks it can decide now (an empty list means "not yet"):
 * ```json
 * { "sub_checks": [ { "type": "face_match", "status": "failed", "score": 31, "error": "FaceMatchError" } ] }
 * ```
 * `type`: document_readable | required_fields | not_expired | min_age | face_match;
 * `status`: passed | failed | not_applicable; `score`: 0–100 (optional); `error`: one of Real ID's
 * error types (optional). A timeout (REALID_ANALYZER_TIMEOUT), a network error, a 429 or a 5xx is
 * retried REALID_ANALYZER_RETRIES times with back-off; any other answer is final.
 */
export class AnalyzerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyzerUnavailableError';
  }
}

const STATUSES = new Set(['passed', 'failed', 'not_applicable']);

export function parseAnalyzerResponse(body: unknown): SubCheck[] {
  const list = (body as { sub_checks?: unknown })?.sub_checks;
  if (!Array.isArray(list)) throw new AnalyzerUnavailableError('the analyzer answered without a sub_checks list');
  return list.map((item: Record<string, unknown>) => {
    if (!(SUB_CHECK_TYPES as readonly unknown[]).includes(item?.type) || !STATUSES.has(item.status as string)) {
      throw new AnalyzerUnavailableError(`the analyzer answered an unknown sub-check ${JSON.stringify(item)}`);
    }
    const check: SubCheck = { type: item.type as SubCheck['type'], status: item.status as SubCheck['status'] };
    if (typeof item.score === 'number' && Number.isFinite(item.score)) check.score = Math.max(0, Math.min(100, Math.round(item.score)));
    if (typeof item.error === 'string' && isIdErrorType(item.error)) check.error = item.error;
    return check;
  });
}

async function requestBody(input: AnalyzerInput): Promise<string> {
  const photos = (await input.loadPhotos()).map((photo) => ({ kind: photo.kind, mime: photo.mime, data_base64: photo.bytes.toString('base64') }));
  const { id_check_type, include_back_of_id, min_age } = input.rules;
  return JSON.stringify({ check_id: input.checkId, new_photo: input.newPhoto, rules: { id_check_type, include_back_of_id, min_age }, photos });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function httpAnalyzer(options: { url: string | null; timeoutMs: number; retries: number }): Analyzer {
  return {
    name: 'http',
    async analyze(input) {
      const body = await requestBody(input);
      let lastProblem = '';
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0) await pause(Math.min(250 * 2 ** (attempt - 1), 5000));
        try {
          const response = await fetch(options.url!, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(options.timeoutMs),
          });
          const text = await response.text();
          if (response.ok) return parseAnalyzerResponse(JSON.parse(text));
          lastProblem = `HTTP ${response.status}`;
          if (response.status !== 429 && response.status < 500) break;
        } catch (error) {
          if (error instanceof AnalyzerUnavailableError) throw error;
          lastProblem = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
        }
      }
      throw new AnalyzerUnavailableError(`the analyzer at ${options.url} failed: ${lastProblem}`);
    },
  };
}
