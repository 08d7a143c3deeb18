import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptOutcome } from './sender.js';
import { createInProcessSender, createThreadSender, sendThreadWanted, type OutgoingRequest, type WebhookSender } from './webhook-sender.js';

const settings = { allowDestinations: ['127.0.0.0/8'], egressProxy: null, attemptTimeoutMs: 2_000 };
let server: Server;
let base: string;
const seen: Array<{ url: string; signature: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', signature: request.headers['webhook-signature'] as string | undefined, body });
      if (request.url === '/hang') return; // never answers
      if (request.url === '/slow') {
        concurrent++;
        mostConcurrent = Math.max(mostConcurrent, concurrent);
        setTimeout(() => { concurrent--; response.writeHead(200).end(); }, 50);
        return;
      }
      response.writeHead(request.url === '/fail' ? 503 : 200, { 'content-type': 'text/plain' }).end(`got ${body.length} bytes`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (urlPath: string, body = '{"n":1}', laneLimit = 16) => ({
  url: base + urlPath, headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,abc' }, body, timeoutMs: 2_000, lane: 'ep_test', laneLimit,
});
let concurrent = 0;
let mostConcurrent = 0;
/** One attempt's outcome, as a promise. */
const sent = (sender: WebhookSender, outgoing: OutgoingRequest) => new Promise<AttemptOutcome>((resolve) => sender.send(outgoing, resolve));

describe('sending webhooks on a thread of their own', () => {
  it('sends each attempt from the thread, with its headers and body, and brings back the whole outcome', async () => {
    const fallbacks: Error[] = [];
    const sender: WebhookSender = createThreadSender(settings, (e) => fallbacks.push(e));
    try {
      expect(sender.where).toBe('thread');
      const outcomes = await Promise.all([sent(sender, request('/ok/1', '{"a":1}')), sent(sender, request('/fail')), sent(sender, request('/ok/2', 'x'.repeat(5000)))]);
      expect(outcomes.map((o) => o.statusCode)).toEqual([200, 503, 200]);
      expect(outcomes[0]).toMatchObject({ succeeded: true, responseBody: 'got 7 bytes', errorKind: null });
      expect(JSON.parse(outcomes[0]!.responseHeadersJson!)['content-type']).toBe('text/plain');
      expect(outcomes[1]).toMatchObject({ succeeded: false, errorKind: 'http_error' });
      expect(seen.find((s) => s.url === '/ok/2')).toMatchObject({ signature: 'v1,abc', body: 'x'.repeat(5000) });
      // The address guard runs in the thread too: a destination outside the allow list is refused.
      const guarded = createThreadSender({ ...settings, allowDestinations: [] }, () => {});
      expect(await sent(guarded, request('/ok/3'))).toMatchObject({ succeeded: false, errorKind: 'blocked' });
      await guarded.close();
      expect(fallbacks).toEqual([]);
    } finally {
      await sender.close();
    }
  });

  for (const [where, make] of [['thread', () => createThreadSender(settings, () => {})], ['in process', () => createInProcessSender(settings)]] as const) {
    it(`keeps each endpoint within its concurrency, starting the next attempt as one ends (${where})`, async () => {
      const sender = make();
      try {
        expect(sender.where).toBe(where);
        mostConcurrent = 0;
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => sent(sender, request('/slow', '{}', 2))));
        expect(outcomes.every((o) => o.statusCode === 200)).toBe(true);
        expect(mostConcurrent).toBe(2);
      } finally {
        await sender.close();
      }
    });
  }

  for (const [where, make] of [['thread', () => createThreadSender(settings, () => {})], ['in process', () => createInProcessSender(settings)]] as const) {
    it(`does not start an attempt that waited in its lane past its start-by time (${where})`, async () => {
      const sender = make();
      try {
        const sentBefore = seen.filter((s) => s.url === '/slow').length;
        const body = (n: number) => JSON.stringify({ startBy: n });
        // One at a time, 50 ms each: the second waits ~50 ms, past its 10 ms; the third has time enough.
        const outcomes = await Promise.all([
          sent(sender, request('/slow', body(1), 1)),
          sent(sender, { ...request('/slow', body(2), 1), startBy: Date.now() + 10 }),
          sent(sender, { ...request('/slow', body(3), 1), startBy: Date.now() + 60_000 }),
        ]);
        expect(outcomes.map((o) => [o.succeeded, o.notStarted])).toEqual([[true, false], [false, true], [true, false]]);
        expect(outcomes[1]!.errorMessage).toContain('not sent');
        expect(seen.filter((s) => s.url === '/slow').slice(sentBefore).map((s) => s.body)).toEqual([body(1), body(3)]);
      } finally {
        await sender.close();
      }
    });
  }

  it('ends a hanging attempt at its timeout, and every running one on abortAll', async () => {
    const sender = createThreadSender({ ...settings, attemptTimeoutMs: 300 }, () => {});
    try {
      const timedOut = await sent(sender, { ...request('/hang'), timeoutMs: 300 });
      expect(timedOut).toMatchObject({ succeeded: false, errorKind: 'timeout' });
      const long = createThreadSender({ ...settings, attemptTimeoutMs: 60_000 }, () => {});
      const hangsBefore = seen.filter((s) => s.url === '/hang').length;
      const running = sent(long, { ...request('/hang', '{}', 1), timeoutMs: 60_000 });
      const queued = sent(long, { ...request('/hang', '{}', 1), timeoutMs: 60_000 });
      // Until the receiver has the first one (the thread may still be starting).
      while (seen.filter((s) => s.url === '/hang').length === hangsBefore) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      long.abortAll();
      expect(await running).toMatchObject({ succeeded: false, errorKind: 'timeout' });
      // Handed over but never started (its lane was full): back unsent, and the receiver never saw it.
      expect(await queued).toMatchObject({ succeeded: false, notStarted: true, errorMessage: 'not sent: the worker stopped first' });
      expect(seen.filter((s) => s.url === '/hang')).toHaveLength(hangsBefore + 1);
      await long.close();
    } finally {
      await sender.close();
    }
  });

  it('fails what a crashed thread was sending (to be retried) and sends in process from then on', async () => {
    // A stand-in program that dies as soon as it is given work.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'send-thread-'));
    const program = path.join(dir, 'crashing-thread.mjs');
    writeFileSync(program, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const fallbacks: Error[] = [];
    const sender = createThreadSender(settings, (e) => fallbacks.push(e), { source: pathToFileURL(program), eval: false });
    try {
      const lost = await sent(sender, request('/ok/lost'));
      expect(lost).toMatchObject({ succeeded: false, errorKind: 'other' });
      expect(lost.errorMessage).toContain('the sending thread stopped');
      expect(fallbacks.map((e) => e.message)).toEqual(['the sending thread exited with code 3']);
      expect(sender.where).toBe('in process');
      expect(await sent(sender, request('/ok/after'))).toMatchObject({ succeeded: true, statusCode: 200 });
    } finally {
      await sender.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends nothing once closed: a late attempt comes back not started', async () => {
    const sender = createThreadSender(settings, () => {});
    expect(await sent(sender, request('/ok/before-close'))).toMatchObject({ succeeded: true });
    await sender.close();
    const before = seen.length;
    expect(await sent(sender, request('/ok/after-close'))).toMatchObject({ succeeded: false, notStarted: true });
    expect(seen.length).toBe(before);
  });

  it('uses a thread when asked, or when "auto" finds a core to spare', () => {
    expect(sendThreadWanted('on')).toBe(true);
    expect(sendThreadWanted('off')).toBe(false);
    expect(sendThreadWanted('auto')).toBe(os.availableParallelism() > 1);
  });
});
