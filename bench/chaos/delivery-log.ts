import type { Api } from './api.js';

/** The delivery log as the API shows it (GET /api/v1/deliveries, /deliveries/:id). */
export interface DeliverySummary {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: 'pending' | 'sending' | 'succeeded' | 'failed';
  attempt_count: number;
}

export interface AttemptView {
  attempt_number: number;
  started_at: string;
  duration_ms: number;
  succeeded: boolean;
  error_kind: string | null;
  response: { status: number; body: string } | null;
}

export interface DeliveryDetail extends DeliverySummary {
  attempts: AttemptView[];
}

/** Every delivery of one endpoint (newest first), page by page. */
export async function deliveriesOf(api: Api, endpointId: string): Promise<DeliverySummary[]> {
  const all: DeliverySummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query: string = `?endpoint_id=${endpointId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const answer: { data: DeliverySummary[]; next_cursor: string | null } = await api.ok('GET', `/api/v1/deliveries${query}`);
    all.push(...answer.data);
    cursor = answer.next_cursor;
    if (!cursor) return all;
  }
  throw new Error(`endpoint ${endpointId} has more than 100,000 deliveries: the listing was cut short`);
}

export async function deliveryDetail(api: Api, id: string): Promise<DeliveryDetail> {
  const detail = await api.ok<DeliveryDetail>('GET', `/api/v1/deliveries/${id}`);
  detail.attempts.sort((a, b) => a.attempt_number - b.attempt_number);
  return detail;
}

/** Deliveries still open (pending or being sent) across the account, counted up to `cap`. */
export async function openDeliveries(api: Api, cap = 100): Promise<number> {
  const [pending, sending] = await Promise.all(['pending', 'sending'].map((status) =>
    api.ok<{ data: unknown[] }>('GET', `/api/v1/deliveries?status=${status}&limit=${cap}`)));
  return pending!.data.length + sending!.data.length;
}

/**
 * Why deliveries to an endpoint needed more than one attempt: the failed attempts' error kinds,
 * read from up to `cap` such deliveries. On a healthy receiver this explains its duplicates
 * (e.g. `timeout`: the receiver answered 2xx, but later than the attempt timeout as the
 * service saw it, so it was sent again — at least once, as documented).
 */
export async function retryCauses(api: Api, endpointId: string, cap = 50): Promise<Record<string, number>> {
  const retried = (await deliveriesOf(api, endpointId)).filter((d) => d.attempt_count > 1).slice(0, cap);
  const causes: Record<string, number> = {};
  for (const delivery of retried) {
    for (const attempt of (await deliveryDetail(api, delivery.id)).attempts) {
      if (!attempt.succeeded) causes[attempt.error_kind ?? 'other'] = (causes[attempt.error_kind ?? 'other'] ?? 0) + 1;
    }
  }
  return causes;
}
