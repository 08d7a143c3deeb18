import { newId } from '../core/ids.js';
import type { DeliveriesTable, EndpointsTable, EventsTable } from '../db/schema.js';

/**
 * A new delivery of an event to one endpoint, due now. Ordered endpoints get an order_key per
 * check, so the claim query holds a check's later events back until earlier ones are done.
 */
export function newDelivery(endpoint: EndpointsTable, event: Pick<EventsTable, 'id' | 'account_id' | 'check_id'>, now: number,
  trigger: 'scheduled' | 'manual', id: string = newId('msg', now)): DeliveriesTable {
  return {
    id,
    account_id: event.account_id,
    endpoint_id: endpoint.id,
    event_id: event.id,
    check_id: event.check_id,
    order_key: endpoint.ordered ? `${endpoint.id}:${event.check_id}` : null,
    status: 'pending',
    attempt_count: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_expires_at: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
    retry_base: 0,
    next_trigger: trigger,
  };
}
