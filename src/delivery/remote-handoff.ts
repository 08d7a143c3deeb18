import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';
import { newDelivery } from '../services/deliveries-queue.js';
import type { HandedOff } from './local-handoff.js';

/** Where worker processes say who they are and how much more they can take. */
export const WORKERS_CHANNEL = 'realid_workers';

/** How often a worker says so at least, while it runs (and at most every ANNOUNCE_MIN_MS when its room changes). */
export const ANNOUNCE_EVERY_MS = 250;
export const ANNOUNCE_MIN_MS = 50;
/** A worker not heard from for this long is taken to be gone: nothing more is handed to it. */
export const WORKER_STALE_MS = 1_000;
/** A worker silent for this long is forgotten altogether. */
const FORGET_AFTER_MS = 60_000;
/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_MESSAGE_BYTES = 7_900;

/** What a worker process announces on WORKERS_CHANNEL. */
export interface WorkerAnnouncement {
  owner: string;
  /** The channel it listens on for deliveries handed to it. */
  channel: string;
  /** How many more deliveries it takes in all; 0 with `bye` when it stops. */
  room: number;
  /** How many more of one endpoint it takes, for an endpoint not in `rooms`. */
  per: number;
  /** Its room for the endpoints it holds work of, where that differs from `per`. */
  rooms: Record<string, number>;
  /** Its lease, which producers write on what they hand it. */
  leaseMs: number;
  bye?: boolean;
}

/**
 * One NOTIFY's worth of handed-over deliveries (built by packMessages). Only fresh deliveries are
 * handed over (pending, never attempted, not ordered), so a row is rebuilt from its ids and
 * creation time and the lease the message names: a few dozen bytes instead of its whole row.
 */
interface HandoffMessage {
  owner: string;
  leaseExpiresAt: number;
  /** [id, event id, endpoint id, created at] */
  deliveries: Array<[string, string, string, number]>;
  endpoints: Record<string, EndpointsTable>;
  /** event id → [check id, payload] */
  events: Record<string, [string, string]>;
}

/** A worker as a producer last heard of it, less what this producer has handed it since. */
interface KnownWorker {
  announcement: WorkerAnnouncement;
  heardAt: number;
  room: number;
  roomOf: Map<string, number>;
}

/** Deliveries leased to one worker and the messages (NOTIFY payloads) that carry them to it. */
export interface RemoteHandoff {
  channel: string;
  messages: string[];
  deliveries: DeliveriesTable[];
}

/**
 * The cross-process fast path of the outbox, on PostgreSQL. Worker processes announce themselves
 * and their room a few times a second (WORKERS_CHANNEL); a process that records events writes the
 * new deliveries already leased to a worker with room and, in the same transaction, NOTIFYs that
 * worker's own channel with the rows, their endpoints and their payloads. PostgreSQL delivers the
 * NOTIFY only if the transaction commits, so the worker sends them with no claim query, no lease
 * update and no read of the payload — the work that made a worker in its own process cost half as
 * much again as one in the API's (docs/benchmarks.md).
 *
 * Durability is the claim's: the lease commits with the event, so if the worker is gone, or the
 * message never reaches it (its listening connection dropped in the second before producers
 * noticed it was silent), the lease runs out and any worker claims the delivery. Ordered
 * deliveries never take this path, as with LocalHandoff. Room is what the worker last announced,
 * less what this producer handed it since; several producers may together overfill it by what
 * each hands over in one announcement's interval, which the worker holds (a delivery that waits
 * until its lease is nearly out is handed back, not sent).
 */
export class WorkerDirectory {
  private readonly workers = new Map<string, KnownWorker>();
  private sweptAt = 0;

  /** Takes in a worker's announcement (a NOTIFY payload on WORKERS_CHANNEL). */
  heard(payload: string, now = Date.now()): void {
    // A worker killed without a goodbye is never heard again: forget it after a while, so an API
    // process that outlives many worker restarts does not keep them all.
    if (now - this.sweptAt > FORGET_AFTER_MS) {
      this.sweptAt = now;
      for (const [owner, worker] of this.workers) if (now - worker.heardAt > FORGET_AFTER_MS) this.workers.delete(owner);
    }
    let announcement: WorkerAnnouncement;
    try {
      announcement = JSON.parse(payload) as WorkerAnnouncement;
    } catch {
      return;
    }
    if (typeof announcement.owner !== 'string' || typeof announcement.channel !== 'string' || !(announcement.leaseMs > 0)) return;
    if (announcement.bye) {
      this.workers.delete(announcement.owner);
      return;
    }
    this.workers.set(announcement.owner, {
      announcement, heardAt: now, room: Math.max(0, announcement.room), roomOf: new Map(Object.entries(announcement.rooms ?? {})),
    });
  }

  /** Every worker heard from in the last FORGET_AFTER_MS that has not said goodbye, live or silent. */
  known(): string[] {
    return [...this.workers.keys()];
  }

  /** Workers heard from lately, for tests and the logs. */
  live(now = Date.now()): string[] {
    return [...this.workers.values()].filter((w) => now - w.heardAt <= WORKER_STALE_MS).map((w) => w.announcement.owner);
  }

  /**
   * Marks (in place) as leased the new deliveries that live workers other than `except` have room
   * for, and returns them grouped by worker with their messages. A delivery whose row, endpoint and
   * payload do not fit one message stays for a claim. The maps are built only when some worker has room.
   */
  lease(deliveries: DeliveriesTable[], endpointsOf: () => ReadonlyMap<string, EndpointsTable>, payloadsOf: () => ReadonlyMap<string, string>,
    now: number, except: string | null): RemoteHandoff[] {
    const candidates = [...this.workers.values()].filter((w) => w.announcement.owner !== except && now - w.heardAt <= WORKER_STALE_MS && w.room > 0);
    if (candidates.length === 0) return [];
    const byWorker = new Map<KnownWorker, DeliveriesTable[]>();
    for (const delivery of deliveries) {
      if (!isFresh(delivery) || delivery.lease_owner !== null || delivery.next_attempt_at > now) continue;
      // The worker with the most room left: spreads a burst over the workers as they can take it.
      let best: KnownWorker | null = null;
      for (const worker of candidates) {
        if (worker.room > 0 && this.roomFor(worker, delivery.endpoint_id) > 0 && (!best || worker.room > best.room)) best = worker;
      }
      if (!best) continue;
      best.room -= 1;
      best.roomOf.set(delivery.endpoint_id, this.roomFor(best, delivery.endpoint_id) - 1);
      const list = byWorker.get(best) ?? [];
      list.push(delivery);
      byWorker.set(best, list);
    }
    if (byWorker.size === 0) return [];
    const endpoints = endpointsOf();
    const payloads = payloadsOf();
    const handed: RemoteHandoff[] = [];
    for (const [worker, list] of byWorker) {
      const lease = { owner: worker.announcement.owner, expiresAt: now + worker.announcement.leaseMs };
      const { messages, carried } = packMessages(list, endpoints, payloads, lease);
      for (const delivery of carried) {
        delivery.lease_owner = lease.owner;
        delivery.lease_expires_at = lease.expiresAt;
        // As LocalHandoff: out of the claim query's way while it is held (it is inserted, so this costs no index more).
        delivery.next_attempt_at = lease.expiresAt;
      }
      worker.room += list.length - carried.length;
      if (carried.length > 0) handed.push({ channel: worker.announcement.channel, messages, deliveries: carried });
    }
    return handed;
  }

  private roomFor(worker: KnownWorker, endpointId: string): number {
    return worker.roomOf.get(endpointId) ?? worker.announcement.per;
  }
}

/** The lease a producer writes on what it hands one worker. */
export interface HandoffLease {
  owner: string;
  expiresAt: number;
}

/**
 * Packs deliveries for one worker, under `lease`, into NOTIFY payloads under PostgreSQL's limit;
 * returns the ones that fit. Each endpoint and payload is turned into JSON once and a message is
 * assembled from the pieces, so packing costs the same per delivery however large the transaction.
 */
export function packMessages(deliveries: readonly DeliveriesTable[], endpoints: ReadonlyMap<string, EndpointsTable>, payloads: ReadonlyMap<string, string>,
  lease: HandoffLease): { messages: string[]; carried: DeliveriesTable[] } {
  const messages: string[] = [];
  const carried: DeliveriesTable[] = [];
  // Each piece as `"id":json`, with its size in bytes.
  const endpointPieces = new Map<string, Piece>();
  const eventPieces = new Map<string, Piece>();
  let rows: string[] = [];
  let endpointsIn = new Set<Piece>();
  let eventsIn = new Set<Piece>();
  const head = `{"owner":${JSON.stringify(lease.owner)},"leaseExpiresAt":${lease.expiresAt},`;
  const room = MAX_MESSAGE_BYTES - head.length - MESSAGE_FRAME_BYTES;
  let bytes = 0;
  const close = () => {
    if (rows.length === 0) return;
    const entries = (pieces: Set<Piece>) => [...pieces].map((piece) => piece.text).join(',');
    messages.push(`${head}"deliveries":[${rows.join(',')}],"endpoints":{${entries(endpointsIn)}},"events":{${entries(eventsIn)}}}`);
    rows = [];
    endpointsIn = new Set();
    eventsIn = new Set();
    bytes = 0;
  };
  for (const delivery of deliveries) {
    const endpoint = endpoints.get(delivery.endpoint_id);
    const payload = payloads.get(delivery.event_id);
    if (!endpoint || payload === undefined || !isFresh(delivery)) continue;
    // Ids are ASCII (core/ids.ts), so a row's length is its size.
    const row = `["${delivery.id}","${delivery.event_id}","${delivery.endpoint_id}",${delivery.created_at}]`;
    const endpointPiece = pieceOf(endpointPieces, endpoint.id, endpoint);
    const eventPiece = pieceOf(eventPieces, delivery.event_id, [delivery.check_id, payload]);
    let added = row.length + 1 + (endpointsIn.has(endpointPiece) ? 0 : endpointPiece.bytes) + (eventsIn.has(eventPiece) ? 0 : eventPiece.bytes);
    if (rows.length > 0 && bytes + added > room) {
      close();
      added = row.length + 1 + endpointPiece.bytes + eventPiece.bytes;
    }
    if (added > room) continue;
    rows.push(row);
    endpointsIn.add(endpointPiece);
    eventsIn.add(eventPiece);
    bytes += added;
    carried.push(delivery);
  }
  close();
  return { messages, carried };
}

interface Piece {
  text: string;
  /** With the comma that separates it from the next. */
  bytes: number;
}

function pieceOf(pieces: Map<string, Piece>, id: string, value: unknown): Piece {
  let piece = pieces.get(id);
  if (!piece) {
    const text = `"${id}":${JSON.stringify(value)}`;
    piece = { text, bytes: Buffer.byteLength(text) + 1 };
    pieces.set(id, piece);
  }
  return piece;
}

/** `"deliveries":[],"endpoints":{},"events":{}}` */
const MESSAGE_FRAME_BYTES = 45;

/** What a hand-off carries only the ids of: a delivery as the outbox creates it, never attempted. */
function isFresh(delivery: DeliveriesTable): boolean {
  const { retry_base: retryBase, next_trigger: trigger } = delivery as DeliveriesTable & { retry_base?: number; next_trigger?: string };
  return delivery.status === 'pending' && delivery.order_key === null && delivery.attempt_count === 0
    && (retryBase ?? 0) === 0 && (trigger ?? 'scheduled') === 'scheduled';
}

/** The worker's side: a message back into the deliveries it carries (null if it is not one). */
export function readMessage(text: string): HandedOff[] | null {
  let message: HandoffMessage;
  try {
    message = JSON.parse(text) as HandoffMessage;
  } catch {
    return null;
  }
  if (!Array.isArray(message.deliveries)) return null;
  const handed: HandedOff[] = [];
  for (const [id, eventId, endpointId, createdAt] of message.deliveries) {
    const endpoint = message.endpoints[endpointId];
    const event = message.events[eventId];
    if (!endpoint || !event) return null;
    // The row as the producer's outbox made it (only fresh ones travel), under the message's lease.
    const made = newDelivery(endpoint, { id: eventId, account_id: endpoint.account_id, check_id: event[0] }, createdAt, 'scheduled', id);
    const delivery = { ...made, lease_owner: message.owner, lease_expires_at: message.leaseExpiresAt, next_attempt_at: message.leaseExpiresAt };
    handed.push({ delivery, endpoint, payload: event[1] });
  }
  return handed;
}
