import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptDeadlines } from './attempt-deadlines.js';


describe('AttemptDeadlines', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('aborts an attempt that outlives its timeout, and only that one', () => {
    const deadlines = new AttemptDeadlines(40);
    const slow = deadlines.start();
    const quick = deadlines.start();
    quick.finish();
    vi.advanceTimersByTime(15);
    const later = deadlines.start();
    vi.advanceTimersByTime(24);
    expect(slow.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(slow.signal.aborted).toBe(true);
    expect(quick.signal.aborted).toBe(false);
    expect(later.signal.aborted).toBe(false);
    vi.advanceTimersByTime(15);
    expect(later.signal.aborted).toBe(true);
  });

  it('aborts everything still running when the worker stops', () => {
    const deadlines = new AttemptDeadlines(60_000);
    const running = [deadlines.start(), deadlines.start()];
    const finished = deadlines.start();
    finished.finish();
    deadlines.abortAll();
    expect(running.map((r) => r.signal.aborted)).toEqual([true, true]);
    expect(finished.signal.aborted).toBe(false);
  });

  it('holds about what is in flight, not every attempt of the last timeout', () => {
    const deadlines = new AttemptDeadlines(60_000);
    for (let i = 0; i < 10_000; i++) deadlines.start().finish();
    expect(deadlines.size).toBe(0);
    const running = deadlines.start();
    for (let i = 0; i < 5_000; i++) deadlines.start().finish();
    expect(deadlines.size).toBe(5_001);
    running.finish();
    expect(deadlines.size).toBe(0);
  });
});
