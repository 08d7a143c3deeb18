/**
 * What recording events costs on SQLite through the real outbox, per transaction, with no worker
 * and no HTTP: one event a transaction (what one API request that changes a check pays) and 100 a
 * transaction (what the throughput rows commit). The numbers behind "What one API request pays"
 * in docs/benchmarks.md.
 *
 *   node --import tsx bench/transaction-cost.ts    # six rounds of 3,000 transactions of one event, then of 30 of 100
 *
 * It prints this process's CPU per transaction (every thread) and per event. Run under
 * `strace -f -c` to count the writes SQLite's COMMIT makes; under `--cpu-prof` to see the rest.
 * From source (tsx) it reads a little higher than bundled as the server runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/core/ids.js';
import { inTransaction } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createContext } from '../src/main.js';
import { createAccount } from '../src/services/accounts.js';
import { createEndpoint } from '../src/services/endpoints.js';
import { recordEvent } from '../src/services/outbox.js';
import { median } from './stats.js';

const ROUNDS = 6;
const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-transaction-cost-'));
const ctx = await createContext(loadConfig({}, {
  REALID_PROFILE: 'development', REALID_DATA_DIR: dir, REALID_DB: `sqlite:${path.join(dir, 'realid.sqlite')}`,
  REALID_LOG_LEVEL: 'warn', REALID_SEED_DEMO: 'false', REALID_MASTER_KEY: Buffer.alloc(32, 42).toString('base64'),
}));
try {
  await migrateToLatest(ctx.db);
  const { account } = await createAccount(ctx, { name: 'Bench', plan: 'enterprise', ownerEmail: `bench-${Date.now()}@bench.realid.local` });
  // A loopback URL nobody listens on: no worker runs here, so nothing is ever sent to it.
  await createEndpoint(ctx, account.id, { url: 'http://127.0.0.1:9/transaction-cost', events: ['check.completed'] });

  /** µs of CPU per transaction of `events` events, over `transactions` of them. */
  const round = async (transactions: number, events: number): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < transactions; i++) {
      await inTransaction(ctx.db, async (tx, hooks) => {
        for (let k = 0; k < events; k++) await recordEvent(ctx, tx, hooks, { accountId: account.id, type: 'check.completed', checkId: newId('chk'), testing: false });
      });
    }
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / transactions;
  };

  for (const [transactions, events] of [[3_000, 1], [30, 100]] as const) {
    await round(transactions, events); // warm-up, discarded
    const readings: number[] = [];
    for (let i = 0; i < ROUNDS; i++) readings.push(await round(transactions, events));
    const perTransaction = median(readings);
    console.log(`${events === 1 ? 'one event' : `${events} events`} a transaction: ${Math.round(perTransaction)} µs of CPU per transaction, ${Math.round(perTransaction / events)} per event `
      + `(median of ${ROUNDS} rounds of ${transactions.toLocaleString('en-US')}: ${readings.map(Math.round).join(', ')})`);
  }
} finally {
  await ctx.wakeups.close();
  await ctx.db.close();
  rmSync(dir, { recursive: true, force: true });
}
