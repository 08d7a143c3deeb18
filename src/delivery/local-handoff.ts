import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';

/** A new delivery given straight to this process's worker, with what it needs to be sent. */
export interface HandedOff {
  delivery: DeliveriesTable;
  endpoint: EndpointsTable;
  payload: string;
}

/** The worker's side: who it is, how long its leases last, how much it can take, and where to put it. */
export interface HandoffReceiver {
  readonly owner: string;
  readonly leaseMs: number;
  /** How many more deliveries of this endpoint the worker can hold right now. */
  room(endpointId: string): number;
  /** Called after the commit with the deliveries that were written already leased to `owner`. */
  accept(handed: HandedOff[]): void;
}

/**
 * The in-process fast path of the outbox. A delivery created in a process that also runs a
 * delivery worker is written already leased to that worker (when it has room) and given to it
 * after the commit, so it needs no wake-up, no claim query and no second read of its event and
 * endpoint. Durability is unchanged: the lease is in the same transaction as the event, so if
 * this process dies the lease runs out and any worker takes the delivery, as after a claim.
 * Ordered deliveries never take this path: only the claim query can hold a check's later event
 * back until the earlier one is done. Its next_attempt_at is the lease's end (it is inserted, so
 * that costs no index more), which keeps it out of the claim query's way while it is held.
 */
export class LocalHandoff {
  private receiver: HandoffReceiver | null = null;

  attach(receiver: HandoffReceiver): void {
    this.receiver = receiver;
  }

  /** The worker deliveries are handed to in this process, if any. */
  get owner(): string | null {
    return this.receiver?.owner ?? null;
  }

  detach(receiver: HandoffReceiver): void {
    if (this.receiver === receiver) this.receiver = null;
  }

  /** Marks (in place) the new deliveries the local worker has room for as leased to it, and returns them. */
  lease(deliveries: DeliveriesTable[], now: number): DeliveriesTable[] {
    const receiver = this.receiver;
    if (!receiver) return [];
    const taken: DeliveriesTable[] = [];
    const roomOf = new Map<string, number>();
    const until = now + receiver.leaseMs;
    for (const delivery of deliveries) {
      if (delivery.order_key !== null || delivery.status !== 'pending' || delivery.next_attempt_at > now) continue;
      const room = roomOf.get(delivery.endpoint_id) ?? receiver.room(delivery.endpoint_id);
      if (room <= 0) {
        roomOf.set(delivery.endpoint_id, 0);
        continue;
      }
      roomOf.set(delivery.endpoint_id, room - 1);
      delivery.lease_owner = receiver.owner;
      delivery.lease_expires_at = until;
      delivery.next_attempt_at = until;
      taken.push(delivery);
    }
    return taken;
  }

  /** After the commit: hands the leased deliveries to the worker they were leased to (if it is still here). */
  give(handed: HandedOff[]): boolean {
    const receiver = this.receiver;
    if (!receiver || handed.length === 0 || handed[0]!.delivery.lease_owner !== receiver.owner) return false;
    receiver.accept(handed);
    return true;
  }
}
