import { removeBundles } from './child.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext } from './bench-context.js';
import { pairedCeiling } from './ceiling.js';
import { wallClockMs } from './clock.js';
import { formatProfile } from './cpu-profile.js';
import { formatStatements } from './pg-statements.js';
import { describeMachine } from './machine.js';
import { startBenchPostgres, type BenchPostgres } from './postgres.js';
import { startReceiver } from './receiver-handle.js';
import { formatMarkdown, formatText, writeReport, type BenchReport } from './report.js';
import { notRun, type ScenarioResult } from './result.js';
import { medianRound } from './repeat.js';
import { SCENARIOS } from './scenarios.js';
import { checkTargets } from './targets.js';

/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --cpu-prof] [-- --markdown]`
 *
 * Runs the scenarios one after another (never two at once: they would measure each other), prints
 * the table and writes bench/results/<timestamp>.json and latest.json.
 */
const USAGE = `Usage: npm run bench -- [--quick] [--only name,name [--repeat N]] [--cpu-prof] [--markdown] [--list]
  --quick     a few minutes at most: smaller counts and shorter rounds
  --only      run just these scenarios (see --list)
  --repeat    run the --only rows N times, alternating, and report each row's median round
  --cpu-prof  run our service under node --cpu-prof and print its top self-time functions
              (without --only: the ceiling and ours-sqlite-1ep)
  --markdown  also print the table as Markdown (for docs/benchmarks.md)`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    'cpu-prof': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.list) {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  for (const scenario of SCENARIOS) console.log(scenario.fullRunOnly ? `${scenario.name.padEnd(width)}  (not in --quick: ${scenario.fullRunOnly})` : scenario.name);
  process.exit(0);
}

const wanted = values.only?.split(',').map((name) => name.trim()) ?? (values['cpu-prof'] ? ['ceiling', 'ours-sqlite-1ep'] : null);
const unknown = wanted?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}. ${USAGE}`);
  process.exit(2);
}
const selected = SCENARIOS.filter((s) => !wanted || wanted.includes(s.name));
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) {
  console.error(`--repeat takes a whole number of rounds from 1 to 10, not "${values.repeat}". ${USAGE}`);
  process.exit(2);
}
if (repeat > 1 && !values.only) {
  console.error(`--repeat needs --only: every row repeated would not fit the run's 10-minute bound. ${USAGE}`);
  process.exit(2);
}

const tempDirs: string[] = [];
const startedAt = new Date();
const machine = describeMachine();
const receiver = await startReceiver();
let postgres = null as Promise<BenchPostgres> | null;
const bench: BenchContext = {
  receiver,
  quick: values.quick,
  // About 10,000 deliveries is where our engine's CPU per delivery stopped falling (2,000: 183 µs,
  // 10,000: 151, 30,000: no lower); the floor's stops sooner.
  warmUpDeliveries: values.quick ? 2_000 : 10_000,
  cpuProf: values['cpu-prof'],
  postgres: () => (postgres ??= startBenchPostgres({ statementStats: values['cpu-prof'] ?? false })),
  log: (line) => console.log(line),
  tempDir(purpose) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `realid-bench-${purpose}-`));
    tempDirs.push(dir);
    return dir;
  },
};

/** The whole run's bound (per round with --repeat): a row that could not finish inside it is skipped, not started. */
const BUDGET_MS = (values.quick ? 150_000 : 570_000) * repeat;
const runStarted = wallClockMs();

const rounds = new Map<string, ScenarioResult[]>(selected.map((s) => [s.name, []]));
let engineMissing: string | null = null;
try {
  // With --repeat the rows alternate (a, b, a, b…), so each row's rounds spread over the same minutes.
  for (const [round, scenario] of Array.from({ length: repeat }, (_, r) => selected.map((s) => [r, s] as const)).flat()) {
    const began = wallClockMs();
    console.log(`▶ ${scenario.name}${repeat > 1 ? ` (round ${round + 1} of ${repeat})` : ''}`);
    let result: ScenarioResult;
    if (scenario.needsEngine && engineMissing) {
      result = notRun(scenario.name, scenario.name, 'unavailable', engineMissing);
    } else if (bench.quick && scenario.fullRunOnly && !values.only) {
      result = notRun(scenario.name, scenario.name, 'skipped', `not in --quick: ${scenario.fullRunOnly}`);
    } else if (began - runStarted + scenario.worstMs(bench) > BUDGET_MS) {
      result = notRun(scenario.name, scenario.name, 'skipped', `the run's ${BUDGET_MS / 60_000}-minute budget could not fit this row (it may take ${Math.round(scenario.worstMs(bench) / 1000)} s)`);
    } else {
      try {
        const ceiling = scenario.paired ? await pairedCeiling(receiver, bench.quick) : undefined;
        result = { ...(await scenario.run(bench)), pairedCeiling: ceiling };
      } catch (error) {
        if (process.env.BENCH_DEBUG) console.error(error);
        result = notRun(scenario.name, scenario.name, 'error', (error as Error).message.split('\n')[0]!);
      }
    }
    if (result.status === 'unavailable' && result.note?.startsWith('engine not available')) engineMissing ??= result.note;
    rounds.get(scenario.name)!.push(result);
    const rate = result.opsPerSec === null ? '' : ` ${result.opsPerSec}/s`;
    console.log(`  ${result.status}${rate}, p99 ${result.latencyMs.p99 ?? '–'} ms (${Math.round((wallClockMs() - began) / 1000)} s)`);
    if (result.profile) console.log(formatProfile(result.title, result.profile));
    if (result.statements) console.log(formatStatements(result.title, result.statements));
  }
} finally {
  await receiver.stop();
  if (postgres) await (await postgres).stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  await removeBundles();
}

const results = selected.map((s) => medianRound(rounds.get(s.name)!));
const report: BenchReport = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  quick: values.quick,
  machine,
  results,
  targets: checkTargets(results, machine.cores),
};
console.log(`\n${formatText(report)}`);
if (values.markdown) console.log(`\n${formatMarkdown(report)}`);
console.log(`\nWrote ${writeReport(report)} and bench/results/latest.json`);
