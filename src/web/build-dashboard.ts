import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the dashboard into dist/web when it is missing (a fresh clone run with `npm start`, or
 * tests before `npm install` built it). The build goes to a temporary folder that is renamed into
 * place, so a server never serves half a build and two processes building at once do not clash.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const CONFIG_FILE = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

export function isDashboardBuilt(): boolean {
  return existsSync(path.join(DASHBOARD_DIR, 'index.html'));
}

let building: Promise<void> | null = null;

/** Resolves once dist/web holds a build; at most one build per process. */
export function buildDashboardIfMissing(): Promise<void> {
  if (isDashboardBuilt()) return Promise.resolve();
  building ??= buildInto(`${DASHBOARD_DIR.replace(/\/$/, '')}.building-${process.pid}`).finally(() => { building = null; });
  return building;
}

async function buildInto(tempDir: string): Promise<void> {
  // Vite is a development dependency: import it only when a build is really needed.
  const { build } = await import('vite');
  try {
    await build({ configFile: CONFIG_FILE, logLevel: 'warn', build: { outDir: tempDir, emptyOutDir: true } });
    if (isDashboardBuilt()) return;
    try {
      renameSync(tempDir, DASHBOARD_DIR);
    } catch {
      // Another process finished first: its build is as good as ours. Else a leftover folder is in the way.
      if (isDashboardBuilt()) return;
      rmSync(DASHBOARD_DIR, { recursive: true, force: true });
      renameSync(tempDir, DASHBOARD_DIR);
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}
