/**
 * A token bucket per endpoint for `rate_limit_per_second`: up to one second's worth of burst,
 * refilled continuously. Per worker process: with N workers an endpoint may see up to N times
 * its limit, which is why the limit is documented as per worker.
 */
export class EndpointRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** How many sends the endpoint may start now (Infinity when it has no limit). */
  available(endpointId: string, perSecond: number | null, now: number): number {
    if (!perSecond) return Number.POSITIVE_INFINITY;
    const bucket = this.refill(endpointId, perSecond, now);
    return Math.floor(bucket.tokens);
  }

  take(endpointId: string, perSecond: number | null, now: number): void {
    if (!perSecond) return;
    this.refill(endpointId, perSecond, now).tokens -= 1;
  }

  /** Milliseconds until the endpoint has a token again. */
  waitMs(endpointId: string, perSecond: number | null, now: number): number {
    if (!perSecond) return 0;
    const bucket = this.refill(endpointId, perSecond, now);
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }

  private refill(endpointId: string, perSecond: number, now: number) {
    let bucket = this.buckets.get(endpointId);
    if (!bucket) {
      bucket = { tokens: perSecond, at: now };
      this.buckets.set(endpointId, bucket);
    }
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    return bucket;
  }
}
