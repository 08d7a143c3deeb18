import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request as the receiver saw it: raw body bytes as text, headers lower-cased by Node. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** What to do with a request: answer (status, headers, body, after a delay), hang, or drop the connection. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { hang: true }
  | { destroy: true };

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Decide per request (the default answers 200). */
  behave(decide: (request: ReceivedRequest, index: number) => Behaviour): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  waitUntil(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback that records every webhook and can be told to fail, hang or reset. */
export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const watchers = new Set<() => void>();
  let decide: (request: ReceivedRequest, index: number) => Behaviour = () => ({ status: 200, body: 'ok' });

  const answer = (response: ServerResponse, behaviour: Behaviour) => {
    if ('hang' in behaviour) return;
    if ('destroy' in behaviour) return response.socket?.destroy();
    const send = () => {
      response.writeHead(behaviour.status, { 'content-type': 'text/plain', ...behaviour.headers });
      response.end(behaviour.body ?? '');
    };
    if (behaviour.delayMs) setTimeout(send, behaviour.delayMs);
    else send();
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = {
        method: request.method ?? '', path: request.url ?? '', headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now(),
      };
      requests.push(received);
      for (const watcher of watchers) watcher();
      answer(response, decide(received, requests.length - 1));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const waitUntil = (predicate: (all: ReceivedRequest[]) => boolean, timeoutMs = 10_000) =>
    new Promise<ReceivedRequest[]>((resolve, reject) => {
      const check = () => {
        if (!predicate(requests)) return;
        cleanup();
        resolve(requests);
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`receiver: condition not met within ${timeoutMs} ms (got ${requests.length} requests)`)); }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); watchers.delete(check); };
      watchers.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    behave(next) { decide = next; },
    waitUntil,
    waitFor: (count, timeoutMs) => waitUntil((all) => all.length >= count, timeoutMs),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Receivers made on demand during a suite, all closed together in afterAll. */
export function receiverPool() {
  const made: Receiver[] = [];
  return {
    async start(): Promise<Receiver> {
      const receiver = await startReceiver();
      made.push(receiver);
      return receiver;
    },
    async closeAll(): Promise<void> {
      for (const receiver of made.splice(0)) await receiver.close();
    },
  };
}
