import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeBundles } from '../../bench/child.js';
import { request } from 'undici';
import { generateWebhookSecret } from '../../src/core/webhook-secret.js';
import type { BenchContext } from '../../bench/bench-context.js';
import { measureCeiling } from '../../bench/ceiling.js';
import { floorScenario } from '../../bench/floor-scenario.js';
import { oursThroughput } from '../../bench/ours-scenarios.js';
import { bullMqScenario, pgBossScenario, type PeerSpec } from '../../bench/peer-scenarios.js';
import { redisServerPath } from '../../bench/redis.js';
import { startReceiver, type Receiver } from '../../bench/receiver-handle.js';
import { newEventBody, signedRequest } from '../../bench/webhook-request.js';
import { openDatabase } from '../../src/db/database.js';
import { DIALECTS, freshDatabase } from '../support/databases.js';

/**
 * A smoke run of `npm run bench` in miniature: the receiver process, the ceiling, and one tiny
 * scenario against the real engine on SQLite under --cpu-prof. Sizes are tiny; what is checked is
 * that the numbers mean what the table says they mean.
 */
describe('benchmark harness', () => {
  let receiver: Receiver;
  const tempDirs: string[] = [];
  /** Every database a scenario was given, newest last, to look into after it ran. */
  const databases: string[] = [];
  beforeAll(async () => { receiver = await startReceiver(); });
  afterAll(async () => {
    await receiver?.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    await removeBundles();
  });

  /**
   * The context the runner hands a scenario; its PostgreSQL is the test run's server (a fresh
   * database per call; the server's CPU is not counted here, the bench's own server does that).
   */
  const smokeBench = (cpuProf: boolean): BenchContext => ({
    receiver, quick: true, warmUpDeliveries: 20, cpuProf, log: () => {},
    postgres: async () => ({
      freshDatabase: async () => { databases.push(await freshDatabase('postgres')); return databases.at(-1)!; },
      statementStats: false, cpuTimeMs: async () => null, stop: async () => {},
    }),
    tempDir: (purpose) => {
      tempDirs.push(mkdtempSync(path.join(os.tmpdir(), `realid-bench-test-${purpose}-`)));
      // databaseFor (ours-scenarios.ts) puts a scenario's SQLite file in a 'db' directory.
      if (purpose === 'db') databases.push(path.join(tempDirs.at(-1)!, 'realid.db'));
      return tempDirs.at(-1)!;
    },
  });

  const post = (path: string, headers: Record<string, string>, body: string) =>
    request(`${receiver.url}${path}`, { method: 'POST', headers, body }).then(async (r) => { await r.body.dump(); return r.statusCode; });

  it('receiver accepts correctly signed deliveries, refuses forged ones and counts duplicates apart', async () => {
    const secret = generateWebhookSecret();
    await receiver.verifyWith(secret);
    await receiver.reset();
    const { eventId, body } = newEventBody();
    const signed = signedRequest(eventId, body, secret);
    expect(await post('/ep/0', signed.headers, body)).toBe(200);
    expect(await post('/ep/0', signed.headers, body)).toBe(200);
    expect(await post('/ep/1', signed.headers, body)).toBe(200);
    const forged = signedRequest(eventId, body, generateWebhookSecret());
    expect(await post('/ep/0', forged.headers, body)).toBe(401);
    expect(await post('/ep/0', signed.headers, body.replace('completed', 'failed'))).toBe(401);

    const stats = await receiver.stats();
    expect(stats).toMatchObject({ requests: 5, unique: 2, duplicates: 1, badSignatures: 2 });
    expect([...(await receiver.arrivals('/ep/0')).keys()]).toEqual([eventId]);
  });

  it('measures a ceiling in which every signed POST arrived', async () => {
    const ceiling = await measureCeiling(receiver, { connections: 4, rounds: 1, roundMs: 300, maxRequestsPerRound: 2_000, warmUp: false });
    expect(ceiling.status).toBe('ok');
    expect(ceiling.opsPerSec).toBeGreaterThan(0);
    expect(ceiling.deliveries).toBe(ceiling.expected);
    expect(ceiling.badSignatures).toBe(0);
    expect(ceiling.latencyMs.p50).toBeGreaterThan(0);
    // The bare client's own CPU per request (process.cpuUsage: microseconds, never zero for real work).
    expect(ceiling.cpuUsPerOp).toBeGreaterThan(0);
  });

  it('runs our engine end to end on SQLite: every delivery arrives once, signed, with its latency and a profile', async () => {
    const result = await oursThroughput(smokeBench(true), {
      name: 'smoke', title: 'smoke', dialect: 'sqlite', workerProcesses: 0, endpoints: 2, events: 30, batch: 10, maxMs: 20_000,
    });
    expect(result.note).not.toMatch(/not available/);
    expect(result).toMatchObject({ status: 'ok', deliveries: 60, expected: 60, duplicates: 0, badSignatures: 0 });
    expect(result.opsPerSec).toBeGreaterThan(0);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50!);
    expect(result.peakRssMb).toBeGreaterThan(20);
    // The main thread's profile, not the module loader's: it saw our own code and the database driver.
    expect(result.profile!.top.length).toBeGreaterThan(0);
    expect(result.profile!.top.every((f) => !f.location.includes('esm/worker'))).toBe(true);
    expect(result.profile!.areas.map((a) => a.function)).toEqual(expect.arrayContaining(['Real ID (src/)', 'better-sqlite3']));
    // The whole profile is kept for a viewer; CPU time is counted (in 10 ms ticks, so it may round to 0 on a tiny run).
    expect(existsSync(result.profile!.file!)).toBe(true);
    rmSync(result.profile!.file!);
    expect(typeof result.cpuUsPerOp).toBe('number');
    expect(typeof result.receiverCpuUsPerOp).toBe('number');
    // Its CPU by thread, read from /proc: the note names the main thread, the sending thread and the rest.
    expect(result.cpuUsPerOpByThread).toHaveLength(1);
    expect(result.cpuUsPerOpByThread![0]).toEqual({ main: expect.any(Number), busiestOther: expect.any(Number), others: expect.any(Number) });
    expect(result.note).toMatch(/our process by thread: main \d+ µs, the sending thread \d+ µs, the rest \(GC and other helpers\) \d+ µs/);
  }, 60_000);

  const peerSpec = (name: string): PeerSpec => ({ name, title: name, endpoints: 2, load: { events: 30, batch: 10, maxMs: 20_000, drainMs: 15_000 } });

  it('runs the pg-boss baseline: every job delivered once, signed, with the database\'s CPU counted', async () => {
    const result = await pgBossScenario(smokeBench(false), peerSpec('pgboss-smoke'));
    expect(result).toMatchObject({ status: 'ok', deliveries: 60, expected: 60, duplicates: 0, badSignatures: 0 });
    expect(result.note).toMatch(/pg-boss 8 loops/);
    expect(result.cpuUsPerOpByProcess).toHaveLength(2);
  }, 90_000);

  // .ci/run installs Debian's redis-server, so CI always runs this; a machine without it skips it (and the next test shows what the benchmark says then).
  it.skipIf(!redisServerPath())('runs the BullMQ baseline on a Redis server of its own: every job delivered once, signed, Redis\'s CPU counted', async () => {
    const result = await bullMqScenario(smokeBench(false), peerSpec('bullmq-smoke'));
    expect(result).toMatchObject({ status: 'ok', deliveries: 60, expected: 60, duplicates: 0, badSignatures: 0 });
    expect(result.note).toMatch(/BullMQ concurrency 128/);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    // The Redis server's CPU time is read from /proc like PostgreSQL's (10 ms ticks: a tiny run may round to 0).
    expect(typeof result.databaseCpuUsPerOp).toBe('number');
  }, 90_000);

  it('skips the BullMQ row where redis-server is not installed, saying how to add it', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const result = await bullMqScenario(smokeBench(false), peerSpec('bullmq-missing'));
      expect(result.status).toBe('skipped');
      expect(result.note).toContain('apt-get install redis-server');
    } finally {
      process.env.PATH = path;
    }
  });

  it.each(DIALECTS)('runs the floor on %s (the same writes and sends, hand-written): every delivery arrives once, signed, and is recorded', async (dialect) => {
    const bench = smokeBench(false);
    const result = await floorScenario(bench, { name: 'floor-smoke', title: 'floor smoke', dialect, endpoints: 2, events: 30, batch: 10, maxMs: 20_000 });
    expect(result).toMatchObject({ status: 'ok', deliveries: 60, expected: 60, duplicates: 0, badSignatures: 0 });
    expect(result.opsPerSec).toBeGreaterThan(0);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(typeof result.cpuUsPerOp).toBe('number');
    // The floor does the durable work it claims: every delivery ended succeeded with one attempt
    // row — the probe's 2, the discarded warm-up's 20 (10 events to 2 endpoints) and the measured 60.
    const db = openDatabase(databases.at(-1)!);
    try {
      const deliveries = await db.kysely.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      const attempts = await db.kysely.selectFrom('attempts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(deliveries.map((r) => [r.status, Number(r.n)])).toEqual([['succeeded', Number(attempts.n)]]);
      expect(Number(attempts.n)).toBe(82);
    } finally {
      await db.close();
    }
  }, 60_000);
});
