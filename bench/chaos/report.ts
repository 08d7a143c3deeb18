import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatMachine, type Machine } from '../machine.js';
import { RESULTS_DIR } from '../report.js';
import type { HostileResult } from './scenario-hostile.js';
import type { KillResult } from './scenario-kill.js';
import type { PostgresRestartResult } from './scenario-postgres-restart.js';
import type { SoakResult } from './scenario-soak.js';

/** One scenario's outcome: its full result, or why it did not finish. */
export type ScenarioOutcome =
  | { name: 'kill-sqlite' | 'kill-postgres' | 'kill-worker'; result: KillResult }
  | { name: 'postgres-restart' | 'postgres-restart-worker'; result: PostgresRestartResult }
  | { name: 'hostile'; result: HostileResult }
  | { name: 'soak'; result: SoakResult }
  | { name: string; error: string };

export interface ChaosReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  machine: Machine;
  outcomes: ScenarioOutcome[];
}

const HEADER = ['Scenario', 'Faults', 'Events (acked/in log)', 'Lost', 'Duplicates', 'Measured', 'Verdict'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)} ms`);
const verdict = (passed: boolean) => (passed ? 'PASS' : 'FAIL');

function killRow(name: string, r: KillResult): string[] {
  const restarts = [...r.restartMs].sort((a, b) => a - b);
  return [
    name, `${r.kills} × kill -9 ${r.killed === 'worker' ? 'of the worker process (the API\'s stayed up) ' : ''}under load, restarted (median restart ${seconds(restarts[Math.floor(restarts.length / 2)] ?? 0)})`,
    `${r.acknowledged}/${r.events}`, String(r.lost), `${r.duplicates} (≤ ${r.inFlightAtKills} in flight)`,
    `all delivered ${seconds(r.drainMs)} after the load; ${r.unanswered} calls unanswered while down`, verdict(r.passed),
  ];
}

function postgresRow(name: string, r: PostgresRestartResult): string[] {
  return [
    name, `${r.outages} × PostgreSQL stopped ${seconds(r.downMs)} under load${r.separateWorker ? ', the worker in a process of its own' : ''}`,
    `${r.acknowledged}/${r.events}`, String(r.lost), String(r.duplicates),
    `${r.serviceCrashed ? 'A SERVICE PROCESS CRASHED; ' : ''}p50 ${ms(r.latencyBeforeMs)} before, ${ms(r.latencyAfterMs)} after; first delivery ${ms(r.recoveryMs)} after PostgreSQL was back; API errors while down ${JSON.stringify(r.rejectedByStatus)}`,
    verdict(r.passed),
  ];
}

function hostileRow(r: HostileResult): string[] {
  const asExpected = r.endpoints.filter((e) => e.asExpected).length;
  const early = r.endpoints.reduce((sum, e) => sum + e.gaps.early, 0);
  const late = Math.max(0, ...r.endpoints.map((e) => e.gaps.maxLateMs));
  return [
    'hostile', `${r.endpoints.length} hostile endpoints beside a healthy one`,
    `${r.healthy.acknowledged}/${r.healthy.events}`, String(r.healthy.lost), String(r.healthy.duplicates),
    `healthy p50 ${ms(r.healthy.baseline.p50)} alone → ${ms(r.healthy.withHostile.p50)} with them; ${asExpected}/${r.endpoints.length} handled as expected; retries early ${early}, at most ${late} ms late; ${r.openAtEnd} stuck`,
    verdict(r.passed),
  ];
}

function soakRow(r: SoakResult): string[] {
  const trend = (t: SoakResult['rssMb']) => `${t.first ?? '–'}/${t.last ?? '–'}/${t.max ?? '–'}`;
  return [
    'soak', `none: ${r.durationSeconds} s of steady load`, `${r.acknowledged}/${r.events}`, String(r.lost), String(r.duplicates),
    `RSS first/last/max ${trend(r.rssMb)} MB (${r.rssMb.slopePerMinute ?? '–'} MB/min late), queue ${trend(r.queueDepth)}; ${r.memoryFlat && r.queueFlat ? 'flat' : 'NOT flat'}`,
    verdict(r.passed),
  ];
}

function rowOf(outcome: ScenarioOutcome): string[] {
  if ('error' in outcome) return [outcome.name, '–', '–', '–', '–', outcome.error.split('\n')[0]!.slice(0, 200), 'ERROR'];
  switch (outcome.name) {
    case 'kill-sqlite':
    case 'kill-postgres':
    case 'kill-worker': return killRow(outcome.name, outcome.result as KillResult);
    case 'postgres-restart':
    case 'postgres-restart-worker': return postgresRow(outcome.name, outcome.result as PostgresRestartResult);
    case 'hostile': return hostileRow(outcome.result as HostileResult);
    default: return soakRow(outcome.result as SoakResult);
  }
}

/** Per-endpoint lines of the hostile scenario and a crash's last words: what a reader needs to act. */
function notes(report: ChaosReport): string[] {
  const lines: string[] = [];
  for (const outcome of report.outcomes) {
    if ('error' in outcome) continue;
    const audit = outcome.name === 'hostile' ? (outcome.result as HostileResult).healthy : outcome.result as KillResult | PostgresRestartResult | SoakResult;
    if (audit.duplicates > 0 && Object.keys(audit.retryCauses).length > 0) {
      lines.push(`- ${outcome.name}: ${audit.duplicates} duplicates; the failed attempts of the deliveries that needed more than one, by kind: ${JSON.stringify(audit.retryCauses)}`);
    }
    if (outcome.name === 'hostile') {
      for (const e of (outcome.result as HostileResult).endpoints) {
        lines.push(`- hostile/${e.behaviour}: ${e.asExpected ? 'as expected' : 'NOT as expected'} (${e.expected}); ${e.succeeded} succeeded, ${e.failed} failed, ${e.open} open of ${e.deliveries}; attempts ${JSON.stringify(e.attemptKinds)}, longest ${e.longestAttemptMs} ms, retries early ${e.gaps.early}/${e.gaps.gaps}, at most ${e.gaps.maxLateMs} ms late`);
      }
    }
    if (outcome.name === 'postgres-restart' || outcome.name === 'postgres-restart-worker') {
      const crash = (outcome.result as PostgresRestartResult).crashOutput;
      if (crash) lines.push(`- ${outcome.name}: a service process died during the outage; its stderr said:\n${crash.split('\n').map((l) => `    ${l}`).join('\n')}`);
    }
  }
  return lines;
}

function table(report: ChaosReport, line: (row: string[]) => string, separator: string): string[] {
  return [line(HEADER), separator, ...report.outcomes.map((o) => line(rowOf(o)))];
}

export function formatText(report: ChaosReport): string {
  const rows = [HEADER, ...report.outcomes.map(rowOf)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [`Machine: ${formatMachine(report.machine)}`, '', ...table(report, line, widths.map((w) => '-'.repeat(w)).join('  ')), '', ...notes(report)].join('\n');
}

export function formatMarkdown(report: ChaosReport): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [
    `Machine: ${formatMachine(report.machine)}. Command: \`${report.command}\`, ${report.startedAt}.`, '',
    ...table(report, line, line(HEADER.map(() => '---'))), '', ...notes(report),
  ].join('\n');
}

/** Writes bench/results/chaos-<timestamp>.json (gitignored) and returns its path. */
export function writeChaosReport(report: ChaosReport): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `chaos-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
