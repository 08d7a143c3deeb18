import type { BenchReport } from './report.js';
import type { ScenarioResult } from './result.js';
import { formatMs } from './stats.js';

/**
 * The benchmark chart as a hand-written SVG (no dependency): throughput bars, each with a tick at
 * the ceiling measured in the same minute, then commit-to-arrival p50/p95/p99 on a log scale
 * (latencies run from milliseconds to seconds, a linear axis would flatten the good ones).
 */
const WIDTH = 1000;
const LABEL_WIDTH = 380;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 90;
/** The latency panel keeps room on the right for the three numbers. */
const LATENCY_PLOT_WIDTH = WIDTH - LABEL_WIDTH - 250;
const ROW = 26;
const COLOURS = { ceiling: '#7a7a7a', ours: '#1f6feb', floor: '#57a3ff', peer: '#d97706', tick: '#111', p50: '#1f6feb', p95: '#8250df', p99: '#cf222e' };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, content: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${escape(content)}</text>`;
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h}" fill="${fill}"/>`;

function colourOf(row: ScenarioResult): string {
  if (row.name === 'ceiling') return COLOURS.ceiling;
  if (row.name.startsWith('floor')) return COLOURS.floor;
  return row.name.startsWith('peer') ? COLOURS.peer : COLOURS.ours;
}

function legend(y: number, entries: Array<[string, string]>): string[] {
  return entries.flatMap(([label, colour], i) => {
    const x = WIDTH - 75 * entries.length - 5 + i * 75;
    return [rect(x, y - 9, 10, 10, colour), text(x + 14, y, label, 'class="small"')];
  });
}

function throughputPanel(rows: ScenarioResult[], top: number): { svg: string[]; height: number } {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.opsPerSec ?? 0, r.pairedCeiling ?? 0)));
  const scale = (value: number) => (value / max) * PLOT_WIDTH;
  const svg = [
    text(10, top + 16, 'Throughput: deliveries per second (black tick: the ceiling measured just before the row)', 'class="h"'),
    ...legend(top + 16, [['ours', COLOURS.ours], ['floor', COLOURS.floor], ['peer', COLOURS.peer], ['ceiling', COLOURS.ceiling]]),
  ];
  rows.forEach((row, i) => {
    const y = top + 30 + i * ROW;
    svg.push(text(LABEL_WIDTH - 8, y + 15, row.title, 'text-anchor="end"'));
    if (row.opsPerSec === null) {
      svg.push(text(LABEL_WIDTH + 4, y + 15, `${row.status}`, 'class="muted"'));
      return;
    }
    svg.push(rect(LABEL_WIDTH, y + 3, scale(row.opsPerSec), ROW - 8, colourOf(row)));
    if (row.pairedCeiling) {
      const x = LABEL_WIDTH + scale(row.pairedCeiling);
      svg.push(`<line x1="${x.toFixed(1)}" y1="${y}" x2="${x.toFixed(1)}" y2="${y + ROW - 2}" stroke="${COLOURS.tick}" stroke-width="2"/>`);
    }
    svg.push(text(LABEL_WIDTH + scale(row.opsPerSec) + 6, y + 15, `${row.opsPerSec}/s`));
  });
  return { svg, height: 40 + rows.length * ROW };
}

function latencyPanel(rows: ScenarioResult[], top: number): { svg: string[]; height: number } {
  const maxMs = Math.max(10, ...rows.map((r) => r.latencyMs.p99 ?? 0));
  // The axis starts at the decade of the fastest p50 (at most 1 ms, at least 0.01 ms): our p50 at
  // 500/s is a fraction of a millisecond, which an axis from 1 ms drew as no bar at all.
  const minMs = Math.min(1, ...rows.map((r) => r.latencyMs.p50 ?? 1));
  const low = Math.max(-2, Math.floor(Math.log10(Math.max(0.01, minMs))));
  const decades = Math.ceil(Math.log10(maxMs)) - low;
  const scale = (ms: number) => ((Math.log10(Math.max(10 ** low, ms)) - low) / decades) * LATENCY_PLOT_WIDTH;
  const axisY = top + 30 + rows.length * ROW * 1.5;
  const svg = [
    text(10, top + 16, 'Commit-to-arrival latency, ms (log scale)', 'class="h"'),
    ...legend(top + 16, [['p50', COLOURS.p50], ['p95', COLOURS.p95], ['p99', COLOURS.p99]]),
  ];
  rows.forEach((row, i) => {
    const y = top + 30 + i * ROW * 1.5;
    svg.push(text(LABEL_WIDTH - 8, y + 20, row.title, 'text-anchor="end"'));
    (['p50', 'p95', 'p99'] as const).forEach((key, k) => {
      const value = row.latencyMs[key];
      if (value === null) return;
      svg.push(rect(LABEL_WIDTH, y + 3 + k * 10, scale(value), 9, COLOURS[key]));
      if (key === 'p99') {
        const numbers = `p50 ${formatMs(row.latencyMs.p50)} · p95 ${formatMs(row.latencyMs.p95)} · p99 ${formatMs(value)} ms`;
        svg.push(text(LABEL_WIDTH + LATENCY_PLOT_WIDTH + 12, y + 20, numbers, 'class="small"'));
      }
    });
  });
  for (let d = 0; d <= decades; d++) {
    const x = LABEL_WIDTH + (d / decades) * LATENCY_PLOT_WIDTH;
    svg.push(`<line x1="${x.toFixed(1)}" y1="${top + 26}" x2="${x.toFixed(1)}" y2="${axisY}" stroke="#ddd"/>`);
    svg.push(text(x, axisY + 14, `${Number((10 ** (d + low)).toPrecision(1))}`, 'text-anchor="middle" class="small"'));
  }
  return { svg, height: axisY - top + 24 };
}

export function renderChart(report: BenchReport): string {
  const throughputRows = report.results.filter((r) => r.offeredRate === undefined && r.status !== 'skipped');
  const latencyRows = report.results.filter((r) => r.latencyKind === 'commit-to-arrival' && r.latencyMs.p50 !== null);
  const header = [
    text(10, 22, 'Real ID webhook delivery benchmark', 'class="title"'),
    text(10, 40, `${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GB, Node ${report.machine.node}, load average ${report.machine.loadAtStart} at start, ${report.startedAt.slice(0, 16)}Z`, 'class="muted"'),
    text(10, 56, report.command, 'class="muted"'),
  ];
  const throughput = throughputPanel(throughputRows, 66);
  const latency = latencyPanel(latencyRows, 76 + throughput.height);
  const height = 96 + throughput.height + latency.height;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${Math.round(height)}" viewBox="0 0 ${WIDTH} ${Math.round(height)}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.title{font-size:16px;font-weight:600}.h{font-weight:600}.muted{fill:#666}.small{font-size:10px;fill:#333}</style>',
    `<rect width="${WIDTH}" height="${Math.round(height)}" fill="#fff"/>`,
    ...header, ...throughput.svg, ...latency.svg,
    '</svg>',
  ].join('\n') + '\n';
}
