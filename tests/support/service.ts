import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { createAccount, type NewAccount } from '../../src/services/accounts.js';
import type { Plan } from '../../src/db/repos/accounts.js';
import { freshDatabase, type TestDialect } from './databases.js';

export interface TestService extends RunningService {
  url: string;
  /** A new account with its keys; each test makes its own so tests never share state. */
  account(plan?: Plan): Promise<NewAccount>;
  /** fetch against the API with a bearer key. */
  api(key: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
}

let accountCounter = 0;

/** The whole service in this process (api + worker) on a fresh database, listening on a free loopback port. */
export async function startTestService(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realid-svc-'));
  const config = loadConfig({}, {
    REALID_DATA_DIR: dataDir,
    REALID_DB: await freshDatabase(dialect),
    REALID_PORT: '0',
    REALID_LOG_LEVEL: 'silent',
    REALID_SEED_DEMO: 'false',
    REALID_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    REALID_API_RATE_LIMIT: '100000',
    ...env,
  });
  const service = await startService(config);
  const url = service.url!.replace('0.0.0.0', '127.0.0.1');
  return {
    ...service,
    url,
    account: (plan = 'enterprise') =>
      createAccount(service.ctx, { name: `Test ${++accountCounter}`, plan, ownerEmail: `owner${accountCounter}-${Date.now()}-${Math.random().toString(36).slice(2)}@test.realid.local`, ownerPassword: 'correct horse battery staple' }),
    async api(key, method, route, body) {
      const response = await fetch(url + route, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}
