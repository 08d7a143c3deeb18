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
  /**
   * NOTIFYs inside the transaction (PostgreSQL), which PostgreSQL delivers only if it commits; at
   * most NOTIFIES_PER_STATEMENT to a statement. Each payload is a parameter of its own: as the
   * elements of one text[] parameter, pg would escape every quote in them (2.6–4 µs a handed
   * delivery, bench/handoff-message-cost.ts).
   */
  notifyOnCommit(tx: Tx, notifications: ReadonlyArray<{ channel: string; payload: string }>): Promise<void>;
  /** Wake local workers now (after a commit made outside `announce`). */
  wakeLocal(): void;
  onWake(listener: () => void): () => void;
  /** Starts listening for other processes' wake-ups (PostgreSQL). */
  listen(): Promise<void>;
  /**
   * Called each time the listening connection is back after it was lost (PostgreSQL), once every
   * LISTEN is in place again. Whatever was NOTIFYed while it was down never arrives: PostgreSQL
   * keeps notifications only for sessions listening when they commit.
   */
  onReconnect(listener: () => void): () => void;
  /**
   * Also listens on `channel` (PostgreSQL; again after every reconnect) and gives each message's
   * payload to `listener`. Resolves once the LISTEN is in place, or at once when there is no
   * connection yet (the next connect adds it). Returns the way to stop.
   */
  listenTo(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Sends a notification now, through the connection that listens: false when that connection is
   * down (or on SQLite), so a process never tells others about a channel it cannot hear.
   */
  notifyNow(channel: string, payload: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Two parameters each: well inside PostgreSQL's 65,535 a statement, however many there are. */
const NOTIFIES_PER_STATEMENT = 1_000;

/** How the listening connection shows in pg_stat_activity, so an operator (or a test) can tell it from the pool's. */
export const LISTENER_APPLICATION_NAME = 'realid-listen';

/** A channel name as an SQL identifier (LISTEN takes no parameters). */
function quoted(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`;
}

export function createWakeups(db: Db, onError: (error: Error) => void = () => {}): Wakeups {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const channels = new Map<string, (payload: string) => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let connectedBefore = false;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString: db.target, application_name: LISTENER_APPLICATION_NAME });
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
    next.on('notification', (message) => {
      if (message.channel === CHANNEL) emitter.emit('wake');
      else channels.get(message.channel)?.(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      for (const channel of channels.keys()) await next.query(`LISTEN ${quoted(channel)}`);
      client = next;
      if (connectedBefore) emitter.emit('reconnect');
      connectedBefore = true;
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
    async notifyOnCommit(tx, notifications) {
      const calls = notifications.map((n) => sql`pg_notify(${n.channel}, ${n.payload})`);
      for (let i = 0; i < calls.length; i += NOTIFIES_PER_STATEMENT) {
        await sql`SELECT ${sql.join(calls.slice(i, i + NOTIFIES_PER_STATEMENT))}`.execute(tx);
      }
    },
    wakeLocal: () => emitter.emit('wake'),
    onWake(listener) {
      emitter.on('wake', listener);
      return () => emitter.off('wake', listener);
    },
    async listen() {
      if (db.dialect === 'postgres' && !client) await connect();
    },
    onReconnect(listener) {
      emitter.on('reconnect', listener);
      return () => emitter.off('reconnect', listener);
    },
    async listenTo(channel, listener) {
      channels.set(channel, listener);
      if (client) await client.query(`LISTEN ${quoted(channel)}`);
      return async () => {
        channels.delete(channel);
        await client?.query(`UNLISTEN ${quoted(channel)}`).catch(() => {});
      };
    },
    async notifyNow(channel, payload) {
      if (!client) return false;
      try {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
