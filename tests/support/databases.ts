import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Every integration suite runs once per dialect (as Kysely's own suites do). */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** A new, empty database for one suite: a temp SQLite file, or a fresh database on the run's PostgreSQL. */
export async function freshDatabase(dialect: TestDialect): Promise<string> {
  if (dialect === 'sqlite') return path.join(mkdtempSync(path.join(os.tmpdir(), 'realid-test-')), 'realid.db');
  const admin = inject('postgresUrl');
  const name = `realid_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
