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

export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  const row = (name: string) => results.find((r) => r.name === name);
  const ceiling = row('ceiling');
  const share = (name: string, minimum: number, target: string): TargetCheck => {
    const ours = row(name);
    const against = ours?.pairedCeiling ?? (ran(ceiling) ? ceiling.opsPerSec : null);
    if (!ran(ours) || !against) return { target, verdict: 'not measured', measured: ours?.note ?? 'did not run' };
    const ratio = ours.opsPerSec! / against;
    return { target, verdict: ratio >= minimum ? 'met' : 'missed', measured: `${Math.round(ratio * 100)}% (${ours.opsPerSec} of ${against}/s)` };
  };
  const atMost = (name: string, pick: (r: ScenarioResult) => number | null | undefined, limit: number, unit: string, target: string): TargetCheck => {
    const r = row(name);
    const value = ran(r) ? pick(r) : null;
    if (value === null || value === undefined) return { target, verdict: 'not measured', measured: r?.note ?? 'did not run' };
    return { target, verdict: value <= limit ? 'met' : 'missed', measured: `${value} ${unit}` };
  };
  const ours = row('ours-pg-1w-1ep');
  const peer = row('peer-pgboss-1ep');
  const versusPeer: TargetCheck = ran(ours) && ran(peer) && peer.opsPerSec
    ? { target: 'faster than pg-boss (PostgreSQL, 1 worker, 1 endpoint)', verdict: ours.opsPerSec! > peer.opsPerSec ? 'met' : 'missed', measured: `${(ours.opsPerSec! / peer.opsPerSec).toFixed(2)}× (${ours.opsPerSec} vs ${peer.opsPerSec}/s)` }
    : { target: 'faster than pg-boss (PostgreSQL, 1 worker, 1 endpoint)', verdict: 'not measured', measured: ours?.note ?? 'did not run' };
  return [
    share('ours-sqlite-1ep', 0.5, '≥ 50% of the ceiling on SQLite'),
    share('ours-pg-1w-1ep', 0.35, '≥ 35% of the ceiling on PostgreSQL, 1 worker'),
    versusPeer,
    latencyAtRate(row('ours-latency-500'), 25, 'p99 ≤ 25 ms at 500 events/s'),
    atMost('ours-backlog', (r) => r.peakRssMb, 250, 'MB', 'peak RSS ≤ 250 MB draining the backlog'),
  ];
}
