import { lastOutcomeTimes, recentAttemptOutcomes } from '../db/repos/attempts.js';
import type { Queryable } from '../db/database.js';
import type { EndpointsTable } from '../db/schema.js';

const DAY_MS = 86_400_000;

export interface EndpointHealth {
  /** Share of successful attempts over the last 24 h (at most the last 100); null with no attempts. */
  success_rate: number | null;
  attempts_considered: number;
  last_success_at: number | null;
  last_failure_at: number | null;
  failing_since: number | null;
  disabled_reason: string | null;
}

/** How an endpoint is doing, as the dashboard shows it beside the endpoint. */
export async function endpointHealth(q: Queryable, endpoint: EndpointsTable, now = Date.now()): Promise<EndpointHealth> {
  const [recent, last] = await Promise.all([recentAttemptOutcomes(q, endpoint.id, now - DAY_MS), lastOutcomeTimes(q, endpoint.id)]);
  const successes = recent.filter((r) => r.succeeded === 1).length;
  return {
    success_rate: recent.length === 0 ? null : Math.round((successes / recent.length) * 1000) / 1000,
    attempts_considered: recent.length,
    last_success_at: last.lastSuccessAt,
    last_failure_at: last.lastFailureAt,
    failing_since: endpoint.failing_since,
    disabled_reason: endpoint.disabled_reason,
  };
}
