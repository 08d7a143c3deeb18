import { readFileSync } from 'node:fs';
import { VECTORS_FILE, type SignVector, type VerifyVector } from '../../../test-vectors/generate.js';
import type { RawBody, VerifyOptions } from '../src/index.js';

export const vectors: { verify: VerifyVector[]; sign: SignVector[] } = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));

/** The body as the vector means it; a parsed object is deliberately the wrong type. */
export function vectorBody(vector: VerifyVector): RawBody {
  if (vector.body_parsed !== undefined) return vector.body_parsed as RawBody;
  if (vector.body_base64 !== undefined) return Buffer.from(vector.body_base64, 'base64');
  return vector.body!;
}

export function vectorOptions(vector: VerifyVector): VerifyOptions {
  return { scheme: vector.options?.scheme, toleranceSeconds: vector.options?.tolerance_seconds, now: vector.now * 1000 };
}

/** What a verifier did with a vector, in the vector's own terms, so sync and async compare alike. */
export async function outcome(verify: () => unknown): Promise<{ event: unknown } | { error: string }> {
  try {
    return { event: await verify() };
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    if (typeof reason !== 'string') throw error;
    return { error: reason };
  }
}
