import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// The Python receiver is tested by its own unittest suite on the same vectors; running it here
// makes `npm test` fail when Python does. Generous timeout: the suite takes a fraction of a second,
// but starting python3 can take many while other suites load the machine.
it('the Python receiver passes its unittest suite (python/tests)', async () => {
  const run = await promisify(execFile)('python3', ['-m', 'unittest', 'discover', '-s', 'python/tests'], {
    cwd: REPO_ROOT,
    timeout: 110_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  }).catch((failure: { stdout?: string; stderr?: string; code?: unknown }) => failure);
  const output = `${run.stdout}${run.stderr}`;
  expect('code' in run ? run.code : 0, output).toBe(0);
  expect(Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0), output).toBeGreaterThanOrEqual(10);
}, 120_000);
