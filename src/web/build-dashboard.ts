import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

/**
 * Builds the dashboard into dist/web: on `npm install` (the prepare script), and when a server or
 * a test finds it missing. The build goes to a temporary folder that is swapped into place, so a
 * server never serves half a build and two processes building at once do not clash.
 */
export const DASHBOARD_DIR = path.join(PROJECT_ROOT, 'dist', 'web') + path.sep;
const CONFIG_FILE = path.join(PROJECT_ROOT, 'src', 'web', 'vite.config.ts');
const OUT = DASHBOARD_DIR.replace(/\/$/, '');

export function isDashboardBuilt(): boolean {
  return existsSync(path.join(DASHBOARD_DIR, 'index.html'));
}

/** Builds afresh and replaces whatever dist/web holds. Needs Vite (a development dependency). */
export async function buildDashboard(): Promise<void> {
  const { build } = await import('vite');
  const fresh = `${OUT}.building-${process.pid}`;
  const stale = `${OUT}.old-${process.pid}`;
  try {
    await build({ configFile: CONFIG_FILE, logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
    if (existsSync(OUT)) renameSync(OUT, stale);
    renameSync(fresh, OUT);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(stale, { recursive: true, force: true });
  }
}

let building: Promise<void> | null = null;

/** Resolves once dist/web holds a build; at most one build per process. */
export function buildDashboardIfMissing(): Promise<void> {
  if (isDashboardBuilt()) return Promise.resolve();
  building ??= buildDashboard().catch((error: unknown) => {
    // Another process finished first (its swap raced ours): its build is as good as ours.
    if (!isDashboardBuilt()) throw error;
  }).finally(() => { building = null; });
  return building;
}
