import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { AppContext } from '../context.js';
import { signatureHeaders } from '../core/signing.js';
import { nextDueAfter, releaseLeases } from '../db/repos/deliveries.js';
import type { DeliveriesTable, EndpointsTable } from '../db/schema.js';
import { attemptResult, type AttemptResult } from './attempt-result.js';
import { loadBatchContext } from './batch-context.js';
import { claimDueDeliveries } from './claim.js';
import { createEgress } from './egress.js';
import { EndpointRateLimiter } from './rate-limiter.js';
import { recordAttempts } from './record-attempts.js';
import { sendWebhook, type AttemptOutcome } from './sender.js';
import { createSecretSource } from './signing-secrets.js';
import { USER_AGENT } from './user-agent.js';

/** At most this many deliveries per claim query: large enough to amortise it, small enough to stay fair. */
const MAX_BATCH = 200;

export interface DeliveryWorker {
  readonly owner: string;
  start(): void;
  /** Stops claiming, lets in-flight attempts finish (then aborts and hands back the stragglers). */
  stop(): Promise<void>;
}

/**
 * The dispatcher: claims due deliveries in batches under a lease, sends them concurrently (never
 * more than `perEndpointConcurrency` at once to one endpoint, so a slow receiver only slows
 * itself), and records finished attempts in batches. It wakes on commit (ctx.wakeups), on the
 * next retry's due time, and on a slow poll as a safety net.
 */
export function createDeliveryWorker(ctx: AppContext): DeliveryWorker {
  const settings = ctx.config.delivery;
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const egress = createEgress(settings);
  const secretsFor = createSecretSource(ctx.box);
  const limiter = new EndpointRateLimiter();
  const rateOf = new Map<string, number | null>();
  const inflight = new Map<string, number>();
  let inflightTotal = 0;
  const finished: Array<{ delivery: DeliveriesTable; result: AttemptResult | null }> = [];
  const stopSignal = new AbortController();
  let stopping = false;
  let pumping = false;
  let pumpAgain = false;
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let unsubscribe: (() => void) | null = null;
  const idleWaiters: Array<() => void> = [];

  const capacityOf = (endpointId: string, now: number): number =>
    Math.min(settings.perEndpointConcurrency - (inflight.get(endpointId) ?? 0), limiter.available(endpointId, rateOf.get(endpointId) ?? null, now));

  const wakeAt = (at: number): void => {
    if (stopping || (timer && timerAt <= at)) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => { timer = null; timerAt = Number.POSITIVE_INFINITY; void pump(); }, Math.max(0, at - Date.now()));
  };

  const armNextWake = async (): Promise<void> => {
    let at = Date.now() + settings.pollIntervalMs;
    try {
      const next = await nextDueAfter(ctx.db.kysely, Date.now());
      if (next !== null) at = Math.min(at, next);
    } catch (error) {
      ctx.log.warn({ err: error }, 'could not read the next due delivery; polling');
    }
    wakeAt(at);
  };

  const settle = (delivery: DeliveriesTable, result: AttemptResult | null): void => {
    finished.push({ delivery, result });
    flushing ??= flush();
  };

  const flush = async (): Promise<void> => {
    // Let attempts finishing in the same turn join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (finished.length > 0) {
      const batch = finished.splice(0);
      const results = batch.flatMap((f) => (f.result ? [f.result] : []));
      const unsent = batch.filter((f) => !f.result).map((f) => f.delivery.id);
      try {
        await recordAttempts(ctx, owner, results);
        await releaseLeases(ctx.db.kysely, owner, unsent, Date.now(), Date.now());
      } catch (error) {
        // Not recorded: the lease runs out and the delivery is sent again (at least once, never lost).
        ctx.log.error({ err: error, count: batch.length }, 'could not record delivery attempts');
      }
      for (const { delivery, result } of batch) {
        const left = (inflight.get(delivery.endpoint_id) ?? 1) - 1;
        if (left <= 0) inflight.delete(delivery.endpoint_id);
        else inflight.set(delivery.endpoint_id, left);
        inflightTotal--;
        if (result?.update.status === 'pending') wakeAt(result.update.next_attempt_at);
      }
    }
    flushing = null;
    if (inflightTotal === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
    void pump();
  };

  const observe = (outcome: AttemptOutcome): void => {
    ctx.metrics.deliveryAttempts.inc({ outcome: outcome.succeeded ? 'success' : outcome.errorKind ?? 'other' });
    ctx.metrics.deliveryLatency.observe(outcome.durationMs / 1000);
  };

  const startOne = (delivery: DeliveriesTable, endpoint: EndpointsTable, payload: string, secrets: string[]): void => {
    inflight.set(endpoint.id, (inflight.get(endpoint.id) ?? 0) + 1);
    inflightTotal++;
    if (delivery.attempt_count === 0) ctx.metrics.deliveryLag.observe(Math.max(0, Date.now() - delivery.created_at) / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    void (async () => {
      let outcome: AttemptOutcome;
      try {
        Object.assign(headers, signatureHeaders({ eventId: delivery.event_id, timestampSeconds: Math.floor(Date.now() / 1000), body: payload, secrets }));
        outcome = await sendWebhook(egress, { url: endpoint.url, headers, body: payload, timeoutMs: settings.attemptTimeoutMs, signal: stopSignal.signal });
      } catch (error) {
        outcome = { succeeded: false, statusCode: null, responseHeaders: null, responseBody: null, errorKind: 'other', errorMessage: (error as Error).message, startedAt: Date.now(), durationMs: 0, retryAfter: null };
      }
      if (stopSignal.signal.aborted && !outcome.succeeded) return settle(delivery, null);
      observe(outcome);
      settle(delivery, attemptResult(delivery, outcome, { url: endpoint.url, headers }, settings));
    })();
  };

  const dispatch = async (claimed: DeliveriesTable[]): Promise<void> => {
    const now = Date.now();
    if (stopping) return releaseLeases(ctx.db.kysely, owner, claimed.map((d) => d.id), now, now);
    const context = await loadBatchContext(ctx.db.kysely, claimed, secretsFor, now);
    const later = new Map<number, string[]>();
    for (const delivery of claimed) {
      const endpoint = context.endpoints.get(delivery.endpoint_id)!;
      rateOf.set(endpoint.id, endpoint.rate_limit_per_second);
      if (limiter.available(endpoint.id, endpoint.rate_limit_per_second, now) < 1) {
        const at = now + limiter.waitMs(endpoint.id, endpoint.rate_limit_per_second, now);
        later.set(at, [...(later.get(at) ?? []), delivery.id]);
        continue;
      }
      limiter.take(endpoint.id, endpoint.rate_limit_per_second, now);
      startOne(delivery, endpoint, context.payloads.get(delivery.event_id)!, context.secrets.get(delivery.account_id) ?? []);
    }
    for (const [at, ids] of later) await releaseLeases(ctx.db.kysely, owner, ids, at, now);
  };

  const pump = async (): Promise<void> => {
    if (stopping) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        const room = settings.concurrency - inflightTotal;
        if (room <= 0) break;
        const now = Date.now();
        const limit = Math.min(room, MAX_BATCH);
        const known = new Set([...inflight.keys(), ...rateOf.keys()]);
        const saturated = [...known].filter((id) => capacityOf(id, now) <= 0);
        const claimed = await claimDueDeliveries(ctx.db, {
          owner, now, leaseMs: settings.leaseMs, limit, saturated, capacityOf: (id) => capacityOf(id, now),
        });
        if (claimed.length > 0) await dispatch(claimed);
        if (claimed.length === limit) pumpAgain = true;
      } while (pumpAgain && !stopping);
    } catch (error) {
      ctx.log.error({ err: error }, 'claiming deliveries failed; retrying at the next wake-up');
    } finally {
      pumping = false;
    }
    await armNextWake();
  };

  return {
    owner,
    start() {
      unsubscribe = ctx.wakeups.onWake(() => void pump());
      void pump();
    },
    async stop() {
      stopping = true;
      unsubscribe?.();
      if (timer) clearTimeout(timer);
      const idle = () => (inflightTotal === 0 && !flushing ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));
      const grace = new Promise((resolve) => setTimeout(resolve, Math.min(settings.attemptTimeoutMs, 10_000)).unref());
      await Promise.race([idle(), grace]);
      stopSignal.abort();
      await Promise.race([idle(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      while (pumping || flushing) await (flushing ?? new Promise((resolve) => setTimeout(resolve, 10)));
      await egress.close();
    },
  };
}
