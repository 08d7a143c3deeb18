/** Latency percentiles in ms (nearest-rank on the sorted samples), or nulls when there are none. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function median(values: readonly number[]): number {
  return percentiles(values).p50 ?? 0;
}

/** Two decimals: enough for milliseconds, few enough to read. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Commit-to-arrival latency of every delivery that has both times: `commits` maps event id →
 * commit time (producer's clock), `arrivals` maps event id → first arrival (receiver's clock).
 */
export function commitToArrival(commits: ReadonlyMap<string, number>, arrivals: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const [id, arrived] of arrivals) {
    const committed = commits.get(id);
    if (committed !== undefined) out.push(arrived - committed);
  }
  return out;
}

/** Milliseconds as a reader wants them: 2 decimals under 10, 1 under 100, whole above. */
export function formatMs(value: number | null): string {
  if (value === null) return '–';
  return value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
}
