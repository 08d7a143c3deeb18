import { setTimeout as sleep } from 'node:timers/promises';
import { auditDeliveries, type DeliveryAudit } from './audit.js';
import { deploy } from './deployment.js';
import { startLoad, type Load } from './producer.js';
import { startChaosReceiver } from './receivers.js';

/**
 * SIGKILL under load: the API takes a steady stream of check creations and completions while
 * the service is `kill -9`ed at random moments and started again on the same database. Whatever
 * the API acknowledged must reach the receiver; the only duplicates allowed are deliveries that
 * were on the wire when a kill struck (counted from the database while the service is dead).
 */
export interface KillPlan {
  /** Where the database lives: a SQLite file in the data dir, or this PostgreSQL database. */
  postgresUrl?: string;
  /**
   * PostgreSQL only: run the worker in a process of its own and kill that one, while the API's
   * process stays up and goes on handing it new deliveries (step 45 in benchmarks.md) — some of
   * them to a worker that has just died, which must come back through their leases.
   */
  separateWorker?: boolean;
  kills: number;
  /** A kill strikes a random time in [min, max] ms after the service is back up. */
  gapMs: [number, number];
  ratePerSecond: number;
  /** How long after the last restart the load goes on. */
  tailMs: number;
  drainTimeoutMs: number;
}

export interface KillResult extends DeliveryAudit {
  database: 'sqlite' | 'postgres';
  /** 'service' (api and worker in one process) or 'worker' (the worker's own process; the API's stayed up). */
  killed: 'service' | 'worker';
  kills: number;
  calls: number;
  unanswered: number;
  /** Deliveries leased but not recorded when the kills struck, summed: the duplicate allowance. */
  inFlightAtKills: number;
  /** From SIGKILL to the restarted service answering, per kill, in ms. */
  restartMs: number[];
  passed: boolean;
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

export async function runKillScenario(plan: KillPlan): Promise<KillResult> {
  const receiver = await startChaosReceiver('healthy');
  const deployment = await deploy({ postgresUrl: plan.postgresUrl, separateWorker: plan.separateWorker });
  const victim = deployment.worker ?? deployment.service;
  let load: Load | null = null;
  try {
    const endpointId = await deployment.addEndpoint(receiver);
    const budgetMs = plan.kills * (plan.gapMs[1] + 120_000) + plan.tailMs;
    load = startLoad(deployment.api, { ratePerSecond: plan.ratePerSecond, lanes: 4, completeShare: 0.3, maxCalls: 1_000_000, maxMs: budgetMs });
    const restartMs: number[] = [];
    let inFlightAtKills = 0;
    for (let kill = 0; kill < plan.kills; kill++) {
      await sleep(between(plan.gapMs));
      const killedAt = Date.now();
      await victim.kill9();
      inFlightAtKills += await deployment.deliveriesInFlight();
      await victim.start();
      restartMs.push(Date.now() - killedAt);
    }
    await sleep(plan.tailMs);
    const tally = await load.stop();
    const audit = await auditDeliveries(deployment.api, tally, receiver, endpointId, plan.drainTimeoutMs);
    return {
      database: plan.postgresUrl ? 'postgres' : 'sqlite',
      killed: deployment.worker ? 'worker' : 'service',
      kills: plan.kills,
      calls: tally.calls,
      unanswered: tally.unanswered + tally.rejected,
      inFlightAtKills,
      restartMs,
      ...audit,
      passed: audit.lost === 0 && audit.acknowledgedButMissing === 0 && audit.badSignatures === 0 && audit.duplicates <= inFlightAtKills,
    };
  } finally {
    await load?.stop();
    await deployment.close();
    await receiver.close();
  }
}
