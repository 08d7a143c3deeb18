import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
// tsc over Express and Fastify types takes seconds, and far more while other suites load the machine.
const COMPILE_TIMEOUT_MS = 120_000;
const blocks = [...readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

// The README is what a developer copies first: every TypeScript block must compile as written
// (against the real package, Express, Fastify and Node types), and the signing example must run.
describe('packages/webhooks/README.md', () => {
  let scratch: string;
  beforeAll(() => {
    // Inside the package, so `@realid/webhooks` and the frameworks resolve as in a user's app.
    scratch = mkdtempSync(path.join(PACKAGE_DIR, '.readme-'));
    blocks.forEach((block, index) => writeFileSync(path.join(scratch, `block-${index}.ts`), block));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has the intro, Express, Fastify, Next.js and signing examples', () => {
    expect(blocks).toHaveLength(5);
  });

  it('every TypeScript block type-checks in strict mode', () => {
    const files = blocks.map((_, index) => path.join(scratch, `block-${index}.ts`));
    const flags = ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,dom', '--types', 'node'];
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, ...flags, ...files], { cwd: REPO_ROOT, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  }, COMPILE_TIMEOUT_MS);

  it('the signing example runs: what signWebhook signs, verifyWebhook accepts', () => {
    const index = blocks.findIndex((block) => block.includes('signWebhook(body'));
    const file = path.join(scratch, `block-${index}.ts`);
    writeFileSync(file, `${blocks[index].replace(/^(verifyWebhook\(.*\)\.event);.*$/m, 'console.log($1);')}\n`);
    expect(execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()).toBe('check.opened');
  }, COMPILE_TIMEOUT_MS);
});
