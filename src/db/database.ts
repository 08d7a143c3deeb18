import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import { preparingPool } from './postgres-prepared.js';
import type { Database } from './schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { preparedStatement } from './sqlite-statements.js';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Transaction<Database>;
export type Queryable = Kysely<Database> | Tx;

/** One handle on the database: the Kysely instance plus what differs by dialect. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** The connection string or file, for processes that need their own connection (LISTEN). */
  readonly target: string;
  /** The raw better-sqlite3 handle (SQLite only), for the few hot paths that need it. */
  readonly sqlite: SqliteDatabase.Database | null;
  close(): Promise<void>;
}

// PostgreSQL returns bigint (int8) as strings to avoid precision loss; our bigints are epoch
// milliseconds and counts, far below 2^53, so numbers are right.
pg.types.setTypeParser(20, (value) => Number(value));

export interface OpenOptions {
  poolSize?: number;
  /** PostgreSQL: run repeated statements prepared (postgres-prepared.ts); on unless false. */
  preparedStatements?: boolean;
  onConnectionError?: (error: Error) => void;
  /** SQLite file: checkpoint the WAL on a background thread (see sqlite-checkpointer.ts); long-running processes want this. */
  backgroundCheckpoints?: boolean;
  /** The checkpoint thread failed and the connection went back to checkpointing itself. */
  onCheckpointerError?: (error: Error) => void;
}

export function openDatabase(target: string, options: OpenOptions = {}): Db {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const pool = new pg.Pool({ connectionString: target, max: options.poolSize ?? 10 });
    const onError = options.onConnectionError ?? (() => {});
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', onError);
    // Nor may a connection that is checked out when the server goes away (a restart ends every
    // session with 57P01): pg-pool listens only on idle clients and Kysely adds no listener, so
    // without this the 'error' event is unhandled and kills the process. The query in flight
    // still fails, its transaction rolls back, and the next checkout gets a fresh connection.
    pool.on('connect', (client) => client.on('error', onError));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: options.preparedStatements === false ? pool : preparingPool(pool) }) });
    return { kysely, dialect: 'postgres', target, sqlite: null, close: () => kysely.destroy() };
  }
  if (target !== ':memory:') mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const sqlite = new SqliteDatabase(target);
  // WAL lets readers run beside the writer; NORMAL sync survives a process crash (kill -9)
  // without an fsync per commit (only an OS crash can lose the last commits).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer = options.backgroundCheckpoints && target !== ':memory:'
    ? startCheckpointer(sqlite, target, options.onCheckpointerError ?? (() => {}))
    : null;
  const kysely = new Kysely<Database>({ dialect: new RealIdSqliteDialect(sqlite) });
  const close = async () => {
    await checkpointer?.stop();
    await kysely.destroy();
  };
  return { kysely, dialect: 'sqlite', target, sqlite, close };
}

/**
 * SQLite through Kysely, with two changes to how it drives better-sqlite3:
 * - statements come from the handle's statement cache (sqlite-statements.ts): Kysely prepares
 *   every query anew, and the hot paths run the same few SQL texts thousands of times. Safe
 *   because Kysely runs one query at a time on its single SQLite connection.
 * - transactions begin IMMEDIATE. Kysely opens them with a plain (deferred) BEGIN, which takes
 *   the write lock only at the first write; if another connection (another process on the file,
 *   the checkpoint thread reading a changing WAL header) holds it at that moment, SQLite cannot
 *   wait there without risking a deadlock, so the write fails at once with SQLITE_BUSY whatever
 *   busy_timeout says. BEGIN IMMEDIATE takes the lock up front, where busy_timeout applies.
 *   Nothing is lost by it: this process runs one transaction at a time anyway.
 */
class SqliteImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class RealIdSqliteDialect extends SqliteDialect {
  private readonly config: SqliteDialectConfig;

  constructor(sqlite: SqliteDatabase.Database) {
    const config: SqliteDialectConfig = { database: { prepare: (text) => preparedStatement(sqlite, text), close: () => sqlite.close() } };
    super(config);
    this.config = config;
  }

  override createDriver(): Driver {
    return new SqliteImmediateDriver(this.config);
  }
}

/** What a unit of work can ask of the transaction it runs in. */
export interface TxHooks {
  /** Runs after the commit, never for work that was rolled back (wake-ups, caches, streams). */
  afterCommit(hook: () => void): void;
  /**
   * Runs inside the transaction after the work itself, just before COMMIT, in the order
   * registered: writes buffered during the work (the outbox's) go in a few statements here.
   */
  beforeCommit(hook: () => Promise<void>): void;
}

/**
 * Runs `work` in one transaction. Hooks registered for before the commit run last inside it;
 * hooks for after the commit run only once it has committed, so a wake-up or a cache update
 * never announces something that was rolled back.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx, hooks: TxHooks) => Promise<T>): Promise<T> {
  const after: Array<() => void> = [];
  const before: Array<() => Promise<void>> = [];
  const hooks: TxHooks = { afterCommit: (hook) => after.push(hook), beforeCommit: (hook) => before.push(hook) };
  const result = await db.kysely.transaction().execute(async (tx) => {
    const value = await work(tx, hooks);
    // A before-commit hook may register another (the outbox's flush announces the wake-up).
    for (let i = 0; i < before.length; i++) await before[i]();
    return value;
  });
  for (const hook of after) hook();
  return result;
}
