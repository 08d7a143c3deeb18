import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives working defaults for `npm start`: SQLite under ./data, port 8080, api and worker, loopback allowed in development', () => {
    const config = loadConfig({});
    expect(config.dbKind).toBe('sqlite');
    expect(config.db).toBe(path.resolve('data/realid.db'));
    expect(config.port).toBe(8080);
    expect(config.roles).toEqual(['api', 'worker']);
    expect(config.delivery.retrySchedule).toEqual([5_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000]);
    expect(config.delivery.attemptTimeoutMs).toBe(15_000);
    expect(config.delivery.allowDestinations).toEqual(['127.0.0.0/8', '::1/128']);
  });

  it('layers a JSON file under the environment, and flags over both', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'realid-config-'));
    const file = path.join(dir, 'realid.json');
    writeFileSync(file, JSON.stringify({ port: 7000, retry_schedule: ['1s', '2s'], log_level: 'debug' }));
    const config = loadConfig({ REALID_CONFIG: file, REALID_PORT: '7100' }, { REALID_LOG_LEVEL: 'warn' });
    expect(config.port).toBe(7100);
    expect(config.delivery.retrySchedule).toEqual([1000, 2000]);
    expect(config.logLevel).toBe('warn');
  });

  it('recognises a PostgreSQL URL', () => {
    expect(loadConfig({ REALID_DB: 'postgres://u:p@localhost/realid' }).dbKind).toBe('postgres');
  });

  it('takes sqlite:PATH and sqlite://PATH as the file path, and refuses other URLs', () => {
    expect(loadConfig({ REALID_DB: 'sqlite:/var/lib/realid/realid.db' })).toMatchObject({ db: '/var/lib/realid/realid.db', dbKind: 'sqlite' });
    expect(loadConfig({ REALID_DB: 'sqlite:///var/lib/realid/realid.db' }).db).toBe('/var/lib/realid/realid.db');
    expect(loadConfig({ REALID_DB: 'sqlite:./data/realid.db' }).db).toBe('./data/realid.db');
    expect(loadConfig({ REALID_DB: './data/realid.db' }).db).toBe('./data/realid.db');
    expect(() => loadConfig({ REALID_DB: 'mysql://u:p@localhost/realid' })).toThrow(/REALID_DB: "mysql:\/\/" is not a database Real ID runs on/);
  });

  it('names the bad setting and says what would be right', () => {
    expect(() => loadConfig({ REALID_PORT: 'eighty' })).toThrow(/REALID_PORT: "eighty" must be a whole number from 0 to 65535/);
    expect(() => loadConfig({ REALID_RETRY_SCHEDULE: '5s,soon' })).toThrow(/REALID_RETRY_SCHEDULE: "soon" is not a duration/);
    expect(() => loadConfig({ REALID_ROLE: 'api,cron' })).toThrow(/REALID_ROLE: "cron" must be api, worker/);
    expect(() => loadConfig({ REALID_MASTER_KEY: 'c2hvcnQ=' })).toThrow(/REALID_MASTER_KEY: must be base64 of exactly 32 bytes/);
    expect(() => loadConfig({ REALID_CONFIG: '/nonexistent/realid.json' })).toThrow(ConfigError);
  });

  it('refuses to boot in production without a master key, and allows no internal destinations there', () => {
    expect(() => loadConfig({ REALID_PROFILE: 'production' })).toThrow(/REALID_MASTER_KEY: is required in production/);
    const config = loadConfig({ REALID_PROFILE: 'production', REALID_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(config.delivery.allowDestinations).toEqual([]);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.delivery)).toBe(true);
    expect(() => { (config.delivery.retrySchedule as number[]).push(1); }).toThrow(TypeError);
  });
});
