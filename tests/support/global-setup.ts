import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-pg-'));
  const server = await startPostgres(dir);
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
