import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from './core/duration.js';

/**
 * The one place that reads the environment. Layers: defaults → optional JSON file (REALID_CONFIG)
 * → REALID_* variables → explicit overrides (CLI flags). Validated once, then deep-frozen.
 *
 * @example
 *   REALID_PORT=9000 REALID_DB=postgres://realid@db/realid npm start
 */
export type Role = 'api' | 'worker';
export type Profile = 'development' | 'production';

export interface Config {
  profile: Profile;
  dataDir: string;
  /** A SQLite file path, or a postgres:// URL. */
  db: string;
  dbKind: 'sqlite' | 'postgres';
  /** PostgreSQL: run repeated statements prepared (off behind a pooler that cannot keep them, such as PgBouncer before 1.21 in transaction mode). */
  dbPreparedStatements: boolean;
  host: string;
  port: number;
  /** Where customers and merchants reach the service; used in check links and photo URLs. */
  publicUrl: string;
  roles: readonly Role[];
  /** base64 of 32 bytes; in development a key is generated into the data dir when unset. */
  masterKey: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  apiRateLimitPerMinute: number;
  maxBodyBytes: number;
  delivery: {
    retrySchedule: readonly number[];
    retryJitter: number;
    attemptTimeoutMs: number;
    maxRetryAfterMs: number;
    disableAfterMs: number;
    leaseMs: number;
    pollIntervalMs: number;
    concurrency: number;
    perEndpointConcurrency: number;
    /** CIDRs that are allowed even though they are internal (development, tests). */
    allowDestinations: readonly string[];
    egressProxy: string | null;
    /** Send on a thread of their own ('auto': when the machine has more than one core). */
    sendThread: 'auto' | 'on' | 'off';
    /** On PostgreSQL, let processes that record events hand new deliveries straight to this worker (see WorkerDirectory). */
    remoteHandoff: 'on' | 'off';
  };
  photos: { storage: 'filesystem' | 'database'; maxBytes: number; urlTtlMs: number };
  retention: { checkDays: number | null; eventDays: number; sweepIntervalMs: number };
  smtp: { url: string | null; from: string };
  sms: { webhookUrl: string | null };
  analyzer: { url: string | null; timeoutMs: number; retries: number };
  sessionTtlMs: number;
  /** On first start with an empty database, create a demo account and print its credentials. */
  seedDemo: boolean;
  /** For the CLI's developer commands (trigger, listen, deliveries, recover), which call a running service. */
  client: { url: string; apiKey: string | null };
}

type Overrides = Partial<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Invalid setting ${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Reads one layer of settings as flat `REALID_*` names, whichever source they came from. */
function readLayers(env: NodeJS.ProcessEnv, overrides: Overrides): Record<string, string> {
  const merged: Record<string, string> = {};
  const file = overrides.REALID_CONFIG ?? env.REALID_CONFIG;
  if (file) {
    if (!existsSync(file)) throw new ConfigError('REALID_CONFIG', `the file ${file} does not exist`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError('REALID_CONFIG', `${file} is not valid JSON (${(error as Error).message})`);
    }
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      merged[key.startsWith('REALID_') ? key : `REALID_${key.toUpperCase()}`] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  for (const [key, value] of Object.entries(env)) if (key.startsWith('REALID_') && value !== undefined) merged[key] = value;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return merged;
}

/**
 * REALID_DB as the database layer takes it: a `postgres://` URL, or an SQLite file path. The
 * common `sqlite:PATH` and `sqlite://PATH` spellings are taken as that path (otherwise they named
 * a file in a directory called `sqlite:`); any other URL is refused, since it cannot be a file.
 */
const POSTGRES_URL = /^postgres(ql)?:\/\//;

function databaseTarget(value: string): string {
  if (POSTGRES_URL.test(value)) return value;
  const sqlite = /^sqlite:(\/\/)?(.+)$/.exec(value);
  if (sqlite) return sqlite[2]!;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) throw new ConfigError('REALID_DB', `"${scheme[1]}://" is not a database Real ID runs on: give an SQLite file path or a postgres:// URL`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Overrides = {}): Readonly<Config> {
  const raw = readLayers(env, overrides);
  const get = (name: string, fallback: string): string => raw[`REALID_${name}`] ?? fallback;

  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const text = get(name, String(fallback));
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`REALID_${name}`, `"${text}" must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const duration = (name: string, fallback: string): number => {
    try {
      return parseDuration(get(name, fallback));
    } catch (error) {
      throw new ConfigError(`REALID_${name}`, (error as Error).message);
    }
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const value = get(name, fallback) as T;
    if (!allowed.includes(value)) throw new ConfigError(`REALID_${name}`, `"${value}" must be one of ${allowed.join(', ')}`);
    return value;
  };
  const list = (name: string, fallback: string): string[] =>
    get(name, fallback).split(',').map((item) => item.trim()).filter(Boolean);

  const profile = oneOf<Profile>('PROFILE', 'development', ['development', 'production']);
  const dataDir = path.resolve(get('DATA_DIR', './data'));
  const db = databaseTarget(get('DB', path.join(dataDir, 'realid.db')));
  const dbKind = POSTGRES_URL.test(db) ? 'postgres' : 'sqlite';
  const port = int('PORT', 8080, 0, 65535);
  const host = get('HOST', '127.0.0.1');

  const roles = list('ROLE', 'api,worker');
  for (const role of roles) {
    if (role !== 'api' && role !== 'worker') throw new ConfigError('REALID_ROLE', `"${role}" must be api, worker, or both (api,worker)`);
  }
  if (roles.length === 0) throw new ConfigError('REALID_ROLE', 'give at least one role: api, worker');

  const masterKey = get('MASTER_KEY', '') || null;
  if (masterKey && Buffer.from(masterKey, 'base64').length !== 32) {
    throw new ConfigError('REALID_MASTER_KEY', 'must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32)');
  }
  if (!masterKey && profile === 'production') {
    throw new ConfigError('REALID_MASTER_KEY', 'is required in production: it encrypts secrets and photos at rest (generate one with: openssl rand -base64 32)');
  }

  let retrySchedule: number[];
  try {
    retrySchedule = list('RETRY_SCHEDULE', '5s,1m,10m,1h,6h,24h').map(parseDuration);
  } catch (error) {
    throw new ConfigError('REALID_RETRY_SCHEDULE', (error as Error).message);
  }
  if (retrySchedule.length > 20) throw new ConfigError('REALID_RETRY_SCHEDULE', 'at most 20 retries');

  const jitter = Number(get('RETRY_JITTER', '0.2'));
  if (!(jitter >= 0 && jitter < 1)) throw new ConfigError('REALID_RETRY_JITTER', 'must be a fraction from 0 to 0.99');

  const proxy = get('EGRESS_PROXY', '') || null;
  if (proxy && !/^https?:\/\//.test(proxy)) throw new ConfigError('REALID_EGRESS_PROXY', 'must be an http:// or https:// URL');

  const checkDays = get('CHECK_RETENTION_DAYS', '');
  const config: Config = {
    profile,
    dataDir,
    db,
    dbKind,
    dbPreparedStatements: oneOf('DB_PREPARED_STATEMENTS', 'on', ['on', 'off']) === 'on',
    host,
    port,
    publicUrl: get('PUBLIC_URL', `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(/\/$/, ''),
    roles: roles as Role[],
    masterKey,
    logLevel: oneOf('LOG_LEVEL', profile === 'production' ? 'info' : 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    apiRateLimitPerMinute: int('API_RATE_LIMIT', 1200, 1),
    maxBodyBytes: int('MAX_BODY_BYTES', 1024 * 1024, 1024),
    delivery: {
      retrySchedule,
      retryJitter: jitter,
      attemptTimeoutMs: duration('ATTEMPT_TIMEOUT', '15s'),
      maxRetryAfterMs: duration('MAX_RETRY_AFTER', '24h'),
      disableAfterMs: duration('DISABLE_AFTER', '5d'),
      leaseMs: duration('DELIVERY_LEASE', '60s'),
      pollIntervalMs: duration('POLL_INTERVAL', '1s'),
      concurrency: int('DELIVERY_CONCURRENCY', 256, 1, 10_000),
      perEndpointConcurrency: int('ENDPOINT_CONCURRENCY', 16, 1, 1000),
      allowDestinations: list('ALLOW_DESTINATIONS', profile === 'development' ? '127.0.0.0/8,::1/128' : ''),
      egressProxy: proxy,
      sendThread: oneOf('SEND_THREAD', 'auto', ['auto', 'on', 'off']),
      remoteHandoff: oneOf('REMOTE_HANDOFF', 'on', ['on', 'off']),
    },
    photos: {
      storage: oneOf('PHOTO_STORAGE', 'filesystem', ['filesystem', 'database']),
      maxBytes: int('PHOTO_MAX_BYTES', 10 * 1024 * 1024, 1024),
      urlTtlMs: duration('PHOTO_URL_TTL', '10m'),
    },
    retention: {
      checkDays: checkDays ? int('CHECK_RETENTION_DAYS', 0, 1) : null,
      eventDays: int('EVENT_RETENTION_DAYS', 30, 1),
      sweepIntervalMs: duration('RETENTION_SWEEP_INTERVAL', '1h'),
    },
    smtp: { url: get('SMTP_URL', '') || null, from: get('SMTP_FROM', 'Real ID <no-reply@realid.local>') },
    sms: { webhookUrl: get('SMS_WEBHOOK_URL', '') || null },
    analyzer: { url: get('ANALYZER_URL', '') || null, timeoutMs: duration('ANALYZER_TIMEOUT', '30s'), retries: int('ANALYZER_RETRIES', 2, 0, 10) },
    sessionTtlMs: duration('SESSION_TTL', '12h'),
    seedDemo: get('SEED_DEMO', 'true') !== 'false',
    client: { url: get('URL', `http://127.0.0.1:${port || 8080}`).replace(/\/$/, ''), apiKey: get('API_KEY', '') || null },
  };
  return deepFreeze(config);
}
