import { setTimeout as sleep } from 'node:timers/promises';
import { percentiles, type Percentiles } from '../stats.js';
import { auditDeliveries, type DeliveryAudit } from './audit.js';
import { deliveriesOf, deliveryDetail, openDeliveries } from './delivery-log.js';
import { deploy, type Deployment } from './deployment.js';
import { judgeEndpoint, type EndpointVerdict } from './hostile-verdicts.js';
import { startLoad, type Load } from './producer.js';
import { BEHAVIOURS, latenciesOf, startChaosReceiver, type Behaviour, type ChaosReceiver } from './receivers.js';

/**
 * Hostile receivers beside a healthy one. First the healthy endpoint alone takes the load (the
 * baseline); then one endpoint per way of failing joins (random 5xx, hang, reset, slow drip,
 * huge body, redirect, 429 + Retry-After) for the same load. Afterwards the delivery log must show
 * each failure handled as it should, the retry schedule kept, nothing left stuck, and the healthy
 * endpoint's commit-to-arrival latency must not have suffered.
 */
export interface HostilePlan {
  ratePerSecond: number;
  /** Load before the baseline is measured: a fresh process is slow until its code is hot. */
  warmupMs: number;
  baselineMs: number;
  hostileMs: number;
  /** Deliveries per hostile endpoint read in detail (attempt by attempt). */
  sample: number;
  settleTimeoutMs: number;
}

export interface HostileResult {
  healthy: DeliveryAudit & { baseline: Percentiles; withHostile: Percentiles };
  endpoints: EndpointVerdict[];
  /** Requests that reached a redirect's target: redirects must never be followed. */
  followedRedirects: number;
  /** Deliveries still open when the scenario gave up waiting: a stalled worker shows here. */
  openAtEnd: number;
  passed: boolean;
}

type Hostile = Exclude<Behaviour, 'healthy'>;
const HOSTILE = BEHAVIOURS.filter((b): b is Hostile => b !== 'healthy');

/**
 * Hostile endpoints take only check.completed, so each gets a few dozen deliveries: enough to see
 * the schedule, few enough that a hanging one stays under its own concurrency cap (and so any
 * lateness measured is the engine's, not a queue of our own making).
 */
const HOSTILE_EVENTS = ['check.completed'];

/** The healthy endpoint's latency may grow by this much, or this factor, and still count as unaffected. */
const LATENCY_ALLOWANCE = { factor: 2, plusMs: 100 };

async function settle(deployment: Deployment, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let open = await openDeliveries(deployment.api);
  while (open > 0 && Date.now() < deadline) {
    await sleep(500);
    open = await openDeliveries(deployment.api);
  }
  return open;
}

export async function runHostileScenario(plan: HostilePlan): Promise<HostileResult> {
  const healthy = await startChaosReceiver('healthy');
  const hostile = new Map<Hostile, ChaosReceiver>();
  for (const behaviour of HOSTILE) hostile.set(behaviour, await startChaosReceiver(behaviour));
  const deployment = await deploy();
  let load: Load | null = null;
  try {
    const endpointId = await deployment.addEndpoint(healthy);
    const loadPlan = { ratePerSecond: plan.ratePerSecond, lanes: 4, completeShare: 0.4, maxCalls: 1_000_000 };
    load = startLoad(deployment.api, { ...loadPlan, maxMs: plan.warmupMs + plan.baselineMs });
    await sleep(plan.warmupMs);
    const baselineFrom = Date.now();
    await sleep(plan.baselineMs);
    const baselineTally = await load.stop();

    const endpointIds = new Map<Hostile, string>();
    for (const [behaviour, receiver] of hostile) {
      receiver.verifyWith(deployment.secret);
      const created = await deployment.api.ok<{ id: string }>('POST', '/api/v1/webhook-endpoints', { url: receiver.url, events: HOSTILE_EVENTS, description: `chaos: ${behaviour}` });
      endpointIds.set(behaviour, created.id);
    }
    const hostileFrom = Date.now();
    load = startLoad(deployment.api, { ...loadPlan, maxMs: plan.hostileMs });
    await sleep(plan.hostileMs);
    const hostileTally = await load.stop();

    const tally = { ...hostileTally, created: [...baselineTally.created, ...hostileTally.created], completed: [...baselineTally.completed, ...hostileTally.completed] };
    const audit = await auditDeliveries(deployment.api, tally, healthy, endpointId, plan.settleTimeoutMs);
    const openAtEnd = await settle(deployment, plan.settleTimeoutMs);

    const endpoints: EndpointVerdict[] = [];
    for (const [behaviour, id] of endpointIds) {
      const deliveries = await deliveriesOf(deployment.api, id);
      const sampled = await Promise.all(deliveries.slice(0, plan.sample).map((d) => deliveryDetail(deployment.api, d.id)));
      endpoints.push(judgeEndpoint(behaviour, deliveries, sampled));
    }
    const baseline = percentiles(latenciesOf(healthy.arrivals, baselineFrom, hostileFrom));
    const withHostile = percentiles(latenciesOf(healthy.arrivals, hostileFrom));
    const unaffected = baseline.p50 !== null && withHostile.p50 !== null
      && withHostile.p50 <= Math.max(baseline.p50 * LATENCY_ALLOWANCE.factor, baseline.p50 + LATENCY_ALLOWANCE.plusMs);
    const followedRedirects = hostile.get('redirect')!.counts().followedRedirects;
    return {
      healthy: { ...audit, baseline, withHostile },
      endpoints,
      followedRedirects,
      openAtEnd,
      passed: unaffected && audit.lost === 0 && openAtEnd === 0 && followedRedirects === 0 && endpoints.every((e) => e.asExpected && e.deliveries > 0),
    };
  } finally {
    await load?.stop();
    await deployment.close();
    for (const receiver of [healthy, ...hostile.values()]) await receiver.close();
  }
}
