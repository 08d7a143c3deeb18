import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../stats.js';
import { startPostgres } from '../../tests/support/postgres-server.js';
import { auditDeliveries, type DeliveryAudit } from './audit.js';
import { deploy } from './deployment.js';
import { restartPostgres } from './postgres-outage.js';
import { startLoad, type Load } from './producer.js';
import { latenciesOf, startChaosReceiver } from './receivers.js';

/**
 * PostgreSQL stopped and started again under load, with the service left running: its pool
 * and its LISTEN connection lose every session, the API answers errors meanwhile, and afterwards
 * the workers must be delivering again — everything the API acknowledged, nothing lost — and
 * at the speed they had before (the wake-up channel came back too, not just the slow poll).
 */
export interface PostgresRestartPlan {
  outages: number;
  downMs: number;
  /** Load before the first outage, between outages and after the last one. */
  gapMs: number;
  ratePerSecond: number;
  drainTimeoutMs: number;
  /**
   * The delivery worker in a process of its own beside the API's (`--role api` and `--role
   * worker`): both must ride the outage out, and the API goes back to handing the worker its new
   * deliveries over a listening connection that was cut (see recoverLostHandOffs).
   */
  separateWorker?: boolean;
}

export interface PostgresRestartResult extends DeliveryAudit {
  separateWorker: boolean;
  outages: number;
  downMs: number;
  calls: number;
  /** Calls refused or failed (mostly while the database was down). */
  unanswered: number;
  /** The API's answers to the calls it failed, by HTTP status (a 503 says "try again"; a 500 does not). */
  rejectedByStatus: Record<string, number>;
  /** A service process (the API's or the worker's) died during an outage (it should ride it out), and what it said. */
  serviceCrashed: boolean;
  crashOutput?: string;
  /** Median commit-to-arrival before the first outage and for events made after the last one, ms. */
  latencyBeforeMs: number | null;
  latencyAfterMs: number | null;
  /** From PostgreSQL accepting connections again to the first delivery of a new event, ms (last outage). */
  recoveryMs: number | null;
  passed: boolean;
}

export async function runPostgresRestartScenario(plan: PostgresRestartPlan): Promise<PostgresRestartResult> {
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'realid-chaos-pg-'));
  const postgres = await startPostgres(pgDir);
  const receiver = await startChaosReceiver('healthy');
  let deployment: Awaited<ReturnType<typeof deploy>> | null = null;
  let load: Load | null = null;
  try {
    deployment = await deploy({ postgresUrl: postgres.url, separateWorker: plan.separateWorker });
    const endpointId = await deployment.addEndpoint(receiver);
    load = startLoad(deployment.api, { ratePerSecond: plan.ratePerSecond, lanes: 4, completeShare: 0.3, maxCalls: 1_000_000, maxMs: (plan.outages + 1) * (plan.gapMs + plan.downMs) + 120_000 });
    const loadFrom = Date.now();
    await sleep(plan.gapMs);
    const firstOutage = Date.now();
    let serviceCrashed = false;
    let crashOutput = '';
    let readyAt = 0;
    for (let outage = 0; outage < plan.outages; outage++) {
      ({ readyAt } = await restartPostgres(postgres, pgDir, plan.downMs));
      for (const running of [deployment.service, deployment.worker]) {
        if (!running || running.alive()) continue;
        // Reported as a failure; started again so the rest of the run still shows what was lost.
        serviceCrashed = true;
        crashOutput ||= running.crashSummary();
        await running.start();
      }
      await sleep(plan.gapMs);
    }
    const tally = await load.stop();
    const audit = await auditDeliveries(deployment.api, tally, receiver, endpointId, plan.drainTimeoutMs);
    // The first half of the first stretch is the fresh process warming up: not a fair "before".
    const before = latenciesOf(receiver.arrivals, loadFrom + plan.gapMs / 2, firstOutage);
    const after = latenciesOf(receiver.arrivals, readyAt);
    const recovered = receiver.arrivals.find((a) => a.createdAt >= readyAt);
    return {
      separateWorker: plan.separateWorker ?? false,
      outages: plan.outages,
      downMs: plan.downMs,
      calls: tally.calls,
      unanswered: tally.unanswered + tally.rejected,
      rejectedByStatus: tally.rejectedByStatus,
      serviceCrashed,
      ...(serviceCrashed ? { crashOutput } : {}),
      ...audit,
      latencyBeforeMs: before.length ? median(before) : null,
      latencyAfterMs: after.length ? median(after) : null,
      recoveryMs: recovered ? recovered.receivedAt - readyAt : null,
      passed: !serviceCrashed && audit.lost === 0 && audit.acknowledgedButMissing === 0 && audit.badSignatures === 0 && after.length > 0,
    };
  } finally {
    await load?.stop();
    await deployment?.close();
    await receiver.close();
    await postgres.stop();
    rmSync(pgDir, { recursive: true, force: true });
  }
}
