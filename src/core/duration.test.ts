import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('reads the units people write', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('5d')).toBe(432_000_000);
    expect(parseDuration('1500')).toBe(1500);
  });

  it('explains what it cannot read', () => {
    expect(() => parseDuration('soon')).toThrow(/"soon" is not a duration/);
    expect(() => parseDuration('-5s')).toThrow();
  });

  it('formats back to something that parses to the same value', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 10 }), (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }));
  });
});
