import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningExample {
  /** The webhook URL the example printed. */
  url: string;
  /** The JSON lines it printed since it started. */
  logLines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts `npx tsx examples/<file> --port 0 --secret <secret>` as a user would, and waits for its URL. */
export function startExample(file: string, secret: string, timeoutMs = 30_000): Promise<RunningExample> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`, '--port', '0', '--secret', secret], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => { out += chunk; });
  child.stderr!.on('data', (chunk) => { err += chunk; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running: Omit<RunningExample, 'url'> = {
    logLines: () => out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)),
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
