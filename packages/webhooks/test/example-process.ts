import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Booting a tsx process takes seconds, and far more while other suites load the machine. */
export const EXAMPLE_BOOT_TIMEOUT_MS = 120_000;

/** The examples that run as their own process (the Next.js route is a function, called in-process). */
export const PROCESS_EXAMPLES = ['express.ts', 'fastify.ts', 'hono.ts', 'python/receiver.py'];

/** Polls `probe` until it returns something, or fails after the timeout naming `what`. */
export async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RunningExample {
  /** The webhook URL the example printed. */
  url: string;
  /** The JSON lines it printed since it started. */
  logLines(): Array<Record<string, unknown>>;
  /** The JSON lines, once `done` holds for them: what a process prints reaches us a little after its HTTP answer. */
  logLinesWhen(done: (lines: Array<Record<string, unknown>>) => boolean): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** How a user starts an example: `npx tsx examples/x.ts`, or `python3 examples/python/x.py` with the package on PYTHONPATH. */
function exampleCommand(file: string): [string, string[], NodeJS.ProcessEnv] {
  if (file.endsWith('.py')) return ['python3', [`examples/${file}`], { ...process.env, PYTHONPATH: 'python', PYTHONDONTWRITEBYTECODE: '1' }];
  return [process.execPath, ['--import', 'tsx', `examples/${file}`], process.env];
}

/** Starts an example on a free loopback port with `--port 0 --secret <secret>`, and waits for its URL. */
export function startExample(file: string, secret: string, timeoutMs = 90_000): Promise<RunningExample> {
  const [command, args, env] = exampleCommand(file);
  const child: ChildProcess = spawn(command, [...args, '--port', '0', '--secret', secret], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => { out += chunk; });
  child.stderr!.on('data', (chunk) => { err += chunk; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logLines = () => out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const running: Omit<RunningExample, 'url'> = {
    logLines,
    logLinesWhen: (done) => eventually(`${file} to log the expected lines; stdout: ${out}`, () => (done(logLines()) ? logLines() : undefined), 10_000),
    async stop() {
      child.kill();
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${file} printed no URL in ${timeoutMs} ms; stdout: ${out} stderr: ${err}`)); }, timeoutMs);
    const onData = () => {
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ ...running, url });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${file} exited with ${code}; stderr: ${err}`)); });
  });
}
