import type { AttemptOutcome } from './sender.js';

/**
 * What the delivery worker and its sending thread say to each other (send-thread.ts). Requests
 * and outcomes travel in batches, one message per burst, because a message costs far more than
 * the few fields in it.
 */
export interface SendThreadSettings {
  allowDestinations: readonly string[];
  egressProxy: string | null;
  attemptTimeoutMs: number;
}

export interface SendRequest {
  id: number;
  /**
   * The endpoint's lane and how many of its requests may be in flight at once: the worker hands
   * over up to twice that many, and the thread starts the next of them the moment one finishes,
   * without a round trip through the worker's busy event loop.
   */
  lane: string;
  laneLimit: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type ToSendThread =
  | { type: 'send'; requests: SendRequest[] }
  /** The worker is stopping and gave up waiting: end every attempt still running. */
  | { type: 'abortAll' }
  | { type: 'close' };

export type FromSendThread =
  | { type: 'outcomes'; outcomes: Array<{ id: number; outcome: AttemptOutcome }> }
  | { type: 'closed' };
