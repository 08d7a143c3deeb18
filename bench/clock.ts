/**
 * Wall-clock milliseconds with sub-millisecond resolution. The commit time is taken in one process
 * and the arrival time in another, so both must use the same clock: `performance.timeOrigin` is
 * the process start on the wall clock, and `performance.now()` is monotonic from there.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
