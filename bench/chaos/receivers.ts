import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyWebhook } from '@realid/webhooks';

/**
 * Webhook receivers on loopback, each its own HTTP server (its own origin, as separate customers
 * are), that either behave or fail in one of the ways real receivers do. Every request is checked
 * with the receiver SDK; only a correctly signed webhook counts as delivered.
 */
export const BEHAVIOURS = ['healthy', 'random-5xx', 'hang', 'reset', 'slow-drip', 'huge-body', 'redirect', 'retry-after'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** What `retry-after` asks for on the first attempt of each webhook, in seconds. */
export const RETRY_AFTER_SECONDS = 2;
/** How long `slow-drip` takes to send its 200 response, one byte at a time. */
export const DRIP_MS = 5_000;
/** How much `huge-body` offers to send (the engine should read 20 kB of it and hang up). */
export const HUGE_BODY_BYTES = 256 * 1024 * 1024;

export interface ReceiverCounts {
  requests: number;
  /** Distinct correctly signed webhook-ids. */
  unique: number;
  /** Requests for a webhook-id this receiver had already answered 2xx: the at-least-once price. */
  duplicatesAfterSuccess: number;
  badSignatures: number;
  /** Requests that arrived by following a redirect (must stay 0: redirects are not followed). */
  followedRedirects: number;
}

export interface Arrival {
  /** The event's created_at (its commit, give or take a millisecond), wall clock ms. */
  createdAt: number;
  receivedAt: number;
}

/** Commit-to-arrival latencies in ms of the events created in [since, until). */
export function latenciesOf(arrivals: readonly Arrival[], since = 0, until = Number.POSITIVE_INFINITY): number[] {
  return arrivals.filter((arrival) => arrival.createdAt >= since && arrival.createdAt < until).map((arrival) => arrival.receivedAt - arrival.createdAt);
}

export interface ChaosReceiver {
  readonly behaviour: Behaviour;
  readonly url: string;
  counts(): ReceiverCounts;
  /** webhook-id → first arrival (wall clock ms) of every correctly signed webhook. */
  readonly firstArrivals: Map<string, number>;
  /** The first arrival of every correctly signed webhook, in arrival order. */
  readonly arrivals: Arrival[];
  verifyWith(secret: string): void;
  close(): Promise<void>;
}

const FOLLOWED_PATH = '/followed-redirect';

export async function startChaosReceiver(behaviour: Behaviour): Promise<ChaosReceiver> {
  const sockets = new Set<Socket>();
  const firstArrivals = new Map<string, number>();
  const succeeded = new Set<string>();
  const arrivals: Arrival[] = [];
  const counts: ReceiverCounts = { requests: 0, unique: 0, duplicatesAfterSuccess: 0, badSignatures: 0, followedRedirects: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let secret: string | null = null;
  let url = '';

  const ok = (response: ServerResponse, id: string) => {
    succeeded.add(id);
    response.writeHead(200, { 'content-length': 2 }).end('ok');
  };

  const answer = (request: IncomingMessage, response: ServerResponse, id: string, firstTime: boolean) => {
    switch (behaviour) {
      case 'healthy':
        return ok(response, id);
      case 'random-5xx':
        if (Math.random() < 0.5) return response.writeHead([500, 502, 503][Math.floor(Math.random() * 3)]!).end('down');
        return ok(response, id);
      case 'hang':
        return; // never answers; the socket is destroyed by the engine's timeout or by close()
      case 'reset':
        return request.socket.destroy();
      case 'redirect':
        return response.writeHead(307, { location: `${url}${FOLLOWED_PATH}` }).end();
      case 'retry-after':
        if (firstTime) return response.writeHead(429, { 'retry-after': String(RETRY_AFTER_SECONDS) }).end('slow down');
        return ok(response, id);
      case 'slow-drip': {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const started = Date.now();
        const drip = setInterval(() => {
          if (response.destroyed || Date.now() - started >= DRIP_MS) {
            clearInterval(drip);
            timers.delete(drip);
            if (!response.destroyed) response.end();
            return;
          }
          response.write('.');
        }, 100);
        timers.add(drip);
        return;
      }
      case 'huge-body': {
        succeeded.add(id);
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': HUGE_BODY_BYTES });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < HUGE_BODY_BYTES && !response.destroyed) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          if (!response.destroyed) response.end();
        };
        return pump();
      }
    }
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const now = Date.now();
      counts.requests++;
      if (request.url === FOLLOWED_PATH) {
        counts.followedRedirects++;
        return response.writeHead(200).end();
      }
      const body = Buffer.concat(chunks);
      let createdAt: number;
      try {
        const event = verifyWebhook(body, request.headers, secret ?? '');
        createdAt = Date.parse(event.created_at);
      } catch {
        counts.badSignatures++;
        return response.writeHead(401).end();
      }
      const id = String(request.headers['webhook-id']);
      const firstTime = !firstArrivals.has(id);
      if (firstTime) {
        firstArrivals.set(id, now);
        arrivals.push({ createdAt, receivedAt: now });
        counts.unique++;
      } else if (succeeded.has(id)) {
        counts.duplicatesAfterSuccess++;
      }
      answer(request, response, id, firstTime);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    behaviour,
    url: `${url}/hook`,
    counts: () => ({ ...counts }),
    firstArrivals,
    arrivals,
    verifyWith(next) { secret = next; },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
