import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres-server.js';
import { spawnRealid, type ServiceProcess } from '../support/process.js';
import { runnableBlocks } from '../support/runnable-docs.js';

/**
 * Runs every code block the docs mark as runnable, as a reader would paste it: in a project folder
 * (the repo's files, with `./data` being the running service's data dir) against a real
 * `realid start`. Only the well-known ports the docs use are swapped for free ones, so parallel
 * runs cannot collide.
 */
const DOCS = ['README.md', 'docs/webhooks.md', 'docs/api.md', 'docs/operations.md'];
const blocks = DOCS.flatMap((file) => runnableBlocks(file));
const PROJECT_ENTRIES = ['package.json', 'node_modules', 'bin', 'src', 'packages', 'python', 'examples'];

describe('runnable examples in the docs', () => {
  let service: ServiceProcess;
  let project: string;
  const ports = new Map<string, string>();

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realid-docs-data-'));
    const port = await freePort();
    ports.set('8080', String(port));
    for (const fixed of ['3000', '3001', '4000']) ports.set(fixed, String(await freePort()));
    service = spawnRealid(['start'], { REALID_DATA_DIR: dataDir, REALID_PORT: String(port), REALID_MASTER_KEY: '', REALID_LOG_LEVEL: 'warn' });
    await service.waitFor('live key:', 60_000);
    project = mkdtempSync(path.join(os.tmpdir(), 'realid-docs-project-'));
    for (const entry of PROJECT_ENTRIES) symlinkSync(path.resolve(entry), path.join(project, entry));
    symlinkSync(dataDir, path.join(project, 'data'));
  }, 300_000);
  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
  });

  it('has runnable examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line} runs and prints what it promises`, async () => {
      expect(block.language).toBe('bash');
      const code = block.code.replace(/\b(8080|4000|3000|3001)\b/g, (port) => ports.get(port)!);
      const env: Record<string, string> = { PATH: process.env.PATH!, HOME: process.env.HOME ?? project, REALID_URL: `http://127.0.0.1:${ports.get('8080')}` };
      const child = spawn('bash', ['-euo', 'pipefail', '-c', code], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
      const code_ = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 240_000);
        child.once('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
      });
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* the group has ended */ }
      expect(code_, output).toBe(0);
      for (const expected of block.expects) expect(output).toContain(expected);
      expect(output).not.toMatch(/"code":"RID_ERR_/);
    }, 300_000);
  }
});
