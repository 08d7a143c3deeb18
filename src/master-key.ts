import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.js';

/**
 * The key that seals secrets, personal data and photos. Production must set REALID_MASTER_KEY
 * (config refuses to boot without it); development generates one into the data dir once, so
 * `npm start` just works, and says so.
 */
export function resolveMasterKey(config: Readonly<Config>, log?: Logger): Buffer {
  if (config.masterKey) return Buffer.from(config.masterKey, 'base64');
  const file = path.join(config.dataDir, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  log?.warn({ file }, 'development profile: generated a master key into the data directory; set REALID_MASTER_KEY in production');
  return key;
}
