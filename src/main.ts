import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createCryptoBox } from './core/crypto-box.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { countAccounts } from './db/repos/accounts.js';
import { createWakeups } from './db/wakeups.js';
import { LocalHandoff } from './delivery/local-handoff.js';
import { WORKERS_CHANNEL, WorkerDirectory } from './delivery/remote-handoff.js';
import { createSecretSource } from './delivery/signing-secrets.js';
import { createLogger } from './logger.js';
import { resolveMasterKey } from './master-key.js';
import { createMetrics } from './metrics.js';
import { createAccount, type NewAccount } from './services/accounts.js';
import { BACKGROUND_JOBS } from './jobs.js';

export interface RunningService {
  ctx: AppContext;
  app: FastifyInstance | null;
  /** The address the API listens on, when the api role runs. */
  url: string | null;
  /** Set when this start created the demo account. */
  demo: NewAccount | null;
  close(): Promise<void>;
}

/**
 * Opens the database and everything that hangs off it, without starting any role. A service
 * (`longRunning`) also checkpoints SQLite on a thread of its own; a CLI command that runs for a
 * moment does not start one.
 */
export async function createContext(config: Readonly<Config>, log: Logger = createLogger(config), options: { longRunning?: boolean } = {}): Promise<AppContext> {
  const db = openDatabase(config.db, {
    poolSize: config.dbKind === 'postgres' ? 20 : undefined,
    preparedStatements: config.dbPreparedStatements,
    onConnectionError: (error) => log.warn({ err: error }, 'a database connection was lost; it will be replaced'),
    backgroundCheckpoints: options.longRunning ?? false,
    onCheckpointerError: (error) => log.warn({ err: error }, 'SQLite checkpoints moved back to the main thread'),
  });
  const box = createCryptoBox(resolveMasterKey(config, log));
  const wakeups = createWakeups(db, (error) => log.warn({ err: error }, 'database wake-up channel lost; reconnecting'));
  return { config, db, box, log, wakeups, metrics: createMetrics(), handoff: new LocalHandoff(), workers: new WorkerDirectory(), signingSecrets: createSecretSource(box) };
}

/**
 * A process that records events listens for the worker processes' announcements, so it can hand
 * new deliveries straight to one of them (PostgreSQL; see WorkerDirectory). Nothing on SQLite.
 */
export async function followWorkers(ctx: AppContext): Promise<void> {
  if (ctx.db.dialect !== 'postgres') return;
  await ctx.wakeups.listen();
  await ctx.wakeups.listenTo(WORKERS_CHANNEL, (payload) => ctx.workers.heard(payload));
}

async function seedDemoAccount(ctx: AppContext): Promise<NewAccount | null> {
  if (!ctx.config.seedDemo || (await countAccounts(ctx.db.kysely)) > 0) return null;
  const demo = await createAccount(ctx, { name: 'Demo Merchant', plan: 'enterprise', ownerEmail: 'owner@demo.realid.local' });
  if (ctx.config.profile === 'development') {
    // Development convenience: the README's tour reads the demo keys from here.
    writeFileSync(path.join(ctx.config.dataDir, 'demo-credentials.json'), JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
  }
  return demo;
}

/** The composition root: migrate, then start the roles the config asks for (api, worker, or both). */
export async function startService(config: Readonly<Config>): Promise<RunningService> {
  const ctx = await createContext(config, createLogger(config), { longRunning: true });
  await migrateToLatest(ctx.db);
  const demo = await seedDemoAccount(ctx);

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  const stops: Array<() => Promise<void>> = [];

  if (config.roles.includes('worker')) {
    await ctx.wakeups.listen();
    for (const job of BACKGROUND_JOBS) stops.push(await job.start(ctx));
  }
  if (config.roles.includes('api')) {
    await followWorkers(ctx);
    // Loaded only for the api role: a worker-only process never loads Fastify and the routes.
    const { buildApp } = await import('./api/app.js');
    app = await buildApp(ctx);
    url = await app.listen({ port: config.port, host: config.host });
    ctx.log.info({ url, roles: config.roles, db: config.dbKind, profile: config.profile }, 'Real ID is listening');
  }

  let closing: Promise<void> | null = null;
  return {
    ctx, app, url, demo,
    close() {
      closing ??= (async () => {
        await app?.close();
        for (const stop of stops.reverse()) await stop();
        await ctx.wakeups.close();
        await ctx.db.close();
      })();
      return closing;
    },
  };
}
