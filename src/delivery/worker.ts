import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { AppContext } from '../context.js';
import { findHandedTo, nextDueAfter, releaseLeases } from '../db/repos/deliveries.js';
import type { DeliveriesTable } from '../db/schema.js';
import { attemptResult, type AttemptResult } from './attempt-result.js';
import { loadBatchContext } from './batch-context.js';
import { claimDueDeliveries } from './claim.js';
import { EndpointLanes, HANDED_OFF_HOLD, PREFETCH_FACTOR, SENDER_START_AHEAD, type HoldLimit, type PreparedDelivery } from './endpoint-lanes.js';
import type { HandedOff, HandoffReceiver } from './local-handoff.js';
import { EndpointRateLimiter } from './rate-limiter.js';
import { recordAttempts } from './record-attempts.js';
import type { AttemptOutcome } from './sender.js';
import { USER_AGENT } from './user-agent.js';
import { createWebhookSender } from './webhook-sender.js';
import { WORKER_STALE_MS } from './remote-handoff.js';
import { startAnnouncer, type Announcer, type Room } from './worker-announcer.js';

/** At most this many deliveries per claim query: large enough to amortise it, small enough to stay fair. */
const MAX_BATCH = 500;
/** How many deliveries a worker holds in all (in flight and queued), as a multiple of its concurrency. */
const HELD_TOTAL_FACTOR = 16;
/** The same for what its own process hands over (see HANDED_OFF_HOLD). */
const HANDED_OFF_TOTAL_FACTOR = 4 * HELD_TOTAL_FACTOR;
/**
 * Finished attempts wait this long to be recorded together, so one transaction carries many (a
 * commit costs far more than a row). It delays only the bookkeeping, never a send; a crash in
 * between at worst sends those again (at least once).
 */
const RECORD_DELAY_MS = 10;
/** How many endpoints' rooms an announcement lists at most (others get its `per`); keeps it well inside a NOTIFY. */
const ANNOUNCED_ENDPOINTS = 100;
/** A prefetched delivery is sent only if its lease outlives a whole attempt by this much; else it is handed back. */
const LEASE_MARGIN_MS = 1_000;

export interface DeliveryWorker {
  readonly owner: string;
  start(): void;
  /** Stops claiming, hands back what was prefetched, lets in-flight attempts finish (then aborts the stragglers). */
  stop(): Promise<void>;
}

/** An id no endpoint has: its room is what an endpoint this worker knows nothing of would get. */
const UNKNOWN_ENDPOINT = '';

/** What every attempt sends as it is; the sender adds the signatures when the attempt starts. */
const UNSIGNED_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json', 'user-agent': USER_AGENT });

/**
 * The dispatcher: claims due deliveries in batches under a lease into per-endpoint lanes, sends
 * them (never more than `perEndpointConcurrency` at once to one endpoint, so a slow receiver only
 * slows itself), and records finished attempts in batches. A finished send frees its slot at
 * once; recording happens beside it. It wakes on commit (ctx.wakeups), at the next retry's due
 * time, and on a slow poll as a safety net.
 */
export function createDeliveryWorker(ctx: AppContext): DeliveryWorker {
  const settings = ctx.config.delivery;
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const sender = createWebhookSender(settings, (error) => ctx.log.warn({ err: error }, 'webhooks are sent in process from now on'));
  const limiter = new EndpointRateLimiter();
  const rateOf = new Map<string, number | null>();
  const rateTimers = new Map<string, NodeJS.Timeout>();
  // The sender keeps each endpoint's concurrency itself (LaneSender), so a lane may hand it more
  // (SENDER_START_AHEAD): the next attempt then starts the moment one ends, not when this event loop gets to it.
  const lanes = new EndpointLanes(settings.perEndpointConcurrency, SENDER_START_AHEAD);
  const maxHeldTotal = settings.concurrency * HELD_TOTAL_FACTOR;
  const maxHandedOffTotal = settings.concurrency * HANDED_OFF_TOTAL_FACTOR;
  const finished: AttemptResult[] = [];
  // Attempts by outcome since the last record, added to the metrics with it (prom-client hashes
  // the labels on every call; once a batch is enough for a counter scraped every few seconds).
  const attemptsByOutcome = new Map<string, number>();
  const unsent: string[] = [];
  // Every delivery this worker holds, from its claim or hand-off until its attempt is recorded or
  // it is handed back. A lease can run out while the attempt is still running or waiting to be
  // recorded (a machine overloaded for longer than the lease); the next claim then finds the row
  // due again, and without this the worker would send a second copy beside the first.
  const held = new Set<string>();
  // Set once stop() gives up waiting and aborts the sends still running: their failures are not attempts.
  let abortedForStop = false;
  const idleWaiters: Array<() => void> = [];
  let stopping = false;
  let pumping = false;
  let pumpAgain = false;
  // Whether the last claim saw due deliveries it had no room for: only then is a freed slot worth
  // a claim query. New work wakes the worker through ctx.wakeups, retries through wakeAt.
  let backlogged = true;
  let flushing: Promise<void> | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let wakeTimer: NodeJS.Timeout | null = null;
  let wakeTimerAt = Number.POSITIVE_INFINITY;
  let unsubscribe: (() => void) | null = null;
  // A lease shorter than the attempt timeout is the operator's choice (faster takeover, more duplicates); then half the lease must be left.
  const minimumLeaseLeft = Math.min(settings.attemptTimeoutMs + LEASE_MARGIN_MS, settings.leaseMs / 2);

  const wakeAt = (at: number): void => {
    if (stopping || (wakeTimer && wakeTimerAt <= at)) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimerAt = at;
    wakeTimer = setTimeout(() => { wakeTimer = null; wakeTimerAt = Number.POSITIVE_INFINITY; void pump(); }, Math.max(0, at - Date.now()));
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

  const isIdle = () => lanes.inflightTotal === 0 && finished.length === 0 && unsent.length === 0 && !flushing && !flushTimer;

  /** Records everything finished so far; returns whether a check's next ordered event may now go. */
  const recordFinished = async (): Promise<boolean> => {
    let unblocked = false;
    for (const [outcome, count] of attemptsByOutcome) ctx.metrics.deliveryAttempts.inc({ outcome }, count);
    attemptsByOutcome.clear();
    while (finished.length > 0 || unsent.length > 0) {
      const results = finished.splice(0, 500);
      const handBack = unsent.splice(0);
      try {
        await recordAttempts(ctx, owner, results);
        await releaseLeases(ctx.db.kysely, owner, handBack, Date.now(), Date.now());
      } catch (error) {
        // Not recorded: the lease runs out and the delivery is sent again (at least once, never lost).
        ctx.log.error({ err: error, count: results.length + handBack.length }, 'could not record delivery attempts');
      }
      for (const id of handBack) held.delete(id);
      for (const result of results) {
        held.delete(result.delivery.id);
        if (result.update.status === 'pending') wakeAt(result.update.next_attempt_at);
        else if (result.delivery.order_key) unblocked = true;
      }
      if (handBack.length > 0) unblocked = true;
    }
    return unblocked;
  };

  const scheduleFlush = (): void => {
    if (flushing || flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      // `flushing` is cleared only once the promise settles, never from inside it.
      flushing = recordFinished().then((unblocked) => {
        flushing = null;
        if (finished.length > 0 || unsent.length > 0) scheduleFlush();
        if (isIdle()) idleWaiters.splice(0).forEach((resolve) => resolve());
        if (unblocked || (backlogged && lanes.queuedTotal === 0)) void pump();
      });
    }, RECORD_DELAY_MS);
  };

  const attemptEnded = ({ delivery, endpoint }: PreparedDelivery, outcome: AttemptOutcome): void => {
    if (outcome.notStarted || (abortedForStop && !outcome.succeeded)) {
      lanes.finished(endpoint.id);
      unsent.push(delivery.id);
    } else {
      lanes.finished(endpoint.id, outcome.durationMs);
      const kind = outcome.succeeded ? 'success' : outcome.errorKind ?? 'other';
      attemptsByOutcome.set(kind, (attemptsByOutcome.get(kind) ?? 0) + 1);
      ctx.metrics.deliveryLatency.observe(outcome.durationMs / 1000);
      finished.push(attemptResult(delivery, outcome, { url: endpoint.url, headers: UNSIGNED_HEADERS }, settings));
    }
    scheduleFlush();
    scheduleStartAll();
    // While a claim is running this only asks it to go round once more: skipping it instead let the
    // lane run dry and wait for the next record flush (up to 10 ms idle) before the next claim.
    if (backlogged && lanes.queued(endpoint.id) < settings.perEndpointConcurrency) void pump();
  };

  const send = (prepared: PreparedDelivery): void => {
    const { delivery, endpoint, payload, secrets } = prepared;
    if (delivery.attempt_count === 0) ctx.metrics.deliveryLag.observe(Math.max(0, Date.now() - delivery.created_at) / 1000);
    sender.send({
      url: endpoint.url, headers: UNSIGNED_HEADERS, body: payload, sign: { eventId: delivery.event_id, secrets },
      timeoutMs: settings.attemptTimeoutMs, lane: endpoint.id, laneLimit: settings.perEndpointConcurrency,
      startBy: (delivery.lease_expires_at ?? 0) - minimumLeaseLeft,
    }, (outcome) => attemptEnded(prepared, outcome));
  };

  /** Starts what the endpoint's lane allows now: its concurrency, the global one, and its rate limit. */
  const startLane = (endpointId: string): void => {
    while (!stopping && lanes.inflightTotal < settings.concurrency && lanes.queued(endpointId) > 0) {
      const rate = rateOf.get(endpointId) ?? null;
      const now = Date.now();
      if (limiter.available(endpointId, rate, now) < 1) {
        if (!rateTimers.has(endpointId)) {
          rateTimers.set(endpointId, setTimeout(() => { rateTimers.delete(endpointId); startLane(endpointId); }, limiter.waitMs(endpointId, rate, now)));
        }
        return;
      }
      const next = lanes.startNext(endpointId);
      if (!next) return;
      if ((next.delivery.lease_expires_at ?? 0) - now < minimumLeaseLeft) {
        lanes.finished(endpointId);
        unsent.push(next.delivery.id);
        scheduleFlush();
        continue;
      }
      limiter.take(endpointId, rate, now);
      send(next);
    }
  };

  const startAllLanes = (): void => {
    for (const endpointId of lanes.endpointIds()) startLane(endpointId);
  };

  // Outcomes come back many at once (one message from the sending thread): the lanes are topped
  // up once after all of them, not once after each.
  let startAllScheduled = false;
  const scheduleStartAll = (): void => {
    if (startAllScheduled) return;
    startAllScheduled = true;
    queueMicrotask(() => {
      startAllScheduled = false;
      startAllLanes();
    });
  };

  /** How many more deliveries of an endpoint to claim (or take handed over, within HANDED_OFF_HOLD): prefetch room, and no more than a second's worth when rate limited. */
  const claimRoom = (endpointId: string, limit?: HoldLimit): number => {
    const rate = rateOf.get(endpointId) ?? null;
    const room = lanes.claimRoom(endpointId, limit);
    return rate ? Math.min(room, Math.max(1, rate) - lanes.queued(endpointId)) : room;
  };

  /** Puts taken deliveries in their lanes (each once, however it came) and starts what may start; counts them by how they came. */
  const enqueue = (batch: PreparedDelivery[], how: 'claim' | 'recovered' | 'local_handoff' | 'remote_handoff'): void => {
    const touched = new Set<string>();
    let taken = 0;
    for (const prepared of batch) {
      // Taken twice at once — handed over while the recovery after a lost listening connection
      // read it too (recoverLostHandOffs) — it is sent once.
      if (held.has(prepared.delivery.id)) continue;
      held.add(prepared.delivery.id);
      taken++;
      rateOf.set(prepared.endpoint.id, prepared.endpoint.rate_limit_per_second);
      lanes.enqueue(prepared);
      touched.add(prepared.endpoint.id);
    }
    if (taken > 0) ctx.metrics.deliveriesTaken.inc({ how }, taken);
    for (const endpointId of touched) startLane(endpointId);
  };

  const accept = async (leased: DeliveriesTable[], how: 'claim' | 'recovered' = 'claim'): Promise<void> => {
    const claimed = leased.filter((delivery) => !held.has(delivery.id));
    if (claimed.length < leased.length) {
      // Their attempts are still running or unrecorded: the record that follows settles each row.
      ctx.log.warn({ count: leased.length - claimed.length }, 'claimed deliveries this worker already holds (their leases ran out before their attempts were recorded); not sending them twice');
    }
    if (claimed.length === 0) return;
    const now = Date.now();
    const context = stopping ? null : await loadBatchContext(ctx.db.kysely, claimed, ctx.signingSecrets, now);
    if (!context || stopping) return releaseLeases(ctx.db.kysely, owner, claimed.map((d) => d.id), now, now);
    enqueue(claimed.map((delivery) => ({
      delivery, endpoint: context.endpoints.get(delivery.endpoint_id)!,
      payload: context.payloads.get(delivery.event_id)!, secrets: context.secrets.get(delivery.account_id) ?? [],
    })), how);
  };

  /** Deliveries this process's outbox wrote already leased to us: only the signing secrets are left to read. */
  const acceptHandedOff = async (handed: HandedOff[], how: 'local_handoff' | 'remote_handoff'): Promise<void> => {
    const now = Date.now();
    try {
      const secrets = stopping ? null : await ctx.signingSecrets.secretsFor(ctx.db.kysely, [...new Set(handed.map((h) => h.delivery.account_id))], now);
      if (!secrets || stopping) {
        unsent.push(...handed.map((h) => h.delivery.id));
        return scheduleFlush();
      }
      // Written out rather than `{ ...h, secrets }`: a spread followed by a new property costs about a microsecond each.
      enqueue(handed.map(({ delivery, endpoint, payload }) => ({ delivery, endpoint, payload, secrets: secrets.get(delivery.account_id) ?? [] })), how);
    } catch (error) {
      // Their leases run out and a claim takes them, as after a crash.
      ctx.log.error({ err: error, count: handed.length }, 'could not take handed-off deliveries; they will be claimed after their lease');
    }
  };

  const handoffReceiver: HandoffReceiver = {
    owner,
    leaseMs: settings.leaseMs,
    room: (endpointId) => (stopping ? 0 : Math.min(claimRoom(endpointId, HANDED_OFF_HOLD), maxHandedOffTotal - lanes.inflightTotal - lanes.queuedTotal)),
    accept: (handed) => void acceptHandedOff(handed, 'local_handoff'),
  };

  /** What this worker tells producers in other processes it can take (see WorkerDirectory). */
  const remoteRoom = (): Room => {
    const room = stopping ? 0 : Math.max(0, maxHandedOffTotal - lanes.inflightTotal - lanes.queuedTotal);
    const per = Math.min(room, Math.max(0, claimRoom(UNKNOWN_ENDPOINT, HANDED_OFF_HOLD)));
    const rooms: Record<string, number> = {};
    let listed = 0;
    // Endpoints with work held first, then those timed before; read as iterators, since a worker
    // may have timed thousands and this runs every ANNOUNCE_MIN_MS.
    for (const endpointIds of [lanes.endpointIds(), lanes.knownEndpointIds()]) {
      for (const endpointId of endpointIds) {
        if (listed >= ANNOUNCED_ENDPOINTS) return { room, per, rooms };
        if (endpointId in rooms) continue;
        const endpointRoom = Math.min(room, Math.max(0, claimRoom(endpointId, HANDED_OFF_HOLD)));
        if (endpointRoom === per) continue;
        rooms[endpointId] = endpointRoom;
        listed++;
      }
    }
    return { room, per, rooms };
  };
  /**
   * The listening connection dropped and came back: what producers handed this worker meanwhile
   * (in the second before they noticed its silence) was NOTIFYed to a connection that was gone, so
   * it would wait for its lease (a minute by default) before any claim took it. Read it back and
   * take it now, as a claim would (the lease is already ours). Once at once, and once more after
   * producers have surely heard the reconnected worker again, for a producer's transaction that
   * chose this worker before the drop and committed after the first look.
   */
  const recoverLostHandOffs = async (): Promise<void> => {
    if (stopping) return;
    try {
      const lost = (await findHandedTo(ctx.db.kysely, owner, Date.now(), settings.leaseMs)).filter((delivery) => !held.has(delivery.id));
      if (lost.length === 0 || stopping) return;
      ctx.log.warn({ count: lost.length }, 'deliveries handed to this worker while its listening connection was down: taking them now rather than after their lease');
      await accept(lost, 'recovered');
    } catch (error) {
      ctx.log.warn({ err: error }, 'could not look for deliveries handed over while listening was down; they will be claimed after their lease');
    }
  };
  // One follow-up look, after the latest reconnect (it covers any earlier one's).
  let recoverAgainTimer: NodeJS.Timeout | null = null;
  const relistened = (): void => {
    void recoverLostHandOffs();
    if (recoverAgainTimer) clearTimeout(recoverAgainTimer);
    recoverAgainTimer = setTimeout(() => { recoverAgainTimer = null; void recoverLostHandOffs(); }, 2 * WORKER_STALE_MS);
    recoverAgainTimer.unref();
  };

  let announcer: Announcer | null = null;
  const announceToProducers = async (): Promise<void> => {
    if (ctx.db.dialect !== 'postgres' || settings.remoteHandoff === 'off') return;
    try {
      announcer = await startAnnouncer(ctx, { owner, leaseMs: settings.leaseMs, room: remoteRoom, accept: (handed) => void acceptHandedOff(handed, 'remote_handoff'), relistened });
      if (stopping) await announcer.stop();
    } catch (error) {
      // Producers then leave everything to claims, as before there was a hand-off.
      ctx.log.warn({ err: error }, 'could not announce this worker to other processes; it will claim its work');
    }
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
        const room = maxHeldTotal - lanes.inflightTotal - lanes.queuedTotal;
        if (room <= 0) {
          backlogged = true;
          break;
        }
        // No more than the endpoints we know can take, plus one unknown endpoint's worth: a larger
        // claim only reads a longer window of rows it must leave behind.
        const known = new Set([...lanes.endpointIds(), ...rateOf.keys()]);
        const knownRoom = [...known].reduce((sum, id) => sum + Math.max(0, claimRoom(id)), 0);
        const limit = Math.min(room, MAX_BATCH, knownRoom + settings.perEndpointConcurrency * PREFETCH_FACTOR);
        const saturated = [...known].filter((id) => claimRoom(id) <= 0);
        const { deliveries: claimed, leftBehind } = await claimDueDeliveries(ctx.db, { owner, now: Date.now(), leaseMs: settings.leaseMs, limit, saturated, capacityOf: claimRoom });
        backlogged = leftBehind || saturated.length > 0;
        if (claimed.length > 0) await accept(claimed);
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
      ctx.log.info({ owner, sending: sender.where }, `delivery worker started, sending ${sender.where === 'thread' ? 'on a thread of its own' : 'in process'}`);
      unsubscribe = ctx.wakeups.onWake(() => void pump());
      ctx.handoff.attach(handoffReceiver);
      void announceToProducers();
      void pump();
    },
    async stop() {
      stopping = true;
      ctx.handoff.detach(handoffReceiver);
      await announcer?.stop();
      unsubscribe?.();
      if (wakeTimer) clearTimeout(wakeTimer);
      if (recoverAgainTimer) clearTimeout(recoverAgainTimer);
      for (const timer of rateTimers.values()) clearTimeout(timer);
      unsent.push(...lanes.drainQueues().map((p) => p.delivery.id));
      scheduleFlush();
      const idle = () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));
      const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([idle(), after(Math.min(settings.attemptTimeoutMs, 10_000))]);
      abortedForStop = true;
      sender.abortAll();
      await Promise.race([idle(), after(5_000)]);
      while (pumping || flushing || flushTimer) await (flushing ?? after(5));
      await sender.close();
    },
  };
}
