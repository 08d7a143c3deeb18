import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { CryptoBox } from './core/crypto-box.js';
import type { Db } from './db/database.js';
import type { Wakeups } from './db/wakeups.js';
import type { LocalHandoff } from './delivery/local-handoff.js';
import type { WorkerDirectory } from './delivery/remote-handoff.js';
import type { SecretSource } from './delivery/signing-secrets.js';
import type { Metrics } from './metrics.js';

/** What every service function needs, built once by the composition root (main.ts). */
export interface AppContext {
  readonly config: Readonly<Config>;
  readonly db: Db;
  readonly box: CryptoBox;
  readonly log: Logger;
  readonly wakeups: Wakeups;
  readonly metrics: Metrics;
  /** New deliveries go straight to this process's delivery worker, when it runs one. */
  readonly handoff: LocalHandoff;
  /** On PostgreSQL, the worker processes new deliveries may go straight to when this process has no room for them (see WorkerDirectory). */
  readonly workers: WorkerDirectory;
  /** The signing secrets deliveries are signed with, read once a second per account (see createSecretSource). */
  readonly signingSecrets: SecretSource;
}
