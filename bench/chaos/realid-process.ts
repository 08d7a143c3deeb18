import { readFile } from 'node:fs/promises';
import { spawnRealid, type ServiceProcess } from '../../tests/support/process.js';

/**
 * The real service as an operator runs it (`node bin/realid.js start`), as a child process the
 * harness can SIGKILL and start again on the same data directory, database and port.
 */
export interface RealIdProcess {
  readonly url: string;
  /** False once the process has exited by itself (a crash), or was never started. */
  alive(): boolean;
  /** `kill -9`: no shutdown hook runs, in-flight work is cut wherever it is. */
  kill9(): Promise<void>;
  start(): Promise<void>;
  /** SIGTERM and wait: the graceful path, used at the end of a scenario. */
  stop(): Promise<void>;
  /** Resident memory now (VmRSS), in MB; null when /proc cannot tell. */
  rssMb(): Promise<number | null>;
  /** After a crash: the uncaught error's headline lines from stderr (no banner, no stack frames). */
  crashSummary(): string;
}

/** A start took ~27 s at a load average of 17 on a 2-core machine (tsx compiles the sources first). */
const START_TIMEOUT_MS = 90_000;

/** What `realid start` prints once it serves the API; a worker-only process prints WORKER_READY instead. */
const API_READY = 'Real ID is running at';
export const WORKER_READY = 'Real ID worker started';

export function realIdProcess(env: Record<string, string>, port: number, ready = API_READY): RealIdProcess {
  let current: ServiceProcess | null = null;
  const alive = () => current !== null && current.child.exitCode === null && current.child.signalCode === null;
  const running = (): ServiceProcess => {
    if (!current) throw new Error('the service is not running');
    return current;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    alive,
    async start() {
      if (alive()) throw new Error('the service is already running');
      current = spawnRealid(['start'], { ...env, REALID_PORT: String(port) });
      try {
        await current.waitFor(ready, START_TIMEOUT_MS);
      } catch (error) {
        current.child.kill('SIGKILL');
        current = null;
        throw error;
      }
    },
    async kill9() {
      const victim = running();
      current = null;
      victim.child.kill('SIGKILL');
      await victim.exited;
    },
    async stop() {
      if (!current) return;
      const stopping = current;
      current = null;
      stopping.child.kill('SIGTERM');
      const forced = setTimeout(() => stopping.child.kill('SIGKILL'), 30_000);
      await stopping.exited;
      clearTimeout(forced);
    },
    async rssMb() {
      try {
        const status = await readFile(`/proc/${running().child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
        return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
      } catch {
        return null;
      }
    },
    crashSummary() {
      const lines = (current?.stderr() ?? '').split('\n');
      const crash = lines.findIndex((line) => /^(node:|\S*Error\b|error:)/.test(line));
      if (crash < 0) return '';
      return lines.slice(crash).filter((line) => line.trim() && (!/^\s/.test(line) || /Unhandled/.test(line)) && line !== '}').join('\n');
    },
  };
}
