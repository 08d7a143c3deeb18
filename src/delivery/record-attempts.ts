import type { AppContext } from '../context.js';
import { formatDuration } from '../core/duration.js';
import { inTransaction, type Tx } from '../db/database.js';
import { insertAttempts } from '../db/repos/attempts.js';
import { failOpenDeliveriesOf } from '../db/repos/deliveries.js';
import { markEndpointsFailing, markEndpointsHealthy, updateEndpoint } from '../db/repos/endpoints.js';
import type { AttemptResult } from './attempt-result.js';
import { applyDeliveryUpdatesPostgres, recordSucceededBatchPostgres } from './postgres-record.js';
import { applyDeliveryUpdatesSqlite } from './sqlite-record.js';

/** A delivery's new state after an attempt, keyed by its id. */
export type DeliveryUpdate = AttemptResult['update'];

/** The endpoints with at least one successful attempt in the batch: each ends its run of failures. */
const succeededEndpoints = (results: AttemptResult[]): Set<string> =>
  new Set(results.filter((r) => r.attempt.succeeded).map((r) => r.delivery.endpoint_id));

/**
 * Auto-disable, as Svix and Stripe do it: an endpoint that has failed every delivery for
 * `disableAfterMs` (5 days) is almost certainly gone, and retrying it forever only fills the
 * queue. A single success in that time resets the clock, so a flaky endpoint is never disabled.
 */
async function updateEndpointHealth(ctx: AppContext, tx: Tx, results: AttemptResult[], now: number): Promise<string[]> {
  const succeeded = succeededEndpoints(results);
  const failedFirstAt = new Map<string, number>();
  for (const r of results) {
    if (r.attempt.succeeded || succeeded.has(r.delivery.endpoint_id)) continue;
    failedFirstAt.set(r.delivery.endpoint_id, Math.min(failedFirstAt.get(r.delivery.endpoint_id) ?? now, r.attempt.started_at));
  }
  await markEndpointsHealthy(tx, [...succeeded]);
  if (failedFirstAt.size === 0) return [];
  const since = Math.min(...failedFirstAt.values());
  const { disableAfterMs } = ctx.config.delivery;
  const doomed = await markEndpointsFailing(tx, [...failedFirstAt.keys()], since, now - disableAfterMs);
  for (const endpoint of doomed) {
    const reason = `Every delivery failed for ${formatDuration(disableAfterMs)} (failing since ${new Date(endpoint.failing_since!).toISOString()}); last error: ${results.find((r) => r.delivery.endpoint_id === endpoint.id)?.update.last_error ?? 'unknown'}`;
    await updateEndpoint(tx, endpoint.id, { disabled: 1, disabled_at: now, disabled_reason: reason, updated_at: now });
  }
  const ids = doomed.map((e) => e.id);
  await failOpenDeliveriesOf(tx, ids, 'endpoint disabled after repeated failures', now);
  return ids;
}

/**
 * Writes a batch of finished attempts in one transaction: every attempt row, each delivery's new
 * state (only while this worker still holds the lease, so a worker that lost its lease cannot
 * overwrite the one that took over), and the endpoints' health. On PostgreSQL a batch with no
 * failed attempt has no auto-disable to weigh, so it goes as one statement instead (see
 * recordSucceededBatchPostgres).
 */
export async function recordAttempts(ctx: AppContext, owner: string, results: AttemptResult[]): Promise<void> {
  if (results.length === 0) return;
  if (!ctx.db.sqlite && results.every((r) => r.attempt.succeeded)) {
    return recordSucceededBatchPostgres(ctx.db, owner, results.map((r) => r.attempt), results.map((r) => r.update), [...succeededEndpoints(results)]);
  }
  const now = Date.now();
  const disabled = await inTransaction(ctx.db, async (tx) => {
    await insertAttempts(ctx.db, tx, results.map((r) => r.attempt));
    const updates = results.map((r) => r.update);
    if (ctx.db.sqlite) applyDeliveryUpdatesSqlite(ctx.db, owner, updates);
    else await applyDeliveryUpdatesPostgres(tx, owner, updates);
    return updateEndpointHealth(ctx, tx, results, now);
  });
  for (const id of disabled) ctx.log.warn({ endpointId: id }, 'webhook endpoint disabled after failing every delivery');
}
