import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { FULL_PLANS, QUICK_PLANS } from './chaos/plans.js';
import { formatMarkdown, formatText, writeChaosReport, type ChaosReport, type ScenarioOutcome } from './chaos/report.js';
import { CHAOS_SCENARIOS } from './chaos/scenarios.js';

/**
 * `npm run chaos [-- --quick] [-- --only a,b] [-- --markdown]`
 *
 * Runs the real service (`node bin/realid.js start`) as a child process against real receivers
 * on loopback and breaks things: SIGKILL under load (SQLite and PostgreSQL), PostgreSQL stopped
 * under load, receivers that fail in every way, and a soak. Every loop is bounded in count and
 * time; the run stops by itself, prints a table and writes bench/results/chaos-<timestamp>.json.
 * Exits 1 when a scenario failed, so it can gate a release.
 */
const USAGE = `Usage: npm run chaos -- [--quick] [--only name,name] [--markdown] [--list]
  --quick     a few minutes: the short versions that npm test also runs
  --only      run just these scenarios (see --list)
  --markdown  also print the table as Markdown (for docs/resilience.md)`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || values.list) {
  console.log(values.help ? USAGE : CHAOS_SCENARIOS.map((s) => s.name).join('\n'));
  process.exit(0);
}
const wanted = values.only?.split(',').map((name) => name.trim());
const unknown = wanted?.filter((name) => !CHAOS_SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}.\n${USAGE}`);
  process.exit(2);
}

const plans = values.quick ? QUICK_PLANS : FULL_PLANS;
const startedAt = new Date();
const machine = describeMachine();
const outcomes: ScenarioOutcome[] = [];
for (const scenario of CHAOS_SCENARIOS.filter((s) => !wanted || wanted.includes(s.name))) {
  const began = Date.now();
  console.log(`▶ ${scenario.name}`);
  let outcome: ScenarioOutcome;
  try {
    outcome = await scenario.run(plans);
  } catch (error) {
    outcome = { name: scenario.name, error: (error as Error).stack ?? String(error) };
  }
  outcomes.push(outcome);
  const passed = 'result' in outcome ? outcome.result.passed : false;
  console.log(`  ${'error' in outcome ? `ERROR ${outcome.error.split('\n')[0]}` : passed ? 'PASS' : 'FAIL'} (${Math.round((Date.now() - began) / 1000)} s)`);
}

const report: ChaosReport = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  command: ['npm run chaos', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  quick: values.quick,
  machine,
  outcomes,
};
console.log(`\n${formatText(report)}`);
if (values.markdown) console.log(`\n${formatMarkdown(report)}`);
console.log(`\nWrote ${writeChaosReport(report)}`);
process.exit(outcomes.every((o) => 'result' in o && o.result.passed) ? 0 : 1);
