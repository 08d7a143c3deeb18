import { eventPayload } from '../src/core/event-payload.js';
import { newId } from '../src/core/ids.js';
import { signatureHeaders } from '../src/core/signing.js';

/**
 * A webhook request shaped like ours — the exact payload bytes, both signatures computed for this
 * request — for the clients that are not our engine (the ceiling and the peer queue), so that every
 * row of the table pays for the same work per request.
 */
export interface WebhookRequest {
  eventId: string;
  body: string;
  headers: Record<string, string>;
}

export function newEventBody(now = Date.now()): { eventId: string; body: string } {
  return {
    eventId: newId('evt', now),
    body: eventPayload('check.completed', new Date(now), { id: newId('chk', now), testing: false }),
  };
}

export function signedRequest(eventId: string, body: string, secret: string, now = Date.now()): WebhookRequest {
  return {
    eventId,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'RealID-Webhooks/bench',
      ...signatureHeaders({ eventId, timestampSeconds: Math.floor(now / 1000), body, secrets: [secret] }),
    },
  };
}
