import { cpuPerDelivery, cpuTimeMs, type Child } from './child.js';
import { wallClockMs } from './clock.js';
import type { Produced } from './producer.js';
import type { Receiver } from './receiver-handle.js';
import type { ScenarioResult } from './result.js';
import { commitToArrival, percentiles, round } from './stats.js';

/**
 * The measuring half of a scenario, shared by our engine and the peer queue: both sides' producers
 * answer `produce`, `produceAtRate` and `commits`, and both deliver to `<receiver>/ep/<i>`.
 */
type Measured = Pick<ScenarioResult, 'status' | 'deliveries' | 'expected' | 'seconds' | 'opsPerSec' | 'latencyKind' | 'latencyMs' | 'duplicates' | 'badSignatures' | 'note' | 'receiverCpuUsPerOp'>;

/**
 * Sends one event and waits for its deliveries (false when nothing delivers: the engine is not
 * there), then a discarded warm-up round of about `warmUp` deliveries, committed and delivered
 * the way the measured round will be. The measured round then runs on compiled code, as a
 * long-running service does, and as the ceiling is measured (after a warm-up round of its own).
 * A cold first round spends part of its CPU compiling, and charges that most to whichever side
 * has the most code: our engine far more than the floor or the bare client.
 */
export async function probeAndWarmUp(producer: Child, receiver: Receiver, endpoints: number, timeoutMs: number, warmUp: number): Promise<boolean> {
  await receiver.reset();
  await producer.call('produce', { events: 1, batch: 1, track: false, maxMs: timeoutMs });
  const probe = await receiver.waitFor(endpoints, wallClockMs() + timeoutMs);
  await receiver.reset();
  if (probe.unique < endpoints) return false;
  const events = Math.max(1, Math.ceil(warmUp / endpoints));
  // Its own bound: the probe's, plus a millisecond a delivery (the slowest row, pg-boss, does
  // about 1,600/s). Stragglers arriving after the reset would be counted in the measured round,
  // so a warm-up that does not finish in time fails the row instead.
  const boundMs = timeoutMs + events * endpoints;
  const produced = await producer.call<Produced>('produce', { events, batch: Math.min(100, events), track: false, maxMs: boundMs }, boundMs + 60_000);
  const expected = produced.events * endpoints;
  const warm = await receiver.waitFor(expected, wallClockMs() + boundMs);
  if (warm.unique < expected) {
    throw new Error(`the warm-up round delivered ${warm.unique} of ${expected} within ${Math.round(boundMs / 1000)} s; measuring now would count its stragglers`);
  }
  await receiver.reset();
  return true;
}

async function latencies(producer: Child, receiver: Receiver, endpoints: number): Promise<number[]> {
  const commits = new Map(await producer.call<Array<[string, number]>>('commits'));
  const samples: number[] = [];
  for (let i = 0; i < endpoints; i++) samples.push(...commitToArrival(commits, await receiver.arrivals(`/ep/${i}`)));
  return samples;
}

async function finish(
  producer: Child, receiver: Receiver, endpoints: number, expected: number, startedAt: number, deadline: number, receiverCpuBefore: number | null,
): Promise<Measured> {
  const stats = await receiver.waitFor(expected, deadline);
  const receiverCpuUsPerOp = cpuPerDelivery(receiverCpuBefore, await cpuTimeMs(receiver.pid), stats.requests);
  const seconds = stats.lastArrival === null ? 0 : (stats.lastArrival - startedAt) / 1000;
  return {
    status: stats.unique >= expected ? 'ok' : 'timeout',
    deliveries: stats.unique,
    expected,
    seconds: round(seconds),
    opsPerSec: seconds > 0 ? Math.round(stats.unique / seconds) : 0,
    latencyKind: 'commit-to-arrival',
    latencyMs: percentiles(await latencies(producer, receiver, endpoints)),
    duplicates: stats.duplicates,
    badSignatures: stats.badSignatures,
    receiverCpuUsPerOp,
  };
}

/**
 * Throughput: up to `events` events committed in batches as fast as the database takes them (for
 * at most `maxMs`), each fanned out to `endpoints` endpoints; deliveries per second from the first
 * commit's start to the last arrival, so the figure covers the whole path (commit, wake-up, claim,
 * sign, send, record). Deliveries get another `drainMs` (by default `maxMs / 2`) after the last
 * commit to arrive.
 */
export async function measureThroughput(
  producer: Child, receiver: Receiver, plan: { endpoints: number; events: number; batch: number; maxMs: number; drainMs?: number },
): Promise<Measured> {
  await receiver.reset();
  const receiverCpuBefore = await cpuTimeMs(receiver.pid);
  const produced = await producer.call<Produced>('produce', { events: plan.events, batch: plan.batch, track: true, maxMs: plan.maxMs }, plan.maxMs + 60_000);
  const measured = await finish(producer, receiver, plan.endpoints, produced.events * plan.endpoints, produced.startedAt, produced.finishedAt + (plan.drainMs ?? plan.maxMs / 2), receiverCpuBefore);
  const cut = produced.events < plan.events ? ` (stopped at the time limit; ${plan.events} planned)` : '';
  // When events were committed barely faster than they were delivered, the row measured the
  // commit path (the outbox writes), not the delivery engine: say so next to the number.
  const commitBound = produced.achievedRate * plan.endpoints < (measured.opsPerSec ?? 0) * 1.2 ? '; bounded by the commit rate' : '';
  return {
    ...measured,
    status: cut ? 'timeout' : measured.status,
    note: `${produced.events} events${cut} in transactions of ${plan.batch}, committed at ${produced.achievedRate}/s${commitBound}`,
  };
}

/** Latency at a fixed offered rate, one event per transaction (one API request each). */
export async function measureAtRate(
  producer: Child, receiver: Receiver, plan: { rate: number; durationMs: number; drainMs: number },
): Promise<Measured> {
  await receiver.reset();
  const receiverCpuBefore = await cpuTimeMs(receiver.pid);
  const produced = await producer.call<Produced>('produceAtRate', { rate: plan.rate, durationMs: plan.durationMs }, plan.durationMs * 1.5 + 60_000);
  const measured = await finish(producer, receiver, 1, produced.events, produced.startedAt, produced.finishedAt + plan.drainMs, receiverCpuBefore);
  return { ...measured, note: `offered ${plan.rate}/s for ${plan.durationMs / 1000} s, committed ${produced.achievedRate}/s` };
}
