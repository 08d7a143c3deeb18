import type { RealIdEvent } from '@realid/webhooks';

// Deliveries are at least once: the same event can arrive again (a retry after a timeout, a
// manual resend). A real app records webhook-id under a unique index in the same transaction as
// its side effects; a Set keeps this example self-contained.
const handledWebhookIds = new Set<string>();

/**
 * Your business logic, called with an event that is verified. Prints one JSON line per event, so
 * you can watch deliveries arrive (and the tests can read them).
 */
export function onVerifiedEvent(event: RealIdEvent, webhookId: string | undefined): void {
  if (webhookId !== undefined && handledWebhookIds.has(webhookId)) {
    console.log(JSON.stringify({ duplicate: event.event, webhook_id: webhookId }));
    return;
  }
  if (webhookId !== undefined) handledWebhookIds.add(webhookId);
  // Branch on event.event here (check.completed: release the order; customer.data_deletion_request:
  // erase as the controller); TypeScript narrows the event, e.g. check.step exists only on check events.
  console.log(JSON.stringify({ verified: event.event, check: event.check.id, testing: event.check.testing, webhook_id: webhookId }));
}

/** One JSON line per rejected request, with the reason the SDK gave. */
export function logRejection(reason: string, message: string): void {
  console.log(JSON.stringify({ rejected: reason, message }));
}
