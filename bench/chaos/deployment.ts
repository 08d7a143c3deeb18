import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countQueue } from '../../src/db/repos/deliveries.js';
import { openDatabase } from '../../src/db/database.js';
import { freePort } from '../../tests/support/postgres-server.js';
import { apiFor, type Api } from './api.js';
import { realIdProcess, WORKER_READY, type RealIdProcess } from './realid-process.js';
import type { ChaosReceiver } from './receivers.js';

/**
 * Settings every chaos scenario runs with: retries in milliseconds instead of minutes so a
 * scenario sees the whole schedule, a short lease so work a killed process held comes back
 * within seconds, a short attempt timeout, loopback allowed, and no API rate limit (the producer
 * is one client making all the load).
 */
export const CHAOS_RETRY_SCHEDULE_MS = [100, 200, 400, 800, 1600, 3200];
export const CHAOS_ATTEMPT_TIMEOUT_MS = 1000;
export const CHAOS_RETRY_JITTER = 0.2;
const CHAOS_ENV: Record<string, string> = {
  REALID_PROFILE: 'development',
  REALID_LOG_LEVEL: 'warn',
  REALID_RETRY_SCHEDULE: CHAOS_RETRY_SCHEDULE_MS.map((ms) => `${ms}ms`).join(','),
  REALID_RETRY_JITTER: String(CHAOS_RETRY_JITTER),
  REALID_ATTEMPT_TIMEOUT: `${CHAOS_ATTEMPT_TIMEOUT_MS}ms`,
  REALID_DELIVERY_LEASE: '3s',
  REALID_ALLOW_DESTINATIONS: '127.0.0.0/8',
  REALID_API_RATE_LIMIT: '1000000',
};

export interface Deployment {
  readonly service: RealIdProcess;
  /**
   * With `separateWorker` (PostgreSQL): the delivery worker in a process of its own beside the
   * API's (`realid start --role worker`), as on many machines; `service` then runs the api role only.
   */
  readonly worker: RealIdProcess | null;
  /** The demo Enterprise account's test key, as `realid start` created it on first start. */
  readonly api: Api;
  /** `whsec_…`, the account's signing secret. */
  readonly secret: string;
  /** The database the service runs on: a SQLite file or a postgres:// URL. */
  readonly db: string;
  /** Creates an endpoint for the receiver (all events) and tells the receiver the secret. */
  addEndpoint(receiver: ChaosReceiver): Promise<string>;
  /**
   * Deliveries the database shows as being sent (leased) right now. Read while the service is
   * dead, it is what the kill cut off mid-flight: the most that may be delivered twice.
   */
  deliveriesInFlight(): Promise<number>;
  /** Stops the service and removes its data directory. */
  close(): Promise<void>;
}

export async function deploy(options: { postgresUrl?: string; env?: Record<string, string>; separateWorker?: boolean } = {}): Promise<Deployment> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realid-chaos-'));
  const workerDir = mkdtempSync(path.join(os.tmpdir(), 'realid-chaos-worker-'));
  const db = options.postgresUrl ?? path.join(dataDir, 'realid.db');
  if (options.separateWorker && !options.postgresUrl) throw new Error('a separate worker process needs PostgreSQL');
  // Both processes seal and open secrets with the same key, as every machine of a deployment must.
  const shared = { ...CHAOS_ENV, REALID_DB: db, REALID_MASTER_KEY: randomBytes(32).toString('base64'), ...options.env };
  const service = realIdProcess({ ...shared, REALID_DATA_DIR: dataDir, ...(options.separateWorker ? { REALID_ROLE: 'api' } : {}) }, await freePort());
  await service.start();
  const worker = options.separateWorker ? realIdProcess({ ...shared, REALID_DATA_DIR: workerDir, REALID_ROLE: 'worker' }, await freePort(), WORKER_READY) : null;
  await worker?.start();
  const demo = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as { keys: { test: { key: string } } };
  const api = apiFor(service.url, demo.keys.test.key);
  const secrets = await api.ok<{ current: { secret: string } }>('GET', '/api/v1/webhook-secret');
  const secret = secrets.current.secret;

  return {
    service, worker, api, secret, db,
    async addEndpoint(receiver) {
      receiver.verifyWith(secret);
      const endpoint = await api.ok<{ id: string }>('POST', '/api/v1/webhook-endpoints', { url: receiver.url, description: `chaos: ${receiver.behaviour}` });
      return endpoint.id;
    },
    async deliveriesInFlight() {
      const database = openDatabase(db, { poolSize: 1 });
      try {
        return (await countQueue(database.kysely, Date.now())).sending;
      } finally {
        await database.close();
      }
    },
    async close() {
      await worker?.stop();
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(workerDir, { recursive: true, force: true });
    },
  };
}
