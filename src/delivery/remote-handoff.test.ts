import { describe, expect, it } from 'vitest';
import { eventPayload } from '../core/event-payload.js';
import { newId } from '../core/ids.js';
import type { DeliveriesTable, EndpointsTable, EventsTable } from '../db/schema.js';
import { newDelivery } from '../services/deliveries-queue.js';
import { packMessages, readMessage, WORKER_STALE_MS, WorkerDirectory, type WorkerAnnouncement } from './remote-handoff.js';

const NOW = 1_700_000_000_000;

function endpoint(overrides: Partial<EndpointsTable> = {}): EndpointsTable {
  return {
    id: newId('ep'), account_id: 'acct_1', url: 'http://127.0.0.1:9/hook', description: '', event_types: '["check.completed"]',
    include_testing: 1, ordered: 0, rate_limit_per_second: null, disabled: 0, disabled_reason: null, disabled_at: null,
    failing_since: null, deleted_at: null, created_at: NOW, updated_at: NOW, ...overrides,
  };
}

function event(payloadBytes?: number): EventsTable {
  const checkId = newId('chk');
  const payload = payloadBytes ? `{"pad":"${'x'.repeat(payloadBytes)}"}` : eventPayload('check.completed', new Date(NOW), { id: checkId, testing: false });
  return { id: newId('evt'), account_id: 'acct_1', type: 'check.completed', check_id: checkId, testing: 0, payload, created_at: NOW };
}

/** Deliveries of `events` to each of `endpoints`, as the outbox makes them, with the maps it hands over. */
function outboxWrites(endpoints: EndpointsTable[], events: EventsTable[]) {
  const deliveries = events.flatMap((e) => endpoints.map((ep) => newDelivery(ep, e, NOW, 'scheduled')));
  return {
    deliveries,
    endpointsOf: () => new Map(endpoints.map((ep) => [ep.id, ep])),
    payloadsOf: () => new Map(events.map((e) => [e.id, e.payload])),
  };
}

function announce(directory: WorkerDirectory, overrides: Partial<WorkerAnnouncement> = {}, at = NOW): WorkerAnnouncement {
  const announcement: WorkerAnnouncement = { owner: 'w1', channel: 'realid_worker_1', room: 1000, per: 1000, rooms: {}, leaseMs: 60_000, ...overrides };
  directory.heard(JSON.stringify(announcement), at);
  return announcement;
}

describe('packMessages and readMessage', () => {
  it('carries every delivery to the worker with its endpoint, payload and lease, in messages PostgreSQL accepts', () => {
    const endpoints = [endpoint(), endpoint()];
    const writes = outboxWrites(endpoints, Array.from({ length: 60 }, () => event()));
    for (const d of writes.deliveries) Object.assign(d, { lease_owner: 'w1', lease_expires_at: NOW + 60_000, next_attempt_at: NOW + 60_000 });
    const { messages, carried } = packMessages(writes.deliveries, writes.endpointsOf(), writes.payloadsOf(), { owner: 'w1', expiresAt: NOW + 60_000 });

    expect(carried).toHaveLength(120);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThan(8000);
    const read = messages.flatMap((m) => readMessage(m)!);
    expect(read.map((r) => r.delivery)).toEqual(writes.deliveries);
    const payloads = writes.payloadsOf();
    for (const r of read) {
      expect(r.payload).toBe(payloads.get(r.delivery.event_id));
      expect(r.endpoint).toEqual(endpoints.find((ep) => ep.id === r.delivery.endpoint_id));
    }
  });

  it('writes an event\'s payload once per message however many endpoints it goes to', () => {
    const endpoints = Array.from({ length: 10 }, () => endpoint());
    const one = event();
    const writes = outboxWrites(endpoints, [one]);
    for (const d of writes.deliveries) Object.assign(d, { lease_owner: 'w1', lease_expires_at: NOW + 1, next_attempt_at: NOW + 1 });
    const { messages } = packMessages(writes.deliveries, writes.endpointsOf(), writes.payloadsOf(), { owner: 'w1', expiresAt: NOW + 1 });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.split('"event\\":\\"check.completed').length - 1).toBe(1);
    expect(readMessage(messages[0]!)).toHaveLength(10);
  });

  it('leaves out a delivery too large for a message by itself, and anything not fresh', () => {
    const ep = endpoint();
    const writes = outboxWrites([ep], [event(), event(9000), event(), event()]);
    for (const d of writes.deliveries) Object.assign(d, { lease_owner: 'w1', lease_expires_at: NOW + 1, next_attempt_at: NOW + 1 });
    writes.deliveries[2]!.attempt_count = 1;
    writes.deliveries[3]!.order_key = `${ep.id}:chk`;
    const { messages, carried } = packMessages(writes.deliveries, writes.endpointsOf(), writes.payloadsOf(), { owner: 'w1', expiresAt: NOW + 1 });
    expect(carried).toEqual([writes.deliveries[0]]);
    expect(messages.flatMap((m) => readMessage(m)!).map((r) => r.delivery.id)).toEqual([writes.deliveries[0]!.id]);
  });

  it('reads anything else as not a message', () => {
    expect(readMessage('not json')).toBeNull();
    expect(readMessage('{"deliveries":[["msg_1","evt_1","ep_1",1]],"endpoints":{},"events":{}}')).toBeNull();
  });
});

describe('WorkerDirectory', () => {
  it('leases new deliveries to a live worker, with its lease, and no more than its room', () => {
    const directory = new WorkerDirectory();
    announce(directory, { room: 3, leaseMs: 5_000 });
    const writes = outboxWrites([endpoint()], Array.from({ length: 5 }, () => event()));
    const handed = directory.lease(writes.deliveries, writes.endpointsOf, writes.payloadsOf, NOW, null);

    expect(handed).toHaveLength(1);
    expect(handed[0]!.channel).toBe('realid_worker_1');
    expect(handed[0]!.deliveries).toEqual(writes.deliveries.slice(0, 3));
    for (const d of writes.deliveries.slice(0, 3)) expect(d).toMatchObject({ lease_owner: 'w1', lease_expires_at: NOW + 5_000, next_attempt_at: NOW + 5_000 });
    for (const d of writes.deliveries.slice(3)) expect(d).toMatchObject({ lease_owner: null, lease_expires_at: null, next_attempt_at: NOW });
    // Its room is used up until it next announces.
    const more = outboxWrites([endpoint()], [event()]);
    expect(directory.lease(more.deliveries, more.endpointsOf, more.payloadsOf, NOW, null)).toEqual([]);
    announce(directory, { room: 3 }, NOW + 100);
    expect(directory.lease(more.deliveries, more.endpointsOf, more.payloadsOf, NOW + 100, null)).toHaveLength(1);
  });

  it('keeps to each endpoint\'s room: the announced one, or `per` for an endpoint the worker did not list', () => {
    const directory = new WorkerDirectory();
    const busy = endpoint();
    const other = endpoint();
    announce(directory, { room: 100, per: 2, rooms: { [busy.id]: 1 } });
    const writes = outboxWrites([busy, other], Array.from({ length: 4 }, () => event()));
    const handed = directory.lease(writes.deliveries, writes.endpointsOf, writes.payloadsOf, NOW, null);
    const taken = handed.flatMap((h) => h.deliveries);
    expect(taken.filter((d) => d.endpoint_id === busy.id)).toHaveLength(1);
    expect(taken.filter((d) => d.endpoint_id === other.id)).toHaveLength(2);
  });

  it('hands nothing to a worker that fell silent, said goodbye, or is this process\'s own', () => {
    const writes = () => outboxWrites([endpoint()], [event()]);
    const silent = new WorkerDirectory();
    announce(silent);
    const late = writes();
    expect(silent.lease(late.deliveries, late.endpointsOf, late.payloadsOf, NOW + WORKER_STALE_MS + 1, null)).toEqual([]);
    expect(late.deliveries[0]!.lease_owner).toBeNull();

    const gone = new WorkerDirectory();
    announce(gone);
    announce(gone, { bye: true, room: 0 });
    const afterBye = writes();
    expect(gone.lease(afterBye.deliveries, afterBye.endpointsOf, afterBye.payloadsOf, NOW, null)).toEqual([]);

    // Silent workers are kept a while (known, not live), then forgotten.
    expect(silent.known()).toEqual(['w1']);
    announce(silent, { owner: 'w2', channel: 'c2' }, NOW + 61_000);
    expect(silent.known()).toEqual(['w2']);

    const own = new WorkerDirectory();
    announce(own);
    const local = writes();
    expect(own.lease(local.deliveries, local.endpointsOf, local.payloadsOf, NOW, 'w1')).toEqual([]);
    expect(own.live(NOW)).toEqual(['w1']);
  });

  it('spreads a burst over the workers by their room, and ignores what is not an announcement', () => {
    const directory = new WorkerDirectory();
    announce(directory, { owner: 'w1', channel: 'c1', room: 4 });
    announce(directory, { owner: 'w2', channel: 'c2', room: 4 });
    directory.heard('{"owner":1}', NOW);
    directory.heard('garbage', NOW);
    const writes = outboxWrites([endpoint()], Array.from({ length: 6 }, () => event()));
    const handed = directory.lease(writes.deliveries, writes.endpointsOf, writes.payloadsOf, NOW, null);
    expect(handed.map((h) => [h.channel, h.deliveries.length]).sort()).toEqual([['c1', 3], ['c2', 3]]);
  });

  it('leaves a delivery too large to hand over unleased, for a claim', () => {
    const directory = new WorkerDirectory();
    announce(directory);
    const writes = outboxWrites([endpoint()], [event(9000), event()]);
    const handed = directory.lease(writes.deliveries, writes.endpointsOf, writes.payloadsOf, NOW, null);
    expect(handed[0]!.deliveries).toEqual([writes.deliveries[1]]);
    expect(writes.deliveries[0]).toMatchObject({ lease_owner: null, lease_expires_at: null, next_attempt_at: NOW });
    expect(writes.deliveries[1]!.lease_owner).toBe('w1');
  });
});
