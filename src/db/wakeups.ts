import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db, Tx, TxHooks } from './database.js';

const CHANNEL = 'realid_deliveries';

/**
 * Wakes delivery workers the moment new work commits, so the first attempt leaves within
 * milliseconds instead of at the next poll. In-process always; across processes on PostgreSQL
 * through LISTEN/NOTIFY (a NOTIFY issued inside a transaction is delivered only on commit).
 * Workers still poll slowly as a safety net, so a lost wake-up only delays, never loses, work.
 */
export interface Wakeups {
  /** Call inside the transaction that created work, with its hooks. */
  announce(tx: Tx, hooks: TxHooks): Promise<void>;
  /** Wake local workers now (after a commit made outside `announce`). */
  wakeLocal(): void;
  onWake(listener: () => void): () => void;
  /** Starts listening for other processes' wake-ups (PostgreSQL). */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export function createWakeups(db: Db, onError: (error: Error) => void = () => {}): Wakeups {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString: db.target });
    const retry = (error: Error) => {
      onError(error);
      next.removeAllListeners();
      next.end().catch(() => {});
      if (client === next) client = null;
      // Reconnect with a pause; wake everyone meanwhile in case a notification was missed.
      if (!closed && !retryTimer) retryTimer = setTimeout(() => { retryTimer = null; void connect(); }, 1000);
      emitter.emit('wake');
    };
    next.on('error', retry);
    next.on('notification', () => emitter.emit('wake'));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      emitter.emit('wake');
    } catch (error) {
      retry(error as Error);
    }
  };

  // One wake-up per transaction is enough, however many events it records.
  const announced = new WeakSet<Tx>();
  return {
    async announce(tx, hooks) {
      if (announced.has(tx)) return;
      announced.add(tx);
      if (db.dialect === 'postgres') await sql`SELECT pg_notify(${CHANNEL}, '')`.execute(tx);
      hooks.afterCommit(() => emitter.emit('wake'));
    },
    wakeLocal: () => emitter.emit('wake'),
    onWake(listener) {
      emitter.on('wake', listener);
      return () => emitter.off('wake', listener);
    },
    async listen() {
      if (db.dialect === 'postgres' && !client) await connect();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
