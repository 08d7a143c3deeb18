import type { LaneRequest } from './lane-sender.js';
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

/** One attempt handed to the thread (see LaneSender for the lane fields), with its reply id. */
export type SendRequest = LaneRequest & { id: number };

export type ToSendThread =
  | { type: 'send'; requests: SendRequest[] }
  /** The worker is stopping and gave up waiting: end every attempt still running. */
  | { type: 'abortAll' }
  | { type: 'close' };

/** Outcomes of finished attempts; the thread ends by exiting once closed, which the worker waits for. */
export type FromSendThread = { type: 'outcomes'; outcomes: Array<{ id: number; outcome: AttemptOutcome }> };
