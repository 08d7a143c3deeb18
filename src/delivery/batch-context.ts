import type { Queryable } from '../db/database.js';
import { inIdList } from '../db/id-list.js';
import { findEndpointsByIds } from '../db/repos/endpoints.js';
import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';
import type { SecretSource } from './signing-secrets.js';

/** Everything needed to send a claimed batch, read with a few queries for the whole batch. */
export interface BatchContext {
  payloads: Map<string, string>;
  endpoints: Map<string, EndpointsTable>;
  secrets: Map<string, string[]>;
}

export async function loadBatchContext(q: Queryable, deliveries: DeliveriesTable[], signingSecrets: SecretSource, now: number): Promise<BatchContext> {
  const unique = (values: string[]) => [...new Set(values)];
  const eventIds = unique(deliveries.map((d) => d.event_id));
  const [events, endpoints, secrets] = await Promise.all([
    q.selectFrom('events').select(['id', 'payload']).where(inIdList(q, 'id', eventIds)).execute(),
    findEndpointsByIds(q, unique(deliveries.map((d) => d.endpoint_id))),
    signingSecrets.secretsFor(q, unique(deliveries.map((d) => d.account_id)), now),
  ]);
  return {
    payloads: new Map(events.map((e) => [e.id, e.payload])),
    endpoints: new Map(endpoints.map((e) => [e.id, e])),
    secrets,
  };
}
