import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// The Python receiver is tested by its own unittest suite on the same vectors; running it here
// makes `npm test` fail when Python does.
it('the Python receiver passes its unittest suite (python/tests)', () => {
  const run = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'python/tests'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.error, output).toBeUndefined();
  expect(run.status, output).toBe(0);
  expect(Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0), output).toBeGreaterThanOrEqual(10);
});
