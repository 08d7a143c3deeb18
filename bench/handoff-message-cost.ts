/**
 * What the cross-process hand-off costs in our processes (step 45 in docs/benchmarks.md): packing
 * a transaction's deliveries into NOTIFY messages (the producer) and reading them back (the
 * worker), per delivery, for 1 and 10 endpoints. No database: the messages' JS cost only.
 *
 *   node --import tsx bench/handoff-message-cost.ts
 */
// @ts-expect-error pg ships no types for its internal utils; prepareValue is what it runs on every parameter.
import pgUtils from 'pg/lib/utils.js';
import { eventPayload } from '../src/core/event-payload.js';
import { newId } from '../src/core/ids.js';
import type { EndpointsTable, EventsTable } from '../src/db/schema.js';
import { packMessages, readMessage } from '../src/delivery/remote-handoff.js';
import { newDelivery } from '../src/services/deliveries-queue.js';

const EVENTS = 100;
const ROUNDS = 2_000;

function endpoint(i: number): EndpointsTable {
  const now = Date.now();
  return {
    id: newId('ep'), account_id: 'acct_bench', url: `http://127.0.0.1:4000/ep/${i}`, description: '', event_types: '["check.completed"]',
    include_testing: 0, ordered: 0, rate_limit_per_second: null, disabled: 0, disabled_reason: null, disabled_at: null,
    failing_since: null, deleted_at: null, created_at: now, updated_at: now,
  };
}

function measure(endpointCount: number): void {
  const now = Date.now();
  const endpoints = Array.from({ length: endpointCount }, (_, i) => endpoint(i));
  const events: EventsTable[] = Array.from({ length: EVENTS }, () => {
    const checkId = newId('chk');
    return { id: newId('evt'), account_id: 'acct_bench', type: 'check.completed', check_id: checkId, testing: 0, payload: eventPayload('check.completed', new Date(now), { id: checkId, testing: false }), created_at: now };
  });
  const deliveries = events.flatMap((e) => endpoints.map((ep) => newDelivery(ep, e, now, 'scheduled')));
  const lease = { owner: 'host:1:bench', expiresAt: now + 60_000 };
  const endpointsById = new Map(endpoints.map((ep) => [ep.id, ep]));
  const payloads = new Map(events.map((e) => [e.id, e.payload]));

  let messages: string[] = [];
  let started = performance.now();
  for (let i = 0; i < ROUNDS; i++) messages = packMessages(deliveries, endpointsById, payloads, lease).messages;
  const packUs = ((performance.now() - started) * 1000) / (ROUNDS * deliveries.length);
  started = performance.now();
  let read = 0;
  for (let i = 0; i < ROUNDS; i++) for (const message of messages) read += readMessage(message)!.length;
  const readUs = ((performance.now() - started) * 1000) / read;
  // What sending the messages as the elements of one text[] parameter would add: pg escapes every
  // quote and backslash in them, which is why the outbox passes each as a parameter of its own.
  started = performance.now();
  for (let i = 0; i < ROUNDS; i++) pgUtils.prepareValue(messages);
  const arrayUs = ((performance.now() - started) * 1000) / (ROUNDS * deliveries.length);
  const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m), 0);
  console.log(`${endpointCount} endpoint(s): ${deliveries.length} deliveries in ${messages.length} messages, ${Math.round(bytes / deliveries.length)} bytes a delivery; pack ${packUs.toFixed(2)} µs, read ${readUs.toFixed(2)} µs a delivery (as one text[] parameter, pg's escaping would add ${arrayUs.toFixed(2)} µs)`);
}

measure(1);
measure(10);
