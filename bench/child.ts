import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { THREAD_ENTRY_POINTS } from '../src/build-server.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every measured party (receiver, our service, the peer queue) runs in its own process so that no
 * two of them share an event loop, and the harness talks to each over IPC with a tiny
 * request/response protocol: `{id, method, args}` → `{id, result}` or `{id, error}`.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Handlers = Record<string, (args: any) => unknown>;

interface Request { id: number; method: string; args: unknown }
interface Reply { id: number; result?: unknown; error?: string }

/** In a child: answers the parent's calls with these handlers. `exit` is always understood. */
export function serveParent(handlers: Handlers): void {
  if (!process.send) throw new Error('this file runs as a child process of the benchmark harness');
  process.on('message', async (message: Request) => {
    let reply: Reply;
    try {
      const handler = handlers[message.method] ?? (message.method === 'exit' ? () => null : undefined);
      if (!handler) throw new Error(`unknown method ${message.method}`);
      reply = { id: message.id, result: await handler(message.args) };
    } catch (error) {
      reply = { id: message.id, error: (error as Error)?.stack ?? String(error) };
    }
    process.send!(reply);
    // Exit only after the reply is flushed, so --cpu-prof can write its profile on a normal exit.
    if (message.method === 'exit') setImmediate(() => process.exit(0));
  });
  // The harness going away must never leave an orphaned service or receiver behind.
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, result: 'ready' });
}

export interface Child {
  readonly pid: number;
  call<T = unknown>(method: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit (running its `exit` handler), then kills it if it does not within the grace time. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Run the TypeScript through tsx instead of a bundle: profiles then name each function's own file. */
  fromSource?: boolean;
  readyTimeoutMs?: number;
}

const bundles = new Map<string, Promise<string>>();

/**
 * `bench/<file>` bundled into plain JavaScript (npm packages external), once per run: every measured
 * process runs compiled, as `realid` does from dist/server, with no TypeScript loader adding start-up
 * time and memory to what is measured. Bundles live in bench/.build so the code finds the project
 * folder (and node_modules) by walking up, as it does from src/.
 */
function bundled(file: string): Promise<string> {
  let bundle = bundles.get(file);
  if (!bundle) {
    const name = file.replace(/\.ts$/, '');
    const outdir = path.join(REPO_ROOT, 'bench', '.build', `${process.pid}-${name}`);
    // Split like dist/server: what a process imports lazily (the API, without the api role) stays unloaded.
    bundle = build({
      entryPoints: { [name]: path.join(REPO_ROOT, 'bench', file), ...THREAD_ENTRY_POINTS }, outdir, outExtension: { '.js': '.mjs' }, splitting: true,
      bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning',
    }).then(() => path.join(outdir, `${name}.mjs`));
    bundles.set(file, bundle);
  }
  return bundle;
}

/** Deletes this run's bundles. */
export async function removeBundles(): Promise<void> {
  const files = await Promise.allSettled(bundles.values());
  for (const file of files) if (file.status === 'fulfilled') rmSync(path.dirname(file.value), { recursive: true, force: true });
  bundles.clear();
}

/**
 * Node flags for our service's processes from BENCH_SERVICE_NODE_FLAGS, to look inside a row
 * without changing the harness: `BENCH_SERVICE_NODE_FLAGS=--trace-gc-nvp npm run bench -- --only
 * ours-pg-1w-1ep` prints every collection of each thread (NODE_OPTIONS refuses most V8 flags).
 */
function serviceFlags(file: string): string[] {
  const flags = process.env.BENCH_SERVICE_NODE_FLAGS?.trim();
  return file === 'service-process.ts' && flags ? flags.split(/\s+/) : [];
}

/** Starts `bench/<file>` (bundled) and waits until it says it is ready. */
export async function startChild(file: string, options: ChildOptions = {}): Promise<Child> {
  const entry = options.fromSource ? path.join(REPO_ROOT, 'bench', file) : await bundled(file);
  const child: ChildProcess = fork(entry, [], {
    cwd: REPO_ROOT,
    execArgv: [...(options.fromSource ? ['--import', 'tsx'] : []), ...(options.nodeFlags ?? []), ...serviceFlags(file)],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter.reject(new Error(`${file}: ${reply.error}`));
    else waiter.resolve(reply.result);
  });
  void exit.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${file} exited (code ${child.exitCode}, signal ${child.signalCode})`));
    pending.clear();
  });

  const call = <T>(method: string, args?: unknown, timeoutMs = 600_000): Promise<T> => {
    if (exited) return Promise.reject(new Error(`${file} is not running`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { pending.delete(id); reject(new Error(`${file}: ${method} took over ${timeoutMs} ms`)); }, timeoutMs);
      pending.set(id, {
        resolve: (value) => { clearTimeout(timer); resolve(value as T); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      child.send({ id, method, args });
    });
  };

  await new Promise<void>((resolve, reject) => {
    // Generous: on a loaded 2-core machine, three processes compiling TypeScript at once take a while.
    const readyMs = options.readyTimeoutMs ?? 90_000;
    const timer = setTimeout(() => reject(new Error(`${file} did not start within ${readyMs} ms`)), readyMs);
    pending.set(0, { resolve: () => { clearTimeout(timer); resolve(); }, reject: (error) => { clearTimeout(timer); reject(error); } });
  });

  return {
    pid: child.pid!,
    call,
    async stop(graceMs = 15_000) {
      if (exited) return;
      await call('exit', undefined, graceMs).catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Peak resident memory of a process so far (Linux VmHWM), in MB; null where /proc is missing. */
export async function peakRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * The fields of /proc/<pid>/stat (or of one of its threads' stat files) after the command name,
 * which may contain spaces, hence the last ')'; index 0 is field 3. Null if it is gone.
 */
async function statFields(pid: number, file = `/proc/${pid}/stat`): Promise<string[] | null> {
  try {
    const stat = await readFile(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Linux counts CPU time in clock ticks (USER_HZ: 100 per second on every mainstream kernel). */
const MS_PER_TICK = 10;

/** utime + stime of a stat file's fields, in ms. */
const cpuMsOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;

/**
 * CPU time (user + system, every thread) a process has used so far, in milliseconds; null where
 * /proc is missing. Exact to 10 ms: plenty over rows that use seconds of CPU.
 */
export async function cpuTimeMs(pid: number): Promise<number | null> {
  const fields = await statFields(pid);
  if (!fields) return null;
  const ms = cpuMsOf(fields);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * CPU time of a process and all its children, live or exited: a PostgreSQL server is a postmaster
 * and one process per connection. Exited children count through the parent's cutime/cstime
 * (those it has waited for, which the postmaster always does).
 */
export async function processTreeCpuTimeMs(rootPid: number): Promise<number | null> {
  const root = await statFields(rootPid);
  if (!root) return null;
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await statFields(Number(entry));
    if (fields && Number(fields[1]) === rootPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
}

/**
 * CPU time of each thread of a process so far, in milliseconds by thread id (the main thread's id
 * is the pid); null where /proc is missing. Threads that ended meanwhile are simply absent.
 */
export async function threadCpuTimesMs(pid: number): Promise<Map<number, number> | null> {
  let tids: string[];
  try {
    tids = await readdir(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const times = new Map<number, number>();
  await Promise.all(tids.map(async (tid) => {
    const fields = await statFields(pid, `/proc/${pid}/task/${tid}/stat`);
    if (fields) times.set(Number(tid), cpuMsOf(fields)); // else the thread ended
  }));
  return times;
}

/** CPU time used by several processes together (null if any is unknown). */
export async function totalCpuTimeMs(pids: readonly number[]): Promise<number | null> {
  const times = await Promise.all(pids.map(cpuTimeMs));
  return times.some((t) => t === null) ? null : (times as number[]).reduce((sum, t) => sum + t, 0);
}

/** µs of CPU per delivery between two readings of totalCpuTimeMs; null when either is unknown or nothing was delivered. */
export function cpuPerDelivery(beforeMs: number | null, afterMs: number | null, deliveries: number): number | null {
  if (beforeMs === null || afterMs === null || deliveries <= 0) return null;
  return Math.round(((afterMs - beforeMs) * 1000) / deliveries);
}
