import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanModes, preparingPool, StatementNames } from '../../src/db/postgres-prepared.js';
import { freshDatabase } from '../support/databases.js';

describe('StatementNames', () => {
  it('names a statement on its second run, and the same name ever after', () => {
    const names = new StatementNames();
    expect(names.nameFor('select $1')).toBeUndefined();
    const name = names.nameFor('select $1');
    expect(name).toMatch(/^realid_\d+$/);
    expect(names.nameFor('select $1')).toBe(name);
    expect(names.nameFor('select $1, $2')).toBeUndefined();
  });

  it('names at most 200 statements, and never reuses the name of one it refused', () => {
    const names = new StatementNames();
    const issued = new Set<string>();
    for (let i = 0; i < 250; i++) {
      names.nameFor(`select ${i} + $1`);
      const name = names.nameFor(`select ${i} + $1`);
      if (name) issued.add(name);
    }
    expect(issued.size).toBe(200);
    expect(names.nameFor('select 249 + $1')).toBeUndefined();

    const fresh = new StatementNames();
    fresh.nameFor('a $1');
    const first = fresh.nameFor('a $1');
    fresh.refuse('a $1');
    expect(fresh.nameFor('a $1')).toBeUndefined();
    expect(fresh.nameFor('a $1')).toBeUndefined();
    fresh.nameFor('b $1');
    expect(fresh.nameFor('b $1')).not.toBe(first);
  });
});

describe('prepared statements on postgres', () => {
  let pool: pg.Pool;
  let db: Kysely<any>;
  const names = new StatementNames();
  beforeAll(async () => {
    // One connection, so every query below runs on the session whose prepared statements it reads.
    pool = new pg.Pool({ connectionString: await freshDatabase('postgres'), max: 1 });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: preparingPool(pool, names) }) });
    await sql`create table things (id integer primary key, label text not null)`.execute(db);
  });
  afterAll(async () => { await db?.destroy(); });

  const prepared = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

  it('runs a repeated statement prepared, with the same results as before, and leaves one-off statements unnamed', async () => {
    const insert = (id: number) => db.insertInto('things').values({ id, label: `thing ${id}` }).execute();
    for (let id = 1; id <= 3; id++) await insert(id);
    const byId = (id: number) => db.selectFrom('things').select(['id', 'label']).where('id', '=', id).executeTakeFirst();
    expect(await byId(1)).toEqual({ id: 1, label: 'thing 1' });
    expect(await byId(3)).toEqual({ id: 3, label: 'thing 3' });
    expect(await byId(9)).toBeUndefined();
    const statements = await prepared();
    expect(statements).toContain('insert into "things" ("id", "label") values ($1, $2)');
    expect(statements).toContain('select "id", "label" from "things" where "id" = $1');
    expect(statements.some((s) => s.includes('create table'))).toBe(false);
    // The catalogue query above has a parameter-free text and ran twice: not prepared either.
    expect(statements.some((s) => s.includes('pg_prepared_statements'))).toBe(false);
  });

  it('goes back to unnamed when a migration changes the columns under a prepared select', async () => {
    const all = () => db.selectFrom('things').selectAll().where('id', '=', 1).executeTakeFirst();
    await all();
    await all();
    expect(await prepared()).toContain('select * from "things" where "id" = $1');
    await sql`alter table things add column note text`.execute(db);
    // PostgreSQL refuses the prepared form once (0A000: cached plan must not change result type) ...
    await expect(all()).rejects.toMatchObject({ code: '0A000' });
    // ... and from then on the statement runs unnamed and sees the new column.
    expect(await all()).toEqual({ id: 1, label: 'thing 1', note: null });
    expect(await all()).toEqual({ id: 1, label: 'thing 1', note: null });
  });
});

describe('plan modes on postgres', () => {
  it('plans every run while the hot tables are small, and lets PostgreSQL keep generic plans once they are not', async () => {
    const pool = new pg.Pool({ connectionString: await freshDatabase('postgres'), max: 1 });
    // Two pages each instead of 2 MB, so the test fills them in a moment.
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: preparingPool(pool, new StatementNames(), new PlanModes(16_384)) }) });
    try {
      const mode = async () => (await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(db)).rows[0]!.plan_cache_mode;
      expect(await mode()).toBe('force_custom_plan');
      for (const table of ['events', 'deliveries']) {
        await sql`create table ${sql.table(table)} as select g as id, repeat('x', 1000) as body from generate_series(1, 40) g`.execute(db);
      }
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // attempts is still missing: small.
      expect(await mode()).toBe('force_custom_plan');
      await sql`create table attempts as select g as id, repeat('x', 1000) as body from generate_series(1, 40) g`.execute(db);
      // Looked at less than a second ago: not yet.
      expect(await mode()).toBe('force_custom_plan');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await mode()).toBe('auto');
    } finally {
      await db.destroy();
    }
  });
});
