import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';

/** A claimed delivery with everything needed to send it. */
export interface PreparedDelivery {
  delivery: DeliveriesTable;
  endpoint: EndpointsTable;
  payload: string;
  secrets: string[];
}

/**
 * How many deliveries per endpoint a worker holds: in flight plus prefetched. Prefetching lets a
 * finished send be followed by the next one at once, without a database round trip in between,
 * and lets claims come in batches instead of one freed slot at a time.
 */
export const PREFETCH_FACTOR = 3;

/** How much of an endpoint's work a worker may hold beyond the prefetch: about `ms` of it, and never more than `cap` deliveries. */
export interface HoldLimit {
  ms: number;
  cap: number;
}

/**
 * A fast endpoint may have more held: about two seconds of its own work (at its measured attempt
 * time and concurrency), so claims come in large batches where sends are quick, while a slow
 * endpoint keeps the small prefetch and one worker never hoards what others could send. Held
 * deliveries wait only behind their own endpoint's, and one that waited until its lease is nearly
 * out is handed back rather than sent. Claimed work is capped at 2,048 per endpoint: enough to
 * keep a fast endpoint busy between claims (a million-row drain ran as fast with 2,048 as with
 * 4,096, and peaked at 230–233 MB instead of 235–249).
 */
export const CLAIMED_HOLD: HoldLimit = { ms: 2_000, cap: 2_048 };

/**
 * Deliveries this process's own outbox hands over (see LocalHandoff) may fill a fast endpoint's
 * lane much further — ten seconds of its work, well inside the lease (60 s, less the attempt
 * timeout) — because everything a hand-off saves, a claim pays: the pending write, the claim
 * query, the lease update and the read of each payload, ~40 µs a delivery on SQLite where the
 * hand-off costs none. Each held one costs little memory (its event's payload is one string shared
 * by all its deliveries). With two seconds, a 12,000-event burst to 10 endpoints went 63% through
 * claims; see docs/benchmarks.md. Other workers cannot take what one holds, so this is about
 * bursts made where they are sent: with several worker processes, claims still spread the rest.
 */
export const HANDED_OFF_HOLD: HoldLimit = { ms: 10_000, cap: 16_384 };

/**
 * How far beyond its concurrency an endpoint's attempts may be handed to a sender that queues
 * them itself and starts each the moment a slot frees (LaneSender): about `ms` of the endpoint's
 * work (at its measured attempt time), at least one more round of its concurrency and at most
 * `maxRounds` rounds. The queue there is what keeps the endpoint's connections busy while this
 * thread is away committing or recording: with one round (16 behind 16), a burst's 4–5 ms
 * transactions left a fast endpoint's lane with nothing to send a fifth of the time (14.5 of 16
 * connections busy on average, measured in the sender); with 20 ms of work, 16.0 and never dry.
 * A handed-over attempt that waits too long for its lease is not sent (see LaneRequest.startBy).
 */
export interface StartAhead {
  ms: number;
  maxRounds: number;
}

export const SENDER_START_AHEAD: StartAhead = { ms: 20, maxRounds: 8 };

interface Lane {
  inflight: number;
  queue: PreparedDelivery[];
}

/**
 * Per-endpoint lanes: each endpoint has its own queue and its own in-flight count, capped at the
 * per-endpoint concurrency, so a slow endpoint fills only its own lane and never the others'.
 */
export class EndpointLanes {
  private readonly lanes = new Map<string, Lane>();
  /** Each endpoint's recent attempt time in ms (moving average); kept when its lane empties. */
  private readonly attemptMs = new Map<string, number>();
  inflightTotal = 0;
  queuedTotal = 0;

  /** `startAhead`: see StartAhead; null for a sender that starts whatever it is given. */
  constructor(private readonly perEndpoint: number, private readonly startAhead: StartAhead | null) {}

  private lane(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = { inflight: 0, queue: [] };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  enqueue(prepared: PreparedDelivery): void {
    this.lane(prepared.endpoint.id).queue.push(prepared);
    this.queuedTotal++;
  }

  /** The next delivery the endpoint may start now, or null when it is at its limit or has none. */
  startNext(endpointId: string): PreparedDelivery | null {
    const lane = this.lanes.get(endpointId);
    if (!lane || lane.inflight >= this.perEndpoint + this.aheadOf(endpointId) || lane.queue.length === 0) return null;
    lane.inflight++;
    this.inflightTotal++;
    this.queuedTotal--;
    return lane.queue.shift()!;
  }

  /** How many of the endpoint's attempts may wait in the sender beyond its concurrency (see StartAhead). */
  aheadOf(endpointId: string): number {
    if (!this.startAhead) return 0;
    const ms = this.attemptMs.get(endpointId);
    const work = ms === undefined ? 0 : Math.floor((this.perEndpoint * this.startAhead.ms) / Math.max(ms, 0.1));
    return Math.min(this.perEndpoint * this.startAhead.maxRounds, Math.max(this.perEndpoint, work));
  }

  /** An attempt ended; `durationMs` only for one that ran (one that never started says nothing of the endpoint's speed). */
  finished(endpointId: string, durationMs?: number): void {
    if (durationMs !== undefined) {
      const previous = this.attemptMs.get(endpointId);
      if (previous === undefined && this.attemptMs.size >= 10_000) this.attemptMs.clear();
      this.attemptMs.set(endpointId, previous === undefined ? durationMs : previous * 0.9 + durationMs * 0.1);
    }
    const lane = this.lane(endpointId);
    lane.inflight--;
    this.inflightTotal--;
    if (lane.inflight === 0 && lane.queue.length === 0) this.lanes.delete(endpointId);
  }

  queued(endpointId: string): number {
    return this.lanes.get(endpointId)?.queue.length ?? 0;
  }

  /** How many deliveries of this endpoint may be held (in flight and queued) at once, within `limit`. */
  maxHeld(endpointId: string, limit: HoldLimit = CLAIMED_HOLD): number {
    const prefetch = this.perEndpoint * PREFETCH_FACTOR;
    const ms = this.attemptMs.get(endpointId);
    if (ms === undefined) return prefetch;
    const work = Math.floor((this.perEndpoint * limit.ms) / Math.max(ms, 0.1));
    return Math.max(prefetch, Math.min(limit.cap, this.perEndpoint + work));
  }

  /** How many more this endpoint may take (claimed, or with HANDED_OFF_HOLD for hand-offs). */
  claimRoom(endpointId: string, limit?: HoldLimit): number {
    const lane = this.lanes.get(endpointId);
    return this.maxHeld(endpointId, limit) - (lane ? lane.inflight + lane.queue.length : 0);
  }

  endpointIds(): string[] {
    return [...this.lanes.keys()];
  }

  /** Endpoints whose attempt time is known (held or not), most recently first seen last. */
  knownEndpointIds(): IterableIterator<string> {
    return this.attemptMs.keys();
  }

  drainQueues(): PreparedDelivery[] {
    const all = [...this.lanes.values()].flatMap((lane) => lane.queue.splice(0));
    this.queuedTotal = 0;
    return all;
  }
}
