import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgress } from './egress.js';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { realIdSignature, standardWebhooksSignature } from '../core/signing.js';
import { RESPONSE_BODY_LIMIT, sendWebhook } from './sender.js';

/** How the loopback receiver answers each path: the shapes of response body a real receiver may send. */
const answers: Record<string, (response: ServerResponse) => void> = {
  '/empty': (r) => r.writeHead(204).end(),
  '/zero-length': (r) => r.writeHead(200, { 'content-length': 0 }).end(),
  '/short': (r) => r.writeHead(500, { 'content-type': 'text/plain' }).end('down for maintenance'),
  '/nul': (r) => r.writeHead(200, { 'content-length': 5 }).end(Buffer.from([0x6f, 0x6b, 0x00, 0x21, 0x21])),
  '/exact': (r) => r.writeHead(200, { 'content-length': RESPONSE_BODY_LIMIT }).end('e'.repeat(RESPONSE_BODY_LIMIT)),
  '/long-announced': (r) => r.writeHead(200, { 'content-length': 100_000 }).end('L'.repeat(100_000)),
  '/chunked': (r) => {
    r.writeHead(200, { 'transfer-encoding': 'chunked' });
    for (let i = 0; i < 30; i++) r.write('c'.repeat(1_000));
    r.end();
  },
  '/chunked-short': (r) => {
    r.writeHead(200);
    r.write('part one, ');
    r.end('part two');
  },
};

let server: Server;
/** TCP connections the receiver has accepted so far. */
let connections = 0;
/** The headers the receiver got on its last request. */
let lastHeaders: Record<string, string | string[] | undefined> = {};
let base: string;
const egress = createEgress({ allowDestinations: ['127.0.0.0/8'], egressProxy: null, attemptTimeoutMs: 5_000 });

beforeAll(async () => {
  server = createServer((request, response) => {
    lastHeaders = request.headers;
    request.resume();
    request.on('end', () => answers[request.url ?? '']?.(response));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await egress.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const send = (path: string) => sendWebhook(egress, { url: base + path, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5_000 });

describe('sendWebhook keeps what the delivery log shows of the response body', () => {
  it('an empty body, announced or not, is an empty string', async () => {
    for (const path of ['/empty', '/zero-length']) {
      const outcome = await send(path);
      expect(outcome.succeeded).toBe(true);
      expect(outcome.responseBody).toBe('');
    }
  });

  it('a short body is kept whole, with its status', async () => {
    const outcome = await send('/short');
    expect(outcome).toMatchObject({ succeeded: false, statusCode: 500, errorKind: 'http_error', responseBody: 'down for maintenance' });
  });

  it('NUL characters are replaced, so PostgreSQL can store the body', async () => {
    expect((await send('/nul')).responseBody).toBe('ok\uFFFD!!');
  });

  it('a body of exactly the limit is kept whole', async () => {
    expect((await send('/exact')).responseBody).toBe('e'.repeat(RESPONSE_BODY_LIMIT));
  });

  it('a longer body is cut at the limit, announced or chunked', async () => {
    expect((await send('/long-announced')).responseBody).toBe('L'.repeat(RESPONSE_BODY_LIMIT));
    expect((await send('/chunked')).responseBody).toBe('c'.repeat(RESPONSE_BODY_LIMIT));
  });

  it('a short body without a length is read to its end', async () => {
    expect((await send('/chunked-short')).responseBody).toBe('part one, part two');
  });

  it('a body of exactly the limit keeps its connection; only a longer one is cut off with it', async () => {
    await send('/exact');
    const before = connections;
    await send('/exact');
    await send('/short');
    expect(connections).toBe(before);
    await send('/long-announced');
    await send('/short');
    expect(connections).toBe(before + 1);
  });

  it('the connection is reused after every kind of body', async () => {
    // Ten more requests over each answer shape: a connection left with unread body would stall or fail them.
    for (let round = 0; round < 10; round++) {
      for (const path of Object.keys(answers)) expect((await send(path)).statusCode).not.toBeNull();
    }
  });
});

describe('sendWebhook signs each attempt as it starts', () => {
  const secrets = ['whsec_' + Buffer.alloc(24, 7).toString('base64'), 'whsec_' + Buffer.alloc(24, 9).toString('base64')];

  it('the receiver gets both signatures over the exact body, stamped with the time the attempt started', async () => {
    const body = '{"type":"check.completed"}';
    const outcome = await sendWebhook(egress, {
      url: `${base}/empty`, headers: { 'content-type': 'application/json' }, body, timeoutMs: 5_000, sign: { eventId: 'evt_1', secrets },
    });
    expect(outcome.succeeded).toBe(true);
    const timestamp = Math.floor(outcome.startedAt / 1000);
    expect(lastHeaders['webhook-timestamp']).toBe(String(timestamp));
    expect(lastHeaders['x-real-id-signature']).toBe(realIdSignature(body, secrets[0]!));
    expect(lastHeaders['webhook-signature']).toBe(secrets.map((s) => standardWebhooksSignature('evt_1', timestamp, body, s)).join(' '));
    // And as a receiver checks them, with code that is not ours: the seed page's recipe (hex HMAC
    // keyed by the whole secret) and the standardwebhooks library, with either secret.
    expect(lastHeaders['x-real-id-signature']).toBe(createHmac('sha256', secrets[0]!).update(body).digest('hex'));
    for (const secret of secrets) expect(() => new Webhook(secret).verify(body, lastHeaders as Record<string, string>)).not.toThrow();
  });

  it('the delivery log records the headers exactly as the receiver got them', async () => {
    const outcome = await sendWebhook(egress, {
      url: `${base}/empty`, headers: { 'content-type': 'application/json', 'user-agent': 'RealID-Webhooks/test' }, body: '{}', timeoutMs: 5_000,
      sign: { eventId: 'evt_2', secrets },
    });
    const recorded = JSON.parse(outcome.requestHeadersJson!) as Record<string, string>;
    expect(Object.keys(recorded).sort()).toEqual(['content-type', 'user-agent', 'webhook-id', 'webhook-signature', 'webhook-timestamp', 'x-real-id-signature']);
    for (const [name, value] of Object.entries(recorded)) expect(lastHeaders[name]).toBe(value);
  });

  it('an account with no signing secret fails the attempt without sending anything', async () => {
    lastHeaders = {};
    const outcome = await sendWebhook(egress, { url: `${base}/empty`, headers: {}, body: '{}', timeoutMs: 5_000, sign: { eventId: 'evt_3', secrets: [] } });
    expect(outcome).toMatchObject({ succeeded: false, statusCode: null, requestHeadersJson: null, errorKind: 'other' });
    expect(outcome.errorMessage).toMatch(/signing secret/);
    expect(lastHeaders).toEqual({});
  });
});
