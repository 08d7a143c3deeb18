/**
 * Durations as people write them in config: `250ms`, `5s`, `10m`, `6h`, `1d`, or a bare number of
 * milliseconds. Returns milliseconds, or throws with a message that names the bad value.
 *
 * @example parseDuration('1m') // 60000
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration (examples: 250ms, 5s, 10m, 6h, 1d)`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']);
}

/** Formats milliseconds back into the shortest unit that is exact, for logs and docs. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
