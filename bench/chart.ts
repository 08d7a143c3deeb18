import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderChart } from './chart-svg.js';
import { REPO_ROOT } from './child.js';
import { RESULTS_DIR, type BenchReport } from './report.js';

/**
 * `node --import tsx bench/chart.ts [results.json]`: draws docs/benchmarks.svg from a run's JSON
 * (bench/results/latest.json by default).
 */
const source = process.argv[2] ?? path.join(RESULTS_DIR, 'latest.json');
const target = path.join(REPO_ROOT, 'docs', 'benchmarks.svg');
const report = JSON.parse(readFileSync(source, 'utf8')) as BenchReport;
writeFileSync(target, renderChart(report));
console.log(`Wrote ${path.relative(REPO_ROOT, target)} from ${path.relative(REPO_ROOT, source)}`);
