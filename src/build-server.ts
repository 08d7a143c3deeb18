import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './project-root.js';

/**
 * The server as one bundled JavaScript file (its npm packages stay external, loaded from
 * node_modules). `npm install` builds it, and bin/realid.js runs it when no source file is newer:
 * no TypeScript loader at run time means a faster start and about 70 MB less memory.
 */
export const SERVER_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'server', 'realid.mjs');
const SOURCES = path.join(PROJECT_ROOT, 'src');

/**
 * Programs the server starts on threads of its own, bundled beside whatever bundles the server
 * (dist/server here, the benchmark's children in bench/.build): the code looks for them next to
 * itself (see webhook-sender.ts).
 */
export const THREAD_ENTRY_POINTS = { 'send-thread': path.join(SOURCES, 'delivery', 'send-thread.ts') };

export async function buildServer(): Promise<void> {
  const out = path.dirname(SERVER_BUNDLE);
  const fresh = `${out}.building-${process.pid}`;
  const stale = `${out}.old-${process.pid}`;
  try {
    await build({
      entryPoints: { realid: path.join(SOURCES, 'cli', 'main.ts'), ...THREAD_ENTRY_POINTS },
      outdir: fresh,
      outExtension: { '.js': '.mjs' },
      // Code behind a dynamic import (the API, for processes without the api role) becomes its
      // own chunk, loaded only when it runs, npm packages included.
      splitting: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    // Swapped into place whole, so a starting process never sees half a build.
    if (existsSync(out)) renameSync(out, stale);
    renameSync(fresh, out);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(stale, { recursive: true, force: true });
  }
}
