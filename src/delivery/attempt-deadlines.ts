/** One attempt's abort signal, and how to say it is over. */
export interface AttemptDeadline {
  signal: AbortSignal;
  finish(): void;
}

interface Entry {
  at: number;
  /** Let go when the attempt finishes: a finished entry may wait behind a slow one at the front. */
  controller: AbortController | null;
  done: boolean;
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
    const controller = new AbortController();
    const entry: Entry = { at: now + this.timeoutMs, controller, done: false };
    this.queue.push(entry);
    this.live.add(entry);
    if (!this.timer) this.arm(now);
    return {
      signal: controller.signal,
      finish: () => {
        entry.done = true;
        entry.controller = null;
        this.live.delete(entry);
        // Attempts mostly end in the order they started: drop finished ones from the front now,
        // so the queue holds about what is in flight, not every attempt of the last timeout.
        if (this.queue[this.head] === entry) this.dropFinished();
      },
    };
  }

  /** Aborts every attempt still running (the worker is stopping). */
  abortAll(): void {
    for (const entry of this.live) entry.controller?.abort();
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
      entry.controller?.abort();
      entry.controller = null;
    }
    this.arm(now);
  }
}
