import { setTimeout as sleep } from 'node:timers/promises';
import { auditDeliveries, type DeliveryAudit } from './audit.js';
import { deploy } from './deployment.js';
import { startLoad, type Load } from './producer.js';
import { startChaosReceiver } from './receivers.js';
import { memoryIsFlat, queueDepthOf, trendOf, type Sample, type Trend } from './samples.js';

/**
 * A bounded soak: steady load for a fixed time while the service's resident memory (from
 * /proc/<pid>/status) and its delivery queue depth (the /metrics gauge) are sampled. Both must
 * stay flat: no leak, no backlog that grows while the load is steady.
 */
export interface SoakPlan {
  durationMs: number;
  sampleEveryMs: number;
  ratePerSecond: number;
  drainTimeoutMs: number;
}

export interface SoakResult extends DeliveryAudit {
  durationSeconds: number;
  calls: number;
  rssMb: Trend;
  queueDepth: Trend;
  memoryFlat: boolean;
  /** The queue at the end is no deeper than two seconds of load: delivery kept up. */
  queueFlat: boolean;
  samples: Sample[];
  passed: boolean;
}

export async function runSoakScenario(plan: SoakPlan): Promise<SoakResult> {
  const receiver = await startChaosReceiver('healthy');
  const deployment = await deploy();
  let load: Load | null = null;
  try {
    const endpointId = await deployment.addEndpoint(receiver);
    const began = Date.now();
    load = startLoad(deployment.api, { ratePerSecond: plan.ratePerSecond, lanes: 4, completeShare: 0.3, maxCalls: Math.ceil((plan.ratePerSecond * plan.durationMs) / 1000) * 2, maxMs: plan.durationMs });
    const samples: Sample[] = [];
    while (Date.now() - began < plan.durationMs) {
      await sleep(Math.min(plan.sampleEveryMs, Math.max(0, began + plan.durationMs - Date.now())));
      const metrics = await deployment.api.call<string>('GET', '/metrics').catch(() => null);
      samples.push({
        atSeconds: Math.round((Date.now() - began) / 100) / 10,
        rssMb: await deployment.service.rssMb(),
        queueDepth: metrics?.status === 200 ? queueDepthOf(metrics.body) : null,
        delivered: receiver.firstArrivals.size,
      });
    }
    const tally = await load.stop();
    const audit = await auditDeliveries(deployment.api, tally, receiver, endpointId, plan.drainTimeoutMs);
    const queueDepth = trendOf(samples, (s) => s.queueDepth);
    const memoryFlat = memoryIsFlat(samples);
    const queueFlat = queueDepth.last !== null && queueDepth.last <= Math.max(20, plan.ratePerSecond * 2);
    return {
      durationSeconds: Math.round((Date.now() - began) / 1000),
      calls: tally.calls,
      ...audit,
      rssMb: trendOf(samples, (s) => s.rssMb),
      queueDepth,
      memoryFlat,
      queueFlat,
      samples,
      passed: memoryFlat && queueFlat && audit.lost === 0 && audit.badSignatures === 0,
    };
  } finally {
    await load?.stop();
    await deployment.close();
    await receiver.close();
  }
}
