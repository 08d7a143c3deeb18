import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './child.js';
import { formatMachine, type Machine } from './machine.js';
import type { ScenarioResult } from './result.js';
import { formatMs } from './stats.js';
import type { TargetCheck } from './targets.js';

/** What one run writes to bench/results/<timestamp>.json and bench/results/latest.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  machine: Machine;
  results: ScenarioResult[];
  targets: TargetCheck[];
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

const HEADER = ['Scenario', 'Delivered', 'ops/s', 'Ceiling then', 'vs ceiling', 'CPU µs/op', 'Receiver µs/op', 'DB µs/op', 'p50 ms', 'p95 ms', 'p99 ms', 'Peak RSS MB', 'Status'];

function cells(row: ScenarioResult, ceiling: number | null): string[] {
  const against = row.pairedCeiling ?? ceiling;
  // A latency row's rate is the offered load, not a capacity: a share of the ceiling would mislead.
  const ratio = row.opsPerSec !== null && against && row.offeredRate === undefined ? `${Math.round((row.opsPerSec / against) * 100)}%` : '–';
  const delivered = row.expected > 0 ? `${row.deliveries}/${row.expected}` : '–';
  return [
    row.title, delivered, row.opsPerSec === null ? '–' : String(row.opsPerSec),
    row.pairedCeiling === undefined ? '–' : String(row.pairedCeiling), row.name === 'ceiling' ? '100%' : ratio,
    row.cpuUsPerOp == null ? '–' : String(row.cpuUsPerOp),
    row.receiverCpuUsPerOp == null ? '–' : String(row.receiverCpuUsPerOp),
    row.databaseCpuUsPerOp == null ? '–' : String(row.databaseCpuUsPerOp),
    formatMs(row.latencyMs.p50), formatMs(row.latencyMs.p95), formatMs(row.latencyMs.p99),
    row.peakRssMb == null ? '–' : String(row.peakRssMb),
    row.status + (row.badSignatures ? ` (${row.badSignatures} bad signatures)` : '') + (row.duplicates ? ` (${row.duplicates} duplicates)` : ''),
  ];
}

function rows(report: BenchReport): string[][] {
  const ceiling = report.results.find((r) => r.name === 'ceiling')?.opsPerSec ?? null;
  return report.results.map((row) => cells(row, ceiling));
}

function notes(report: BenchReport): string[] {
  return report.results.filter((r) => r.note).map((r) => `- ${r.title}: ${r.note}`);
}

function targetLines(report: BenchReport): string[] {
  return report.targets.map((t) => `- ${t.verdict === 'met' ? '✓' : t.verdict === 'missed' ? '✗' : '·'} ${t.target}: ${t.verdict} — ${t.measured}`);
}

/** The table as the terminal shows it. */
export function formatText(report: BenchReport): string {
  const all = [HEADER, ...rows(report)];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [
    `Machine: ${formatMachine(report.machine)}`,
    '',
    line(HEADER),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows(report).map(line),
    '',
    'Notes:', ...notes(report),
    '',
    'Targets (issue #7):', ...targetLines(report),
  ].join('\n');
}

/** The same table for docs/benchmarks.md. */
export function formatMarkdown(report: BenchReport): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [
    `Machine: ${formatMachine(report.machine)}. Command: \`${report.command}\`, ${report.startedAt}.`,
    '',
    line(HEADER),
    line(HEADER.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows(report).map(line),
    '',
    ...notes(report),
    '',
    'Targets (issue #7):',
    '',
    ...targetLines(report),
  ].join('\n');
}

/** Writes the run's JSON twice: under its timestamp (kept) and as latest.json (what chart.ts reads). */
export function writeReport(report: BenchReport, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  return file;
}
