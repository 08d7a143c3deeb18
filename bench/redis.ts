import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/support/postgres-server.js';
import { processTreeCpuTimeMs } from './child.js';
import { sleep } from './clock.js';

/**
 * A real Redis server for the BullMQ baseline (peer-scenarios.ts): Debian's `redis-server`,
 * started on a free loopback port with its files in a temporary folder, configured as BullMQ's
 * "going to production" guide asks (append-only file, fsync every second, no eviction). One per
 * row, started for it and stopped after it, so no row inherits another's jobs. Where the package
 * is not installed the BullMQ rows say so and how to install it; nothing is downloaded.
 */
export interface BenchRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** CPU time the server has used so far, ms (its "database" cost per delivery in the table). */
  cpuTimeMs(): Promise<number | null>;
  stop(): Promise<void>;
}

export const REDIS_INSTALL_HINT = 'apt-get install redis-server';

/** The path of Debian's redis-server, or null where it is not installed. */
export function redisServerPath(): string | null {
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Whether something answers a Redis PING on the port. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const binary = redisServerPath();
  if (!binary) throw new Error(`redis-server is not installed (${REDIS_INSTALL_HINT})`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-bench-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(binary, [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
    '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no', '--loglevel', 'warning',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += String(chunk); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A harness that dies on an error must not leave a Redis behind holding its port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanUp = () => {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanUp();
      throw new Error(`redis-server did not start on port ${port}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
    }
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    cpuTimeMs: async () => processTreeCpuTimeMs(child.pid!),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      cleanUp();
    },
  };
}
