import { median } from '../stats.js';

/** One look at the running service during the soak. */
export interface Sample {
  /** Seconds since the soak began. */
  atSeconds: number;
  rssMb: number | null;
  /** Deliveries waiting (due now or scheduled) or being sent, from /metrics (refreshed every 5 s by the service). */
  queueDepth: number | null;
  /** Distinct webhooks the receiver has had so far. */
  delivered: number;
}

/** The `realid_delivery_queue_depth` gauge summed over its states, from a Prometheus text page. */
export function queueDepthOf(metrics: string): number | null {
  const values = [...metrics.matchAll(/^realid_delivery_queue_depth\{[^}]*\}\s+(\S+)$/gm)].map((match) => Number(match[1]));
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0);
}

export interface Trend {
  first: number | null;
  last: number | null;
  max: number | null;
  /** Least-squares slope over the second half of the run, per minute (the first half is warm-up). */
  slopePerMinute: number | null;
}

function slope(points: Array<[number, number]>): number | null {
  if (points.length < 3) return null;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

export function trendOf(samples: readonly Sample[], pick: (sample: Sample) => number | null): Trend {
  const points = samples.flatMap((sample) => {
    const value = pick(sample);
    return value === null ? [] : [[sample.atSeconds, value] as [number, number]];
  });
  if (points.length === 0) return { first: null, last: null, max: null, slopePerMinute: null };
  const perSecond = slope(points.slice(Math.floor(points.length / 2)));
  return {
    first: points[0]![1],
    last: points[points.length - 1]![1],
    max: points.reduce((max, [, y]) => Math.max(max, y), Number.NEGATIVE_INFINITY),
    slopePerMinute: perSecond === null ? null : Math.round(perSecond * 60 * 100) / 100,
  };
}

/**
 * Flat memory: after warm-up (the first third), the last third's median RSS is within 20% of the
 * middle third's. A leak of any size shows here over ten minutes; the noise of GC cycles does not.
 */
export function memoryIsFlat(samples: readonly Sample[]): boolean {
  const rss = samples.map((s) => s.rssMb).filter((mb): mb is number => mb !== null);
  if (rss.length < 3) return false;
  const third = Math.floor(rss.length / 3);
  return median(rss.slice(rss.length - third)) <= median(rss.slice(third, rss.length - third)) * 1.2;
}
