import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres-server.js';
import { runRealid, spawnRealid } from '../support/process.js';

/** What a new user sees: `npm start` (realid start) on an empty data dir, then the CLI. */
describe('realid start and the account CLI, as real processes', () => {
  it('first start creates the schema and a demo account, prints it once, and serves the API with its keys', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realid-e2e-'));
    const port = await freePort();
    const env = { REALID_DATA_DIR: dataDir, REALID_PORT: String(port), REALID_MASTER_KEY: '' };
    const first = spawnRealid(['start'], env);
    const banner = await first.waitFor('Real ID is running');
    await first.waitFor('live key:');
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    const testKey = /test key:\s+(rid_test_\S+)/.exec(first.stderr())![1];
    const signIn = /sign in:\s+(\S+) \/ (\S+)/.exec(first.stderr())!;
    expect(existsSync(path.join(dataDir, 'realid.db'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'master.key'))).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8'));
    expect(saved.keys.test.key).toBe(testKey);

    const me = await fetch(`http://127.0.0.1:${port}/api/v1/account`, { headers: { authorization: `Bearer ${testKey}` } });
    expect(await me.json()).toMatchObject({ name: 'Demo Merchant', plan: 'enterprise', mode: 'test' });
    const session = await fetch(`http://127.0.0.1:${port}/api/v1/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: signIn[1], password: signIn[2] }),
    });
    expect(session.status).toBe(200);
    // Logs are JSON lines on stdout.
    const lines = first.stdout().trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // With a core to spare, webhooks go out from a thread of their own, found next to the server
    // (the compiled bundle after npm install, or the sources through tsx).
    const worker = lines.map((line) => JSON.parse(line)).find((entry) => entry.sending);
    expect(worker?.sending).toBe(os.availableParallelism() > 1 ? 'thread' : 'in process');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A second start keeps the data and does not create (or print) another demo account.
    const second = spawnRealid(['start'], env);
    await second.waitFor('Real ID is running');
    expect(second.stderr()).not.toContain('demo Enterprise account was created');
    const again = await fetch(`http://127.0.0.1:${port}/api/v1/account`, { headers: { authorization: `Bearer ${testKey}` } });
    expect(again.status).toBe(200);
    second.child.kill('SIGKILL');
    await second.exited;
  }, 300_000);

  it('creates accounts and keys from the CLI as JSON, with exit codes scripts can rely on', () => {
    const env = { REALID_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'realid-cli-')), REALID_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') };
    const created = runRealid(['accounts', 'create', '--name', 'Acme', '--email', 'owner@acme.test', '--plan', 'pro', '--json'], env);
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout);
    expect(account).toMatchObject({ account: { name: 'Acme', plan: 'pro' }, owner: { email: 'owner@acme.test' } });
    expect(account.keys.test.key).toMatch(/^rid_test_/);
    expect(account.keys.live.key).toMatch(/^rid_live_/);

    const duplicate = runRealid(['accounts', 'create', '--name', 'Acme', '--email', 'owner@acme.test', '--json'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');

    const key = JSON.parse(runRealid(['keys', 'create', '--account', account.account.id, '--mode', 'live', '--name', 'Server', '--json'], env).stdout);
    expect(key.key).toMatch(/^rid_live_/);
    const listed = JSON.parse(runRealid(['keys', 'list', '--account', account.account.id, '--json'], env).stdout);
    expect(listed.map((k: { id: string }) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed)).not.toContain(key.key);
    expect(runRealid(['keys', 'revoke', '--account', account.account.id, key.id], env).code).toBe(0);
    expect(runRealid(['keys', 'revoke', '--account', account.account.id, 'key_nope'], env).code).toBe(3);

    const plan = runRealid(['accounts', 'set-plan', account.account.id, 'enterprise'], env);
    expect(plan.code).toBe(0);
    expect(JSON.parse(runRealid(['accounts', 'list', '--json'], env).stdout)[0].plan).toBe('enterprise');

    const badPlan = runRealid(['accounts', 'create', '--name', 'X', '--email', 'x@x.test', '--plan', 'gold'], env);
    expect(badPlan.code).toBe(2);
    const badConfig = runRealid(['accounts', 'list'], { ...env, REALID_PORT: 'eighty' });
    expect(badConfig.code).toBe(78);
    expect(badConfig.stderr).toContain('Invalid setting REALID_PORT');
    const help = runRealid(['accounts', 'create', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Example:');
  }, 300_000);
});
