import { Pool } from 'undici';
import { cpuPerDelivery, cpuTimeMs } from './child.js';
import { generateWebhookSecret } from '../src/core/webhook-secret.js';
import { wallClockMs } from './clock.js';
import type { Receiver } from './receiver-handle.js';
import type { ScenarioResult } from './result.js';
import { percentiles, round } from './stats.js';
import { newEventBody, signedRequest } from './webhook-request.js';

export interface CeilingOptions {
  /** Parallel keep-alive connections: as many as our engine may open to one endpoint. */
  connections: number;
  rounds: number;
  roundMs: number;
  maxRequestsPerRound: number;
  /** Run a discarded round first (a fresh process's first second is the JIT compiling the client). */
  warmUp: boolean;
}

interface Round { ok: number; seconds: number; rtts: number[]; cpuUs: number; receiverCpuMs: number | null }

/** One round: `connections` loops, each sending its next signed POST as soon as the last was answered. */
async function runRound(receiver: Receiver, secret: string, options: CeilingOptions): Promise<Round> {
  const pool = new Pool(receiver.url, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const rtts: number[] = [];
  let sent = 0;
  let ok = 0;
  const receiverBefore = await cpuTimeMs(receiver.pid);
  const started = wallClockMs();
  const cpuBefore = process.cpuUsage();
  const deadline = started + options.roundMs;
  const loop = async () => {
    while (sent < options.maxRequestsPerRound && wallClockMs() < deadline) {
      sent++;
      const { eventId, body } = newEventBody();
      const request = signedRequest(eventId, body, secret);
      const before = wallClockMs();
      const response = await pool.request({ path: '/ceiling', method: 'POST', headers: request.headers, body: request.body });
      await response.body.dump();
      rtts.push(wallClockMs() - before);
      if (response.statusCode >= 200 && response.statusCode < 300) ok++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (wallClockMs() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const receiverAfter = await cpuTimeMs(receiver.pid);
  await pool.close();
  return { ok, seconds, rtts, cpuUs: cpu.user + cpu.system, receiverCpuMs: receiverBefore === null || receiverAfter === null ? null : receiverAfter - receiverBefore };
}

/**
 * The ceiling: signed POSTs per second a bare undici Pool (keep-alive, pipelining 1) gets from the
 * same receiver, with the same payload and both signatures computed per request — what this
 * machine can do for this job with no queue, no database and no bookkeeping. The median of a few
 * short rounds, because the machine is shared and noisy.
 */
export async function measureCeiling(receiver: Receiver, options: CeilingOptions): Promise<ScenarioResult> {
  const secret = generateWebhookSecret();
  await receiver.verifyWith(secret);
  await receiver.reset();
  if (options.warmUp) {
    await runRound(receiver, secret, { ...options, roundMs: Math.min(options.roundMs, 1000) });
    await receiver.reset();
  }
  const rounds: Round[] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await runRound(receiver, secret, options));
  const received = await receiver.stats();
  const rate = (r: Round) => r.ok / r.seconds;
  const rates = rounds.map(rate);
  const medianRound = [...rounds].sort((a, b) => rate(a) - rate(b))[Math.floor((rounds.length - 1) / 2)]!;
  const sent = rounds.reduce((sum, r) => sum + r.ok, 0);
  return {
    name: 'ceiling',
    title: `Ceiling: bare undici, ${options.connections} connections`,
    status: received.badSignatures === 0 && received.unique === sent ? 'ok' : 'error',
    note: `median of ${options.rounds} rounds: ${rates.map((r) => Math.round(r)).join(', ')} req/s`,
    deliveries: received.unique,
    expected: sent,
    seconds: round(rounds.reduce((sum, r) => sum + r.seconds, 0)),
    opsPerSec: Math.round(rate(medianRound)),
    // The client's own CPU per request (this process runs nothing else meanwhile): the cost of a bare signed POST.
    cpuUsPerOp: medianRound.ok > 0 ? Math.round(medianRound.cpuUs / medianRound.ok) : null,
    receiverCpuUsPerOp: cpuPerDelivery(0, medianRound.receiverCpuMs, medianRound.ok),
    latencyKind: 'rtt',
    latencyMs: percentiles(medianRound.rtts),
    duplicates: received.duplicates,
    badSignatures: received.badSignatures,
  };
}

/**
 * A short ceiling taken right before a throughput row (a discarded warm-up round, then the median
 * of three 0.5 s rounds, 0.25 s in --quick): on a shared machine the load changes from minute to minute, so a row's
 * share of the ceiling is only fair against the ceiling of the same minute. The warm-up matters:
 * with `--only` the harness's client is still cold when the first row begins, and a cold ceiling
 * reads a third of a warm one, flattering every ratio.
 */
export async function pairedCeiling(receiver: Receiver, quick: boolean): Promise<number> {
  const result = await measureCeiling(receiver, { connections: 16, rounds: 3, roundMs: quick ? 250 : 500, maxRequestsPerRound: 50_000, warmUp: true });
  return result.opsPerSec ?? 0;
}
