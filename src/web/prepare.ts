/**
 * `npm install` runs this (the prepare script): bundle the server into dist/server, so `realid`
 * runs without a TypeScript loader, and build the dashboard into dist/web, so `npm start` serves it
 * at once. An install without development dependencies has no Vite; it says so and carries on, and
 * the server explains how to build the dashboard when someone opens it.
 */
import { buildServer } from '../build-server.js';
import { buildDashboard } from './build-dashboard.js';

let started = Date.now();
await buildServer();
console.log(`realid: server bundled into dist/server in ${((Date.now() - started) / 1000).toFixed(1)} s`);

try {
  await import('vite');
} catch {
  console.warn('realid: Vite is not installed (development dependencies were skipped), so the dashboard was not built. Run `npm install` with dev dependencies, then `npm run build:web`.');
  process.exit(0);
}
started = Date.now();
await buildDashboard();
console.log(`realid: dashboard built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
