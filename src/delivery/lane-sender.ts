import { AttemptDeadlines } from './attempt-deadlines.js';
import { createEgress } from './egress.js';
import type { SendThreadSettings } from './send-protocol.js';
import { notStartedOutcome, sendWebhook, type AttemptOutcome, type OutgoingWebhook } from './sender.js';

/** One attempt as the worker hands it over: the request, and the endpoint lane it belongs to. */
export type LaneRequest = Omit<OutgoingWebhook, 'signal'> & {
  /** The endpoint, and how many of its attempts may run at once. */
  lane: string;
  laneLimit: number;
  /**
   * Not started after this moment (epoch ms): it comes back `notStarted` instead. The worker sets
   * it so an attempt that waited behind its endpoint's slow ones still has its lease for the whole
   * attempt when it starts; otherwise another worker could take the delivery over mid-attempt.
   */
  startBy?: number;
};

interface Lane { inflight: number; waiting: Array<{ request: LaneRequest; done: (outcome: AttemptOutcome) => void }> }

/**
 * Sends attempts with each endpoint's concurrency kept here: a request starts at once if its
 * lane has room, else it waits behind that lane's and starts the moment one of them ends — so
 * the worker may hand over more than the limit and no slot waits for the worker's event loop.
 * One deadline timer for all attempts (AttemptDeadlines). The same code runs in the sending
 * thread and, when there is none, in the worker's own thread.
 */
export class LaneSender {
  private readonly egress;
  private readonly deadlines;
  private readonly lanes = new Map<string, Lane>();

  constructor(settings: SendThreadSettings) {
    this.egress = createEgress(settings);
    this.deadlines = new AttemptDeadlines(settings.attemptTimeoutMs);
  }

  send(request: LaneRequest, done: (outcome: AttemptOutcome) => void): void {
    let lane = this.lanes.get(request.lane);
    if (!lane) this.lanes.set(request.lane, (lane = { inflight: 0, waiting: [] }));
    lane.waiting.push({ request, done });
    if (lane.inflight < request.laneLimit) this.next(request.lane, lane);
  }

  /** A slot of the lane is free: its next waiting attempt that may still start does, or an idle lane is forgotten. */
  private next(laneId: string, lane: Lane): void {
    let next;
    while ((next = lane.waiting.shift())) {
      if (next.request.startBy === undefined || Date.now() <= next.request.startBy) return this.start(next.request, next.done, lane);
      next.done(notStartedOutcome('not sent: it waited behind its endpoint\'s other attempts until its lease was too short for a whole attempt'));
    }
    if (lane.inflight === 0) this.lanes.delete(laneId);
  }

  private start(request: LaneRequest, done: (outcome: AttemptOutcome) => void, lane: Lane): void {
    lane.inflight++;
    const deadline = this.deadlines.start();
    const { url, headers, body, timeoutMs, sign } = request;
    void sendWebhook(this.egress, { url, headers, body, timeoutMs, sign, signal: deadline.signal }).then((outcome) => {
      deadline.finish();
      lane.inflight--;
      this.next(request.lane, lane);
      done(outcome);
    });
  }

  /**
   * The worker is stopping and gave up waiting: attempts still running are aborted (they end as
   * failures) and those still waiting come back unsent, never having reached the receiver.
   */
  abortAll(): void {
    const now = Date.now();
    for (const lane of this.lanes.values()) {
      for (const { done } of lane.waiting.splice(0)) done(notStartedOutcome('not sent: the worker stopped first', now));
    }
    this.deadlines.abortAll();
  }

  close(): Promise<void> {
    this.abortAll();
    return this.egress.close();
  }
}
