import type { ScenarioResult } from './result.js';

/** The targets issue #7 sets, checked against one run: met, missed, or not measured. */
export interface TargetCheck {
  target: string;
  verdict: 'met' | 'missed' | 'not measured';
  measured: string;
}

const ran = (row: ScenarioResult | undefined): row is ScenarioResult =>
  row !== undefined && (row.status === 'ok' || row.status === 'timeout') && row.opsPerSec !== null;

/**
 * A latency target holds only if the offered rate was sustained: a p99 measured on a fraction of
 * the load (the service could not commit it all) does not meet a target stated at the full rate.
 */
function latencyAtRate(r: ScenarioResult | undefined, limitMs: number, target: string): TargetCheck {
  if (!ran(r) || r.latencyMs.p99 === null || !r.offeredRate) return { target, verdict: 'not measured', measured: r?.note ?? 'did not run' };
  const sustained = r.opsPerSec! >= r.offeredRate * 0.9;
  const measured = `${r.latencyMs.p99} ms at ${r.opsPerSec} of the ${r.offeredRate} events/s offered`;
  return { target, verdict: sustained && r.latencyMs.p99 <= limitMs ? 'met' : 'missed', measured };
}

/** The whole machine's CPU a row's deliveries cost each, µs: the senders', the receiver's and the database server's. */
export function machineCpuPerDelivery(r: ScenarioResult): number | null {
  if (!r.cpuUsPerOp || !r.receiverCpuUsPerOp) return null;
  return r.cpuUsPerOp + r.receiverCpuUsPerOp + (r.databaseCpuUsPerOp ?? 0);
}

/**
 * The most deliveries per second a row's work could reach on this machine if it kept every core
 * busy and nothing else ran: cores ÷ CPU per delivery. A share-of-the-ceiling target above this
 * bound cannot be met by any scheduling of that work, only by doing less of it.
 */
export function cpuBound(r: ScenarioResult, cores: number): number | null {
  const perDelivery = machineCpuPerDelivery(r);
  return perDelivery ? Math.round((cores * 1_000_000) / perDelivery) : null;
}

/**
 * The ceiling a row's bound is a share of: the one measured just before the row, in the same
 * minute as its CPU columns. A floor's bound divided by our row's ceiling would mix two minutes
 * of a shared machine (a floor timed in a quiet minute against a ceiling depressed by a noisy one
 * reads as reaching a target it does not).
 */
const ownCeiling = (r: ScenarioResult, fallback: number): number => r.pairedCeiling ?? fallback;

function boundNote(label: string, r: ScenarioResult | undefined, cores: number, fallbackCeiling: number): string {
  if (!r || !ran(r)) return '';
  const bound = cpuBound(r, cores);
  if (!bound) return '';
  const db = r.databaseCpuUsPerOp ? ` + ${r.databaseCpuUsPerOp} µs PostgreSQL's` : '';
  const ceiling = ownCeiling(r, fallbackCeiling);
  return `${label} costs ${r.cpuUsPerOp} µs of CPU per delivery + ${r.receiverCpuUsPerOp} µs the receiver's${db}, so on ${cores} cores it could reach at most ${bound}/s = ${Math.round((bound / ceiling) * 100)}% of the ceiling measured with it (${ceiling}/s)`;
}

/** A floor row a share-of-the-ceiling target is compared with. */
interface Floor {
  name: string;
  /** Whether it kept only the primary keys (the least any schema could pay). */
  primaryKeysOnly: boolean;
}

const floorsOf = (database: 'sqlite' | 'pg'): Floor[] => [
  { name: `floor-${database}-1ep`, primaryKeysOnly: false },
  { name: `floor-${database}-pk-only-1ep`, primaryKeysOnly: true },
];

const floorLabel = (floor: Floor) => (floor.primaryKeysOnly
  ? 'the floor with primary keys only (the same writes and sends, no other index)'
  : 'the floor (the same writes and sends hand-written)');

/**
 * How far a floor's bound must clear the target (either way) for one run to decide where the
 * limit is: ceilings and CPU columns move by a tenth or more from minute to minute on a shared
 * machine, and the floors run in other minutes than our row.
 */
const VERDICT_MARGIN = 0.1;

/**
 * The verdict a missed share-of-the-ceiling target needs: could the work itself reach it here?
 * If a floor's CPU bound is clearly above the target, the gap is our engine's cost; if every
 * floor's is clearly below (the least the same writes and sends cost, hand-written), no code could
 * reach it on these cores; in between, this run cannot tell.
 */
function whereTheLimitIs(floors: ReadonlyArray<{ floor: Floor; result: ScenarioResult }>, cores: number, fallbackCeiling: number, minimum: number): string {
  const shares = floors.flatMap((f) => {
    const bound = cpuBound(f.result, cores);
    return bound === null ? [] : [bound / ownCeiling(f.result, fallbackCeiling)];
  });
  if (shares.length === 0) return '';
  if (shares.some((share) => share >= minimum * (1 + VERDICT_MARGIN))) return ". A floor could reach the target: the gap is our engine's own cost";
  if (shares.every((share) => share < minimum * (1 - VERDICT_MARGIN))) {
    return `. No floor could reach it on ${cores} cores${floors.some((f) => f.floor.primaryKeysOnly) ? ', not even with primary keys only' : ''}: the limit is what the durable writes and the signed POST cost on this machine, not our code`;
  }
  return `. The floors' bounds are within ${VERDICT_MARGIN * 100}% of the target: at the edge of what the work allows on ${cores} cores, which one run cannot settle (compare several)`;
}

export function checkTargets(results: readonly ScenarioResult[], cores = 2): TargetCheck[] {
  const row = (name: string) => results.find((r) => r.name === name);
  const ceiling = row('ceiling');
  const share = (name: string, minimum: number, target: string, floors: readonly Floor[]): TargetCheck => {
    const ours = row(name);
    const against = ours?.pairedCeiling ?? (ran(ceiling) ? ceiling.opsPerSec : null);
    if (!ran(ours) || !against) return { target, verdict: 'not measured', measured: ours?.note ?? 'did not run' };
    const ratio = ours.opsPerSec! / against;
    const measured = `${Math.round(ratio * 100)}% (${ours.opsPerSec} of ${against}/s)`;
    if (ratio >= minimum) return { target, verdict: 'met', measured };
    const floorRows = floors.map((floor) => ({ floor, result: row(floor.name) }))
      .filter((f): f is { floor: Floor; result: ScenarioResult } => ran(f.result));
    const floorNotes = floorRows.map((f) => `; ${floorLabel(f.floor)} did ${f.result.opsPerSec}/s${boundNote(' and', f.result, cores, against)}`).join('');
    return { target, verdict: 'missed', measured: measured + boundNote('; our engine', ours, cores, against) + floorNotes + whereTheLimitIs(floorRows, cores, against, minimum) };
  };
  const atMost = (name: string, pick: (r: ScenarioResult) => number | null | undefined, limit: number, unit: string, target: string): TargetCheck => {
    const r = row(name);
    const value = ran(r) ? pick(r) : null;
    if (value === null || value === undefined) return { target, verdict: 'not measured', measured: r?.note ?? 'did not run' };
    return { target, verdict: value <= limit ? 'met' : 'missed', measured: `${value} ${unit}` };
  };
  // Each peer against our row of the same layout: a producing process and one worker process.
  const fasterThan = (peerName: string, target: string): TargetCheck => {
    const ours = row('ours-pg-1w-1ep');
    const peer = row(peerName);
    return ran(ours) && ran(peer) && peer.opsPerSec
      ? { target, verdict: ours.opsPerSec! > peer.opsPerSec ? 'met' : 'missed', measured: `${(ours.opsPerSec! / peer.opsPerSec).toFixed(2)}× (${ours.opsPerSec} vs ${peer.opsPerSec}/s)` }
      // Whichever side did not run (or failed) says why: not our row's note when only the peer is missing.
      : { target, verdict: 'not measured', measured: (ran(ours) ? peer : ours)?.note ?? 'did not run' };
  };
  return [
    share('ours-sqlite-1ep', 0.5, '≥ 50% of the ceiling on SQLite', floorsOf('sqlite')),
    // Both ways of running one worker on PostgreSQL: in the process that takes the API's writes
    // (what `npm start` runs, and the floor's layout), and as a process of its own beside it.
    share('ours-pg-1p-1ep', 0.35, '≥ 35% of the ceiling on PostgreSQL, 1 worker (in the API\'s process, as `npm start` runs)', floorsOf('pg')),
    share('ours-pg-1w-1ep', 0.35, '≥ 35% of the ceiling on PostgreSQL, 1 worker (a process of its own beside the API\'s)', floorsOf('pg')),
    fasterThan('peer-pgboss-1ep', 'faster than pg-boss (PostgreSQL, 1 worker, 1 endpoint)'),
    fasterThan('peer-bullmq-1ep', 'faster than BullMQ (Redis, 1 worker, 1 endpoint; ours on PostgreSQL)'),
    latencyAtRate(row('ours-latency-500'), 25, 'p99 ≤ 25 ms at 500 events/s'),
    atMost('ours-backlog', (r) => r.peakRssMb, 250, 'MB', 'peak RSS ≤ 250 MB draining the backlog'),
  ];
}
