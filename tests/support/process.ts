import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REALID_BIN = path.resolve('bin/realid.js');

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it printed on stderr so far (the banner goes there; logs go to stdout). */
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr contains `text`; rejects when the process exits first or time runs out. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** `realid <args>` as a real child process, as a user would run it. */
export function spawnRealid(args: string[], env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [REALID_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.on('data', (chunk) => { err += chunk; });
  child.stdout!.on('data', (chunk) => { out += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    waitFor(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const matches = () => (typeof text === 'string' ? err.includes(text) : text.test(err));
        const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${text}; stderr: ${err}\nstdout: ${out.slice(-2000)}`)); }, timeoutMs);
        const onData = () => { if (matches()) { cleanup(); resolve(err); } };
        const onExit = (code: number | null) => { cleanup(); reject(new Error(`exited with ${code} before ${text}; stderr: ${err}\nstdout: ${out.slice(-2000)}`)); };
        const cleanup = () => { clearTimeout(timer); child.stderr!.off('data', onData); child.off('exit', onExit); };
        child.stderr!.on('data', onData);
        child.once('exit', onExit);
        onData();
      });
    },
  };
}

/** Runs `realid <args>` to completion. */
export function runRealid(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [REALID_BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `realid <args>` to completion without blocking this process's event loop — needed when this
 * process also hosts a receiver the command's work depends on.
 */
export function runRealidAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REALID_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => { stdout += chunk; });
    child.stderr!.on('data', (chunk) => { stderr += chunk; });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
