import { setTimeout as sleep } from 'node:timers/promises';
import { listAllEvents, type Api, type EventSummary } from './api.js';
import { retryCauses } from './delivery-log.js';
import type { LoadTally } from './producer.js';
import type { ChaosReceiver } from './receivers.js';

/**
 * The end-of-scenario reckoning: which events the API acknowledged, which the event log holds,
 * and which of those reached the receiver, read through the public API as a merchant could.
 */
export interface DeliveryAudit {
  /** Events the event log holds for the account. */
  events: number;
  /** Events the producer was told about (201/200) — a subset of `events` unless an ack was lost. */
  acknowledged: number;
  /** Acknowledged calls whose event is missing from the log: a committed write that was lost. */
  acknowledgedButMissing: number;
  /** Events in the log the receiver never got (correctly signed). Must be 0. */
  lost: number;
  /** Signed requests for a webhook-id the receiver had already answered 2xx. */
  duplicates: number;
  badSignatures: number;
  /** When there were duplicates: why deliveries needed a second attempt (failed attempts by error kind). */
  retryCauses: Record<string, number>;
  /** How long after the load stopped the last event arrived, in ms. */
  drainMs: number;
}

function acknowledgedEvents(tally: LoadTally, events: EventSummary[]): { found: number; missing: number } {
  const byCheck = new Map<string, Set<string>>();
  for (const event of events) {
    const types = byCheck.get(event.check_id) ?? new Set<string>();
    types.add(event.type);
    byCheck.set(event.check_id, types);
  }
  let found = 0;
  let missing = 0;
  const expect = (checkId: string, types: string[]) => {
    for (const type of types) {
      if (byCheck.get(checkId)?.has(type)) found++;
      else missing++;
    }
  };
  for (const id of tally.created) expect(id, ['check.delivered']);
  for (const id of tally.completed) expect(id, ['check.submitted-photo', 'check.completed']);
  return { found, missing };
}

/** Waits (bounded) until the receiver has every event of the log, then counts. */
export async function auditDeliveries(api: Api, tally: LoadTally, receiver: ChaosReceiver, endpointId: string, timeoutMs: number): Promise<DeliveryAudit> {
  const loadEnded = Date.now();
  const events = await listAllEvents(api);
  const deadline = Date.now() + timeoutMs;
  const missingNow = () => events.filter((event) => !receiver.firstArrivals.has(event.id));
  while (missingNow().length > 0 && Date.now() < deadline) await sleep(100);
  const lastArrival = events.reduce((latest, event) => Math.max(latest, receiver.firstArrivals.get(event.id) ?? 0), loadEnded);
  const acknowledged = acknowledgedEvents(tally, events);
  const counts = receiver.counts();
  return {
    events: events.length,
    acknowledged: acknowledged.found,
    acknowledgedButMissing: acknowledged.missing,
    lost: missingNow().length,
    duplicates: counts.duplicatesAfterSuccess,
    badSignatures: counts.badSignatures,
    retryCauses: counts.duplicatesAfterSuccess > 0 ? await retryCauses(api, endpointId) : {},
    drainMs: lastArrival - loadEnded,
  };
}
