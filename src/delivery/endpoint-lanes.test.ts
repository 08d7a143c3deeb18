import { describe, expect, it } from 'vitest';
import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';
import { pickClaimable } from './claim-candidates.js';
import { CLAIMED_HOLD, EndpointLanes, HANDED_OFF_HOLD, PREFETCH_FACTOR, SENDER_START_AHEAD, type PreparedDelivery } from './endpoint-lanes.js';

const prepared = (endpointId: string, id: string): PreparedDelivery => ({
  delivery: { id } as DeliveriesTable, endpoint: { id: endpointId } as EndpointsTable, payload: '{}', secrets: [],
});

describe('pickClaimable', () => {
  it('takes due deliveries in order, at most each endpoint\'s capacity, at most the limit', () => {
    const candidates = [
      { id: 'a1', endpoint_id: 'a' }, { id: 'a2', endpoint_id: 'a' }, { id: 'a3', endpoint_id: 'a' },
      { id: 'b1', endpoint_id: 'b' }, { id: 'c1', endpoint_id: 'c' }, { id: 'b2', endpoint_id: 'b' },
    ];
    const capacity: Record<string, number> = { a: 2, b: 5, c: 0 };
    expect(pickClaimable(candidates, { limit: 10, capacityOf: (id) => capacity[id] })).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(pickClaimable(candidates, { limit: 3, capacityOf: (id) => capacity[id] })).toEqual(['a1', 'a2', 'b1']);
  });
});

describe('EndpointLanes', () => {
  it('never starts more than the per-endpoint limit, and a busy endpoint leaves the others alone', () => {
    const lanes = new EndpointLanes(2, null);
    for (let i = 0; i < 5; i++) lanes.enqueue(prepared('slow', `s${i}`));
    lanes.enqueue(prepared('fast', 'f0'));
    expect([lanes.startNext('slow'), lanes.startNext('slow'), lanes.startNext('slow')].map((p) => p?.delivery.id)).toEqual(['s0', 's1', undefined]);
    expect(lanes.startNext('fast')?.delivery.id).toBe('f0');
    expect(lanes.inflightTotal).toBe(3);
    expect(lanes.claimRoom('slow')).toBe(2 * PREFETCH_FACTOR - 5);
    lanes.finished('slow');
    expect(lanes.startNext('slow')?.delivery.id).toBe('s2');
    expect(lanes.drainQueues().map((p) => p.delivery.id)).toEqual(['s3', 's4']);
    expect(lanes.queuedTotal).toBe(0);
  });

  it('lets a fast endpoint hold about two seconds of its work (ten when handed over), a slow one only the prefetch', () => {
    const lanes = new EndpointLanes(4, null);
    expect(lanes.maxHeld('new')).toBe(4 * PREFETCH_FACTOR);
    for (let i = 0; i < 5; i++) {
      lanes.enqueue(prepared('fast', `f${i}`));
      lanes.startNext('fast');
      lanes.finished('fast', 20);
      lanes.enqueue(prepared('slow', `s${i}`));
      lanes.startNext('slow');
      lanes.finished('slow', 10_000);
    }
    // 4 at a time, 20 ms each: 200 a second.
    expect(lanes.maxHeld('fast')).toBe(4 + 400);
    expect(lanes.maxHeld('fast', HANDED_OFF_HOLD)).toBe(4 + 2_000);
    expect(lanes.maxHeld('slow')).toBe(4 * PREFETCH_FACTOR);
    expect(lanes.maxHeld('slow', HANDED_OFF_HOLD)).toBe(4 * PREFETCH_FACTOR);
    // A very fast lane stops at each limit's cap, the hand-off's the larger.
    for (let i = 0; i < 50; i++) lanes.finished('fast', 0.01);
    expect(lanes.maxHeld('fast')).toBe(CLAIMED_HOLD.cap);
    expect(lanes.maxHeld('fast', HANDED_OFF_HOLD)).toBe(HANDED_OFF_HOLD.cap);
    expect(HANDED_OFF_HOLD.cap).toBeGreaterThan(CLAIMED_HOLD.cap);
  });

  it('hands a queuing sender about 20 ms of an endpoint\'s work beyond its concurrency: at least one round, at most eight', () => {
    const lanes = new EndpointLanes(16, SENDER_START_AHEAD);
    const timed = (endpointId: string, ms: number) => {
      for (let i = 0; i < 100; i++) {
        lanes.enqueue(prepared(endpointId, `${endpointId}${i}`));
        lanes.startNext(endpointId);
        lanes.finished(endpointId, ms);
      }
    };
    expect(lanes.aheadOf('new')).toBe(16);
    timed('slow', 500);
    timed('ten-ms', 10);
    timed('fast', 1);
    expect(lanes.aheadOf('slow')).toBe(16);
    expect(lanes.aheadOf('ten-ms')).toBe(32);
    expect(lanes.aheadOf('fast')).toBe(16 * 8);
    // Started up to that many beyond the concurrency, no more.
    for (let i = 0; i < 200; i++) lanes.enqueue(prepared('ten-ms', `q${i}`));
    let started = 0;
    while (lanes.startNext('ten-ms')) started++;
    expect(started).toBe(16 + 32);
    // An attempt that never started says nothing of the endpoint's speed.
    lanes.finished('ten-ms');
    expect(lanes.aheadOf('ten-ms')).toBe(32);
    expect(new EndpointLanes(16, null).aheadOf('fast')).toBe(0);
  });
});
