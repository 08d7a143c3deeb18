import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../../../tests/support/service.js';
import { POST } from '../../../examples/nextjs/app/api/webhooks/realid/route.js';
import { EXAMPLE_BOOT_TIMEOUT_MS, eventually, PROCESS_EXAMPLES, startExample, type RunningExample } from './example-process.js';

/** The Next.js route handler behind a real HTTP server, recording what it answered to each delivery. */
async function serveNextRoute() {
  const answers: Array<{ status: number; body: string }> = [];
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request: Request) => {
      const body = await request.clone().text();
      const response = await POST(request);
      answers.push({ status: response.status, body });
      return response;
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/realid`, answers, close: () => new Promise((resolve) => server.close(resolve)) };
}

// The receivers are what is under test here, not the database: SQLite is enough (the delivery
// suites run the engine itself on both databases).
describe('the examples verify real deliveries from a running Real ID', () => {
  let service: TestService;
  let testKey: string;
  let liveKey: string;
  const examples: Record<string, RunningExample> = {};
  let next: Awaited<ReturnType<typeof serveNextRoute>>;

  beforeAll(async () => {
    service = await startTestService('sqlite');
    const { keys } = await service.account();
    testKey = keys.test.key;
    liveKey = keys.live.key;
    const secret = (await service.api(liveKey, 'GET', '/api/v1/webhook-secret')).body.current.secret as string;
    process.env.REAL_ID_SIGNING_KEY = secret;
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the Next.js route logs each verified event
    next = await serveNextRoute();
    await Promise.all(PROCESS_EXAMPLES.map(async (file) => { examples[file] = await startExample(file, secret); }));
    for (const url of [next.url, ...Object.values(examples).map((example) => example.url)]) {
      const created = await service.api(liveKey, 'POST', '/api/v1/webhook-endpoints', { url });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  }, EXAMPLE_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    delete process.env.REAL_ID_SIGNING_KEY;
    vi.restoreAllMocks();
    await Promise.all(Object.values(examples).map((example) => example.stop()));
    await next?.close();
    await service?.close();
  });

  /** Creates a test check (which emits check.delivered) and waits until every receiver verified that event. */
  async function newCheckReachesEveryReceiver() {
    const made = await service.api(testKey, 'POST', '/api/v1/checks', { customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' } });
    expect(made.status).toBe(201);
    const checkId = made.body.check.id as string;
    for (const [file, example] of Object.entries(examples)) {
      const line = await eventually(`${file} to verify ${checkId}`, () => example.logLines().find((each) => each.check === checkId));
      expect(line, file).toEqual({ verified: 'check.delivered', check: checkId, testing: true, webhook_id: expect.stringMatching(/^evt_/) });
    }
    const answer = await eventually(`the Next.js route to answer for ${checkId}`, () => next.answers.find((each) => each.body.includes(checkId)));
    expect(answer.status).toBe(204);
    for (const [file, example] of Object.entries(examples)) expect(example.logLines().filter((line) => 'rejected' in line), file).toEqual([]);
  }

  it('check.delivered from a new test check: every example answers 204 and logs the verified event', async () => {
    await newCheckReachesEveryReceiver();
  });

  it('after the secret is rotated, receivers still holding the old secret keep verifying (both secrets sign for 24 h)', async () => {
    const rotated = await service.api(liveKey, 'POST', '/api/v1/webhook-secret/rotate');
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.current.secret).not.toBe(process.env.REAL_ID_SIGNING_KEY);
    await newCheckReachesEveryReceiver();
  });
});
