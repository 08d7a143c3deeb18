import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../src/index.js';
import { POST } from '../../../examples/nextjs/app/api/webhooks/realid/route.js';
import { EXAMPLE_BOOT_TIMEOUT_MS, PROCESS_EXAMPLES, startExample, type RunningExample } from './example-process.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"event":"check.completed","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"chk_example","step":"completed","testing":true}}';

interface Sent {
  status: number;
  reason?: string;
}

/** What a receiver URL answers to one POST, as Real ID's delivery engine would see it. */
type Send = (body: string, headers: Record<string, string>) => Promise<Sent>;

async function answer(response: Response): Promise<Sent> {
  const text = await response.text();
  return { status: response.status, reason: text ? JSON.parse(text).reason : undefined };
}

const json = { 'content-type': 'application/json' };

/** The same checks for every example: a good delivery, its retry, and the ways a request can be bad. */
function behavesLikeAReceiver(send: () => Send, example?: () => RunningExample) {
  it('answers 204 to a signed delivery and hands the verified event on', async () => {
    const headers = signWebhook(BODY, SECRET, { id: 'evt_first' });
    expect(await send()(BODY, { ...json, ...headers })).toEqual({ status: 204 });
    if (example) {
      const lines = await example().logLinesWhen((all) => all.some((line) => line.webhook_id === 'evt_first'));
      expect(lines).toContainEqual({ verified: 'check.completed', check: 'chk_example', testing: true, webhook_id: 'evt_first' });
    }
  });

  if (example) {
    it('processes a redelivery of the same webhook-id once', async () => {
      const headers = signWebhook(BODY, SECRET, { id: 'evt_retried' });
      expect((await send()(BODY, { ...json, ...headers })).status).toBe(204);
      expect((await send()(BODY, { ...json, ...headers })).status).toBe(204);
      const retried = (lines: Array<Record<string, unknown>>) => lines.filter((line) => line.webhook_id === 'evt_retried');
      expect(retried(await example().logLinesWhen((lines) => retried(lines).length >= 2))).toEqual([
        { verified: 'check.completed', check: 'chk_example', testing: true, webhook_id: 'evt_retried' },
        { duplicate: 'check.completed', webhook_id: 'evt_retried' },
      ]);
    });
  }

  it('answers 400 bad_signature to a tampered body', async () => {
    const headers = signWebhook(BODY, SECRET);
    expect(await send()(BODY.replace('"testing":true', '"testing":false'), { ...json, ...headers })).toEqual({ status: 400, reason: 'bad_signature' });
  });

  it('answers 400 bad_signature to a signature made with another secret', async () => {
    const headers = signWebhook(BODY, `whsec_${Buffer.alloc(32, 1).toString('base64')}`);
    expect(await send()(BODY, { ...json, ...headers })).toEqual({ status: 400, reason: 'bad_signature' });
  });

  it('answers 400 missing_signature to an unsigned request', async () => {
    expect(await send()(BODY, json)).toEqual({ status: 400, reason: 'missing_signature' });
  });

  it('answers 400 timestamp_too_old to a replay of an old delivery', async () => {
    const headers = signWebhook(BODY, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(await send()(BODY, { ...json, ...headers })).toEqual({ status: 400, reason: 'timestamp_too_old' });
  });
}

// Started together, since each process takes a few seconds to boot on a busy machine.
const running: Record<string, RunningExample> = {};
beforeAll(async () => {
  await Promise.all(PROCESS_EXAMPLES.map(async (file) => { running[file] = await startExample(file, SECRET); }));
}, EXAMPLE_BOOT_TIMEOUT_MS);
afterAll(() => Promise.all(Object.values(running).map((example) => example.stop())));

for (const file of PROCESS_EXAMPLES) {
  describe(`examples/${file}, started as a process`, () => {
    it('listens on loopback', () => {
      expect(running[file].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/realid$/);
    });

    behavesLikeAReceiver(
      () => async (body, headers) => answer(await fetch(running[file].url, { method: 'POST', body, headers })),
      () => running[file],
    );
  });
}

describe('examples/nextjs app/api/webhooks/realid/route.ts, called with a real Request', () => {
  beforeAll(() => {
    process.env.REAL_ID_SIGNING_KEY = SECRET;
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the route logs each verified event
  });
  afterAll(() => {
    delete process.env.REAL_ID_SIGNING_KEY;
    vi.restoreAllMocks();
  });

  behavesLikeAReceiver(() => async (body, headers) => answer(await POST(new Request('http://127.0.0.1/api/webhooks/realid', { method: 'POST', body, headers }))));

  it('answers 500 with a clear message when the secret is not configured', async () => {
    delete process.env.REAL_ID_SIGNING_KEY;
    const response = await POST(new Request('http://127.0.0.1/api/webhooks/realid', { method: 'POST', body: BODY, headers: { ...json, ...signWebhook(BODY, SECRET) } }));
    process.env.REAL_ID_SIGNING_KEY = SECRET;
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'REAL_ID_SIGNING_KEY is not set' });
  });
});
