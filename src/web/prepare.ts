/**
 * `npm install` runs this (the prepare script): bundle the server into dist/server, so `realid`
 * runs without a TypeScript loader, and build the dashboard into dist/web, so `npm start` serves it
 * at once. An install without development dependencies has no Vite; it says so and carries on, and
 * the server explains how to build the dashboard when someone opens it.
 *
 * A build that is already newer than everything it is made from is left alone. npm runs this not
 * only on install but whenever it "installs" the project itself — `npx realid …` in the checkout
 * does — and rebuilding there swapped dist/server under a running `realid`, whose next lazy import
 * then found its chunk gone (seen in the tests, where docs examples run `npx realid trigger` beside
 * other tests' `realid` processes). `npm run build:server` and `npm run build:web` always rebuild.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { newestMtime } from '../../bin/source-freshness.js';
import { buildServer, SERVER_BUNDLE } from '../build-server.js';
import { PROJECT_ROOT } from '../project-root.js';
import { buildDashboard, DASHBOARD_DIR } from './build-dashboard.js';

/** Whether `output` exists and is newer than every file of `inputs` (and the installed dependencies). */
function upToDate(output: string, inputs: readonly string[]): boolean {
  if (!existsSync(output)) return false;
  const dependencies = [path.join(PROJECT_ROOT, 'package.json'), path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json')];
  return statSync(output).mtimeMs >= newestMtime([...inputs, ...dependencies]);
}

const SOURCES = path.join(PROJECT_ROOT, 'src');
const DASHBOARD_INDEX = path.join(DASHBOARD_DIR, 'index.html');

let started = Date.now();
if (upToDate(SERVER_BUNDLE, [SOURCES])) {
  console.log('realid: dist/server is up to date');
} else {
  await buildServer();
  console.log(`realid: server bundled into dist/server in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (upToDate(DASHBOARD_INDEX, [path.join(SOURCES, 'web')])) {
  console.log('realid: dist/web is up to date');
  process.exit(0);
}
try {
  await import('vite');
} catch {
  console.warn('realid: Vite is not installed (development dependencies were skipped), so the dashboard was not built. Run `npm install` with dev dependencies, then `npm run build:web`.');
  process.exit(0);
}
started = Date.now();
await buildDashboard();
console.log(`realid: dashboard built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
