import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.js';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import { createContext } from '../main.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, config: 78 } as const;

/** Settings given as flags on the root command, layered over the environment. */
export function configFromFlags(program: Command, extra: Record<string, string | undefined> = {}): Readonly<Config> {
  const flags = program.opts<{ db?: string; dataDir?: string; config?: string }>();
  return loadConfig(process.env, { REALID_DB: flags.db, REALID_DATA_DIR: flags.dataDir, REALID_CONFIG: flags.config, ...extra });
}

export function fail(message: string, code: number = EXIT.failed): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

/** Reports a failure the way a person reads it, with the exit code that matches it. */
export function reportError(error: unknown): never {
  if (error instanceof ConfigError) fail(error.message, EXIT.config);
  if (error instanceof AppError) fail(error.message, error.status === 404 ? EXIT.notFound : EXIT.failed);
  fail((error as Error)?.message ?? String(error));
}

/** Runs a command that works on the database directly (no server), migrating first. */
export async function withContext<T>(program: Command, work: (ctx: AppContext) => Promise<T>): Promise<T> {
  let ctx: AppContext | null = null;
  try {
    const config = configFromFlags(program, { REALID_LOG_LEVEL: process.env.REALID_LOG_LEVEL ?? 'warn' });
    ctx = await createContext(config, createLogger({ logLevel: config.logLevel }));
    await migrateToLatest(ctx.db);
    return await work(ctx);
  } catch (error) {
    await ctx?.db.close().catch(() => {});
    ctx = null;
    return reportError(error);
  } finally {
    await ctx?.db.close().catch(() => {});
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
