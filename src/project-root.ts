import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder, found by walking up from this module to our package.json, so the answer is
 * the same whether the code runs from src/ (through tsx) or bundled into dist/server/.
 */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'realid') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('realid: cannot find the project folder (a package.json named "realid" above the code)');
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
