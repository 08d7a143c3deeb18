import type { ScenarioResult } from './result.js';

const measured = (r: ScenarioResult) => (r.status === 'ok' || r.status === 'timeout') && r.opsPerSec !== null;

/** One round as the note lists it: rate, share of its own ceiling, CPU per delivery. */
function describeRound(r: ScenarioResult): string {
  if (!measured(r)) return `${r.status}${r.note ? ` (${r.note})` : ''}`;
  const share = r.pairedCeiling ? ` (${Math.round((r.opsPerSec! / r.pairedCeiling) * 100)}%)` : '';
  const cpu = r.cpuUsPerOp ? ` at ${r.cpuUsPerOp} µs` : '';
  return `${r.opsPerSec}/s${share}${cpu}`;
}

/**
 * One row out of its repeated rounds (`--repeat N`): the round with the median rate, whole (its
 * own paired ceiling, CPU and latency belong together), with every round listed in its note. On
 * a shared machine one round can land in a neighbour's busy minute; the median of rounds run
 * alternately with the other rows is what to compare, and the list shows how far they spread.
 */
export function medianRound(rounds: readonly ScenarioResult[]): ScenarioResult {
  if (rounds.length === 0) throw new Error('medianRound needs at least one round');
  if (rounds.length === 1) return rounds[0]!;
  const ran = rounds.filter(measured).sort((a, b) => a.opsPerSec! - b.opsPerSec!);
  const chosen = ran.length > 0 ? ran[Math.floor((ran.length - 1) / 2)]! : rounds[rounds.length - 1]!;
  const list = `median of ${rounds.length} rounds: ${rounds.map(describeRound).join('; ')}`;
  return { ...chosen, note: chosen.note ? `${list}. ${chosen.note}` : list };
}
