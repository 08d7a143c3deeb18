import { startChild, type Child } from './child.js';
import { sleep, wallClockMs } from './clock.js';
import type { ReceiverStats } from './receiver.js';

/** The harness's side of the receiver process. */
export interface Receiver {
  readonly url: string;
  readonly pid: number;
  verifyWith(secret: string | null): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<ReceiverStats>;
  arrivals(path: string): Promise<Map<string, number>>;
  /**
   * Waits until `expected` distinct deliveries have arrived or `deadline` (wall clock ms) passes;
   * returns the last stats either way, so a run that times out still reports what it got.
   */
  waitFor(expected: number, deadline: number): Promise<ReceiverStats>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const child: Child = await startChild('receiver.ts');
  const url = await child.call<string>('listen');
  const stats = () => child.call<ReceiverStats>('stats');
  return {
    url,
    pid: child.pid,
    verifyWith: (secret) => child.call('verifyWith', secret),
    reset: () => child.call('reset'),
    stats,
    arrivals: async (path) => new Map(await child.call<Array<[string, number]>>('arrivals', path)),
    async waitFor(expected, deadline) {
      for (;;) {
        const now = await stats();
        if (now.unique >= expected || wallClockMs() >= deadline) return now;
        await sleep(50);
      }
    },
    stop: () => child.stop(),
  };
}
