import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from './database.js';

const require = createRequire(import.meta.url);
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fresh(options: Parameters<typeof openDatabase>[1] = {}): { db: Db; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-lock-'));
  dirs.push(dir);
  const file = path.join(dir, 'realid.db');
  const db = openDatabase(file, options);
  dbs.push(db);
  return { db, file };
}

describe('SQLite transactions while another connection writes', () => {
  it('wait for the other writer instead of failing at their first write', async () => {
    const { db, file } = fresh();
    await sql`create table t (id integer primary key, v text)`.execute(db.kysely);
    // Another process (a CLI command, say) holds the write lock for a moment. (A process, not a
    // timer here: SQLite waits for a lock synchronously, so this thread could not release it.)
    const other = spawn(process.execPath, ['-e', `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)});
      db.exec("begin immediate; insert into t (v) values ('theirs')");
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      db.exec('commit');
      db.close();
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => other.stdout!.once('data', () => resolve()));
    try {
      // Reads, then writes: with a deferred BEGIN the write failed at once with SQLITE_BUSY.
      const count = await inTransaction(db, async (tx) => {
        const before = await sql<{ n: number }>`select count(*) as n from t`.execute(tx);
        await sql`insert into t (v) values ('ours')`.execute(tx);
        return before.rows[0]!.n;
      });
      expect(count).toBe(1);
      const rows = await sql<{ v: string }>`select v from t order by id`.execute(db.kysely);
      expect(rows.rows.map((r) => r.v)).toEqual(['theirs', 'ours']);
    } finally {
      other.kill();
    }
  });

  it('keep committing while the checkpoint thread copies the WAL into the database file', async () => {
    const { db, file } = fresh({ backgroundCheckpoints: true });
    await sql`create table t (id integer primary key, v text)`.execute(db.kysely);
    for (let i = 0; i < 400; i++) {
      await inTransaction(db, async (tx) => {
        await sql`select count(*) from t`.execute(tx);
        await sql`insert into t (v) values (${'x'.repeat(4000)})`.execute(tx);
      });
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const rows = await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely);
    expect(rows.rows[0]!.n).toBe(400);
    // The main connection never checkpoints, yet the rows reached the database file itself (only
    // a checkpoint copies them there from the WAL): the thread did it.
    expect(db.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // It runs every 200 ms; a loaded machine may delay it, so wait up to 10 s for the copy.
    const deadline = Date.now() + 10_000;
    while (statSync(file).size <= 400 * 4000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statSync(file).size).toBeGreaterThan(400 * 4000);
  });
});
