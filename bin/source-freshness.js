// Shared by bin/realid.js (run the bundle, or the sources when they are newer) and the prepare
// script (rebuild only what is older than its sources). Plain JavaScript: bin/realid.js runs it
// before any TypeScript loader.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time of these files and of everything under these folders (0 for none). */
export function newestMtime(paths) {
  let newest = 0;
  for (const entry of paths) {
    if (!existsSync(entry)) continue;
    const stat = statSync(entry);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(readdirSync(entry).map((name) => path.join(entry, name))) : stat.mtimeMs);
  }
  return newest;
}
