import { describe, expect, it } from 'vitest';
import { renderChart } from '../../bench/chart-svg.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  areaOf, formatProfile, readMainThreadProfile, readSendingThreadProfile, selfTimeByArea, shortLocation, summariseProfile, topSelfTime, type CpuProfile,
} from '../../bench/cpu-profile.js';
import { formatMarkdown, formatText, type BenchReport } from '../../bench/report.js';
import { medianRound } from '../../bench/repeat.js';
import { NO_LATENCY, notRun, type ScenarioResult } from '../../bench/result.js';
import { commitToArrival, percentiles } from '../../bench/stats.js';
import { checkTargets, cpuBound } from '../../bench/targets.js';
import { threadSplit } from '../../bench/row-costs.js';

/** The arithmetic behind the benchmark table: percentiles, latency pairing, profiles, targets. */
const row = (name: string, opsPerSec: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  name, title: name, status: 'ok', deliveries: 100, expected: 100, seconds: 1, opsPerSec,
  latencyKind: 'commit-to-arrival', latencyMs: NO_LATENCY, ...extra,
});

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles and pairs commit with arrival by event id', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(percentiles([])).toEqual({ p50: null, p95: null, p99: null });
    const commits = new Map([['evt_a', 1000], ['evt_b', 1005]]);
    const arrivals = new Map([['evt_a', 1003], ['evt_b', 1015], ['evt_unknown', 2000]]);
    expect(commitToArrival(commits, arrivals)).toEqual([3, 10]);
  });

  it('ranks functions by self time, leaving out idle time and naming where each lives', () => {
    const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
    const profile: CpuProfile = {
      startTime: 0, endTime: 1_000_000,
      nodes: [
        { id: 1, hitCount: 500, callFrame: frame('(idle)', '') },
        { id: 2, hitCount: 300, callFrame: frame('claimDue', 'file:///repo/src/delivery/claim.ts', 9) },
        { id: 3, hitCount: 150, callFrame: frame('request', 'file:///repo/node_modules/undici/lib/api.js', 4) },
        { id: 4, hitCount: 50, callFrame: frame('claimDue', 'file:///repo/src/delivery/claim.ts', 9) },
      ],
    };
    const top = topSelfTime(profile, 5);
    expect(top.map((f) => [f.function, f.location, f.percent])).toEqual([
      ['claimDue', 'src/delivery/claim.ts:10', 70],
      ['request', 'undici/lib/api.js:5', 30],
    ]);
    expect(top[0]!.selfMs).toBe(350);
    expect(shortLocation('node:internal/streams/writable', 0)).toBe('node:internal/streams/writable:1');
    expect(selfTimeByArea(profile).map((a) => [a.function, a.percent])).toEqual([['Real ID (src/)', 70], ['undici', 30]]);
    expect(areaOf('(garbage collector)', '')).toBe('garbage collection');
    expect(areaOf('load', 'node:internal/modules/esm/loader')).toBe('module loading (start-up)');
  });

  it('finds the sending thread\'s profile among the threads\' and prints it after the main thread\'s', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-profiles-'));
    try {
      const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
      const profileOf = (name: string, url: string): CpuProfile => ({ startTime: 0, endTime: 1_000, nodes: [{ id: 1, hitCount: 10, callFrame: frame(name, url) }] });
      // Node names each thread's file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
      const write = (thread: number, profile: CpuProfile) => writeFileSync(path.join(dir, `CPU.20261126.220000.4242.${thread}.00${thread + 1}.cpuprofile`), JSON.stringify(profile));
      write(0, profileOf('recordAttempts', 'file:///repo/src/delivery/record-attempts.ts'));
      write(1, profileOf('load', 'file:///repo/node_modules/tsx/dist/esm/index.mjs'));
      write(2, profileOf('checkpoint', 'file:///repo/src/db/sqlite-checkpointer.ts'));
      write(3, profileOf('(anonymous)', 'file:///repo/dist/server/send-thread.mjs'));
      expect(readMainThreadProfile(dir)!.profile.nodes[0]!.callFrame.functionName).toBe('recordAttempts');
      const sending = readSendingThreadProfile(dir)!;
      expect(sending.file).toMatch(/\.4242\.3\.004\.cpuprofile$/);
      const summary = summariseProfile(readMainThreadProfile(dir)!.profile);
      summary.sendingThread = summariseProfile(sending.profile);
      const printed = formatProfile('Ours', summary);
      expect(printed.indexOf('Top self time — Ours, its sending thread:')).toBeGreaterThan(printed.indexOf('recordAttempts'));
      rmSync(path.join(dir, 'CPU.20261126.220000.4242.3.004.cpuprofile'));
      expect(readSendingThreadProfile(dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the issue\'s targets against the ceiling of the same minute and says what was not measured', () => {
    const results = [
      row('ceiling', 10_000),
      row('ours-sqlite-1ep', 4_000, { pairedCeiling: 6_000 }),
      row('ours-pg-1p-1ep', 4_000),
      row('ours-pg-1w-1ep', 3_000),
      row('peer-pgboss-1ep', 1_000),
      row('peer-bullmq-1ep', 4_000),
      row('ours-latency-500', 500, { offeredRate: 500, latencyMs: { p50: 3, p95: 9, p99: 30 } }),
      notRun('ours-backlog', 'backlog', 'unavailable', 'engine not available'),
    ];
    // PostgreSQL's share is checked for both ways of running one worker: 40% in the API's process, 30% beside it;
    // each peer against our row of its layout (a worker process of its own): faster than pg-boss, slower than BullMQ here.
    expect(checkTargets(results).map((t) => t.verdict)).toEqual(['met', 'met', 'missed', 'met', 'missed', 'missed', 'not measured']);
    expect(checkTargets(results)[4]).toMatchObject({ target: expect.stringContaining('BullMQ'), measured: '0.75× (3000 vs 4000/s)' });
    // A low p99 on a fraction of the offered load does not meet a target stated at the full rate.
    const partial = row('ours-latency-500', 200, { offeredRate: 500, latencyMs: { p50: 3, p95: 9, p99: 20 } });
    expect(checkTargets([partial])[5]).toMatchObject({ verdict: 'missed', measured: '20 ms at 200 of the 500 events/s offered' });
    expect(checkTargets([{ ...partial, opsPerSec: 480 }])[5]!.verdict).toBe('met');
    // Without the peer, the comparison says why the peer is missing, not what our row printed.
    const withoutPeer = checkTargets([row('ours-pg-1w-1ep', 3_000, { note: 'our own note' }), notRun('peer-pgboss-1ep', 'peer', 'unavailable', 'pg-boss is not installed')]);
    expect(withoutPeer[3]).toMatchObject({ verdict: 'not measured', measured: 'pg-boss is not installed' });
    const withoutRedis = checkTargets([row('ours-pg-1w-1ep', 3_000), notRun('peer-bullmq-1ep', 'peer', 'skipped', 'redis-server is not installed')]);
    expect(withoutRedis[4]).toMatchObject({ verdict: 'not measured', measured: 'redis-server is not installed' });

    const report: BenchReport = {
      startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', command: 'npm run bench -- --quick', quick: true,
      machine: { cpu: 'Test CPU', cores: 2, memoryGb: 4, node: 'v20', platform: 'Linux', loadAtStart: 1 },
      results, targets: checkTargets(results),
    };
    const text = formatText(report);
    expect(text).toContain('Test CPU, 2 cores');
    expect(text).toMatch(/ours-sqlite-1ep\s+100\/100\s+4000\s+6000\s+67%/);
    expect(text).toContain('engine not available');
    expect(formatMarkdown(report)).toContain('| ours-pg-1w-1ep | 100/100 | 3000 | – | 30% |');

    const svg = renderChart(report);
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // A bar per throughput row that ran (the backlog says why it has none), a ceiling tick for the
    // paired row, a latency triple for the latency row.
    expect(svg.match(/<rect [^>]*height="18"/g)).toHaveLength(6);
    expect(svg).toContain('>unavailable</text>');
    expect(svg.match(/<line [^>]*stroke="#111"/g)).toHaveLength(1);
    expect(svg).toContain('p50 3.00 · p95 9.00 · p99 30.0 ms');
    expect(svg).toContain('>backlog</text>');
    // A sub-millisecond p50 still gets a bar: the log axis starts at its decade (0.1 ms here).
    const fast = { ...results.find((r) => r.latencyKind === 'commit-to-arrival' && r.latencyMs.p50 !== null)!, latencyMs: { p50: 0.3, p95: 1.4, p99: 4 } };
    const fastSvg = renderChart({ ...report, results: [fast] });
    expect(fastSvg).toContain('>0.1</text>');
    const p50Bar = /<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="9" fill="#1f6feb"\/>/.exec(fastSvg);
    expect(Number(p50Bar?.[1])).toBeGreaterThan(50);
  });

  it('splits a process\'s CPU by thread: its main thread, its busiest other thread, the rest', () => {
    // Thread 100 is the main thread (its id is the pid); 103 was born during the row; 104 is idle.
    const before = new Map([[100, 1_000], [101, 500], [102, 200], [104, 50]]);
    const after = new Map([[100, 1_600], [101, 1_400], [102, 300], [103, 100], [104, 50]]);
    // Over 1,000 deliveries: 600 ms main, 900 ms the busiest other, 100 + 100 + 0 ms the rest.
    expect(threadSplit(100, before, after, 1_000)).toEqual({ main: 600, busiestOther: 900, others: 200 });
    expect(threadSplit(100, null, after, 1_000)).toBeNull();
    expect(threadSplit(100, before, after, 0)).toBeNull();
  });

  it('says how far a missed share of the ceiling is from what the machine\'s cores allow', () => {
    // 2 cores ÷ (300 µs ours + 100 µs the receiver's) = 5,000/s at most: 50% of a 10,000/s ceiling.
    const ours = row('ours-sqlite-1ep', 2_500, { pairedCeiling: 10_000, cpuUsPerOp: 300, receiverCpuUsPerOp: 100 });
    const floor = row('floor-sqlite-1ep', 4_000, { cpuUsPerOp: 200, receiverCpuUsPerOp: 100 });
    expect(cpuBound(ours, 2)).toBe(5_000);
    expect(cpuBound({ ...ours, databaseCpuUsPerOp: 100 }, 2)).toBe(4_000);
    expect(cpuBound({ ...ours, receiverCpuUsPerOp: null }, 2)).toBeNull();
    const [sqlite] = checkTargets([row('ceiling', 12_000), ours, floor], 2);
    expect(sqlite).toMatchObject({ verdict: 'missed' });
    expect(sqlite!.measured).toContain('25% (2500 of 10000/s)');
    expect(sqlite!.measured).toContain('our engine costs 300 µs of CPU per delivery + 100 µs the receiver\'s, so on 2 cores it could reach at most 5000/s = 50% of the ceiling measured with it (10000/s)');
    expect(sqlite!.measured).toContain('the floor (the same writes and sends hand-written) did 4000/s and costs 200 µs of CPU per delivery');
    expect(sqlite!.measured).toContain('at most 6667/s = 67% of the ceiling measured with it (10000/s)');
    expect(sqlite!.measured).toContain('A floor could reach the target: the gap is our engine\'s own cost');
    // When no floor's bound reaches the target, not even with primary keys only, the limit is the work itself.
    const slowFloor = { ...floor, cpuUsPerOp: 400 };
    const pkOnly = row('floor-sqlite-pk-only-1ep', 4_500, { cpuUsPerOp: 350, receiverCpuUsPerOp: 100 });
    const [bound] = checkTargets([ours, slowFloor, pkOnly], 2);
    expect(bound!.measured).toContain('the floor with primary keys only (the same writes and sends, no other index) did 4500/s');
    expect(bound!.measured).toContain('No floor could reach it on 2 cores, not even with primary keys only: the limit is what the durable writes and the signed POST cost on this machine, not our code');
    // A floor's bound within a tenth of the target (here 48% against 50%) settles nothing: the run says so.
    const edge = row('floor-sqlite-pk-only-1ep', 4_500, { cpuUsPerOp: 316, receiverCpuUsPerOp: 100 });
    const [unsure] = checkTargets([ours, slowFloor, edge], 2);
    expect(unsure!.measured).toContain('at the edge of what the work allows on 2 cores, which one run cannot settle');
    expect(unsure!.measured).not.toContain('not our code');
    expect(unsure!.measured).not.toContain('our engine\'s own cost');
    // A floor's bound is a share of the ceiling of its own minute, not of our row's: the same floor
    // timed beside a ceiling of 16,000/s (42%) reaches nothing, whatever our row's minute was.
    const [ownMinute] = checkTargets([ours, { ...floor, pairedCeiling: 16_000 }], 2);
    expect(ownMinute!.measured).toContain('at most 6667/s = 42% of the ceiling measured with it (16000/s)');
    expect(ownMinute!.measured).toContain('No floor could reach it on 2 cores');
    // A met target needs no explanation.
    expect(checkTargets([{ ...ours, opsPerSec: 6_000 }], 2)[0]!.measured).toBe('60% (6000 of 10000/s)');
  });
});

describe('--repeat', () => {
  it('reports the round with the median rate, whole, and lists every round', () => {
    const rounds = [
      row('ours-sqlite-1ep', 5_700, { pairedCeiling: 17_000, cpuUsPerOp: 243 }),
      row('ours-sqlite-1ep', 3_700, { pairedCeiling: 9_000, cpuUsPerOp: 368 }),
      row('ours-sqlite-1ep', 5_100, { pairedCeiling: 15_900, cpuUsPerOp: 271 }),
    ];
    const median = medianRound(rounds);
    // The median round's own ceiling and CPU, not a mix of rounds.
    expect(median).toMatchObject({ opsPerSec: 5_100, pairedCeiling: 15_900, cpuUsPerOp: 271 });
    expect(median.note).toBe('median of 3 rounds: 5700/s (34%) at 243 µs; 3700/s (41%) at 368 µs; 5100/s (32%) at 271 µs');
  });

  it('leaves out rounds that did not run, but says so', () => {
    const median = medianRound([row('floor-sqlite-1ep', 7_000), notRun('floor-sqlite-1ep', 'Floor', 'error', 'receiver went away'), row('floor-sqlite-1ep', 6_000)]);
    expect(median.opsPerSec).toBe(6_000);
    expect(median.note).toContain('error (receiver went away)');
    expect(medianRound([row('ceiling', 20_000)]).note).toBeUndefined();
  });
});
