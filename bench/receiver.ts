import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realIdSignature, standardWebhooksSignature } from '../src/core/signing.js';
import { serveParent } from './child.js';
import { wallClockMs } from './clock.js';

/**
 * The loopback receiver every scenario sends to: a bare node:http server in its own process that
 * answers 200 at once, counts requests, keeps the first arrival time of each `path|webhook-id`
 * (duplicates are counted, not double-timed) and, when given the secret, checks both signatures.
 * A request with a wrong signature gets a 401 and is counted: a benchmark that measured unsigned
 * or mis-signed traffic would flatter the engine.
 */
export interface ReceiverStats {
  requests: number;
  unique: number;
  duplicates: number;
  badSignatures: number;
  firstArrival: number | null;
  lastArrival: number | null;
}

let secret: string | null = null;
let arrivals = new Map<string, number>();
let stats: ReceiverStats = freshStats();

function freshStats(): ReceiverStats {
  return { requests: 0, unique: 0, duplicates: 0, badSignatures: 0, firstArrival: null, lastArrival: null };
}

function signedCorrectly(request: IncomingMessage, body: string): boolean {
  if (secret === null) return true;
  const id = String(request.headers['webhook-id'] ?? '');
  const timestamp = Number(request.headers['webhook-timestamp']);
  const offered = String(request.headers['webhook-signature'] ?? '').split(' ');
  return request.headers['x-real-id-signature'] === realIdSignature(body, secret)
    && offered.includes(standardWebhooksSignature(id, timestamp, body, secret));
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const now = wallClockMs();
    stats.requests++;
    if (!signedCorrectly(request, Buffer.concat(chunks).toString('utf8'))) {
      stats.badSignatures++;
      response.writeHead(401, { 'content-length': 0 }).end();
      return;
    }
    const key = `${request.url}|${request.headers['webhook-id'] ?? ''}`;
    if (arrivals.has(key)) {
      stats.duplicates++;
    } else {
      arrivals.set(key, now);
      stats.unique++;
      stats.firstArrival ??= now;
      stats.lastArrival = now;
    }
    response.writeHead(200, { 'content-length': 0 }).end();
  });
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.headersTimeout = 60_000;

serveParent({
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  },
  verifyWith(next: string | null) {
    secret = next;
  },
  reset() {
    arrivals = new Map();
    stats = freshStats();
  },
  stats: (): ReceiverStats => stats,
  /** First arrival times as `[webhook-id, ms]` for one path (one endpoint). */
  arrivals(path: string): Array<[string, number]> {
    const prefix = `${path}|`;
    const out: Array<[string, number]> = [];
    for (const [key, at] of arrivals) if (key.startsWith(prefix)) out.push([key.slice(prefix.length), at]);
    return out;
  },
  async exit() {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  },
});
