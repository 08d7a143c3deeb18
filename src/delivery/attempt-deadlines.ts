/**
 * The end of one attempt, as its deadline (or the worker stopping) says it: `aborted`, the
 * `reason`, and one listener — whoever is sending the attempt. An AbortController with its
 * EventTarget costs several times more per attempt (a fifth of the send path in a loopback
 * benchmark), and every attempt needs one.
 */
export class AttemptSignal {
  aborted = false;
  reason: Error | undefined;
  private listener: ((reason: Error) => void) | null = null;

  /** Calls `listener` when the attempt is aborted, at once if it already was. */
  listen(listener: (reason: Error) => void): void {
    if (this.aborted) listener(this.reason!);
    else this.listener = listener;
  }

  unlisten(): void {
    this.listener = null;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.listener;
    this.listener = null;
    listener?.(reason);
  }
}

/** One attempt's abort signal, and how to say it is over. */
export interface AttemptDeadline {
  signal: AttemptSignal;
  finish(): void;
}

interface Entry {
  at: number;
  /** Let go when the attempt finishes: a finished entry may wait behind a slow one at the front. */
  signal: AttemptSignal | null;
  done: boolean;
}

/** Named as the classifier expects, so both end up as a `timeout` attempt. */
export function abortError(name: 'TimeoutError' | 'AbortError', message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Aborts attempts that outlive their timeout, or all of them when the worker stops, with one
 * timer for the whole worker. Every attempt has the same timeout, so deadlines arrive in the
 * order attempts start and a FIFO queue is enough; this replaces an AbortSignal.timeout and an
 * AbortSignal.any per attempt, which together cost more than signing the webhook.
 */
export class AttemptDeadlines {
  private readonly queue: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly live = new Set<Entry>();

  constructor(private readonly timeoutMs: number) {}

  start(now = Date.now()): AttemptDeadline {
    const signal = new AttemptSignal();
    const entry: Entry = { at: now + this.timeoutMs, signal, done: false };
    this.queue.push(entry);
    this.live.add(entry);
    if (!this.timer) this.arm(now);
    return {
      signal,
      finish: () => {
        entry.done = true;
        entry.signal = null;
        this.live.delete(entry);
        // Attempts mostly end in the order they started: drop finished ones from the front now,
        // so the queue holds about what is in flight, not every attempt of the last timeout.
        if (this.queue[this.head] === entry) this.dropFinished();
      },
    };
  }

  /** Aborts every attempt still running (the worker is stopping). */
  abortAll(): void {
    for (const entry of this.live) entry.signal?.abort(abortError('AbortError', 'the worker is stopping'));
    this.live.clear();
  }

  private dropFinished(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Entries still queued (finished ones not yet dropped included): for tests. */
  get size(): number {
    return this.queue.length - this.head;
  }

  private arm(now: number): void {
    this.dropFinished();
    const next = this.queue[this.head];
    if (!next) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, next.at - now));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = null;
    const now = Date.now();
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const entry = this.queue[this.head++]!;
      if (entry.done) continue;
      entry.done = true;
      this.live.delete(entry);
      entry.signal?.abort(abortError('TimeoutError', `no response within ${this.timeoutMs} ms`));
      entry.signal = null;
    }
    this.arm(now);
  }
}
