import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LaneSender, type LaneRequest } from './lane-sender.js';
import { decodeOutcomes, encodeRequests, type FromSendThread, type SendThreadSettings, type ToSendThread } from './send-protocol.js';
import { notStartedOutcome, unsentOutcome, type AttemptOutcome } from './sender.js';

export type OutgoingRequest = LaneRequest;

/** Sends the delivery worker's attempts, in this thread or in a thread of their own. */
export interface WebhookSender {
  /** Where attempts run: 'thread' or 'in process'. */
  readonly where: 'thread' | 'in process';
  /**
   * One attempt; `done` gets its outcome exactly once, at its end (its timeout or abortAll at the
   * latest), and never an error (see sendWebhook). A callback, not a promise: this runs for every
   * delivery, and a promise with its continuation was garbage and a microtask each.
   */
  send(request: OutgoingRequest, done: (outcome: AttemptOutcome) => void): void;
  /** Ends every attempt still running (the worker is stopping and gave up waiting). */
  abortAll(): void;
  close(): Promise<void>;
}

/** The attempts on this thread's event loop (a LaneSender here rather than in a thread). */
export function createInProcessSender(settings: SendThreadSettings): WebhookSender {
  const sender = new LaneSender(settings);
  return {
    where: 'in process',
    send: (request, done) => sender.send(request, done),
    abortAll: () => sender.abortAll(),
    close: () => sender.close(),
  };
}

/**
 * The sending thread's program, next to this module: the bundle's send-thread.mjs when running
 * compiled, or send-thread.ts when running from source, loaded through a small bootstrap that
 * first registers tsx's loader in the new thread (a worker does not inherit the loader hooks, nor
 * honour --import in its execArgv on Node 20). Null when neither is there (attempts then run in
 * process).
 */
export interface ThreadProgram {
  /** The module to run, or (eval) the source of a CommonJS bootstrap that imports it. */
  source: URL | string;
  eval: boolean;
}

function threadProgram(): ThreadProgram | null {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) {
    const url = new URL('./send-thread.mjs', import.meta.url);
    return existsSync(url) ? { source: url, eval: false } : null;
  }
  const url = new URL('./send-thread.ts', import.meta.url);
  if (!existsSync(url)) return null;
  // Found from here, not from the working directory.
  // (createRequire resolves the CommonJS build of tsx/esm/api; the thread imports its ESM twin.)
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return { source: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, eval: true };
}

/** Whether 'auto' means a thread here: only with a core to spare for it. */
export function sendThreadWanted(setting: 'auto' | 'on' | 'off'): boolean {
  return setting === 'on' || (setting === 'auto' && os.availableParallelism() > 1);
}

/**
 * Attempts on a thread of their own. The HTTP half of a delivery (connection, request, response,
 * undici's and the kernel's work) is about half of its CPU, and a Node process runs JavaScript on
 * one core: with the sending moved here, the worker's thread keeps only the database and the
 * bookkeeping, and a second core does the rest. Requests go over in one message per burst, and
 * outcomes come back the same way.
 *
 * If the thread fails, every attempt it was running ends as a failed attempt (retried on the
 * schedule, so at worst sent twice, never lost) and later ones run in process.
 */
export function createThreadSender(
  settings: SendThreadSettings, onFallback: (error: Error) => void, program = threadProgram(),
): WebhookSender {
  if (!program) {
    onFallback(new Error('the sending thread\'s program was not found next to the server; sending in process'));
    return createInProcessSender(settings);
  }
  const worker = new Worker(program.source, {
    workerData: settings,
    eval: program.eval,
    // The thread keeps little: requests in flight and its connections. Its young generation is
    // smaller than V8 would size it for a whole process (~20 MB more), but not too small: at 4 MB
    // it collected garbage for 27 µs of every delivery (a tenth of the thread, in its profile);
    // 8 MB halved that, and the million-row drain ran 7,200/s in 195–217 MB instead of 5,650/s
    // in 230 MB (16 MB: 241 MB, no faster).
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 },
  });
  // Like a socket, the thread alone must not keep the process alive: the worker's own timers and
  // the service's server do while there is work, and close() ends it.
  worker.unref();
  const pending = new Map<number, (outcome: AttemptOutcome) => void>();
  // Sends started in one synchronous run, and the reply id of the first (the others follow it).
  let outgoing: OutgoingRequest[] = [];
  let outgoingFirstId = 0;
  let nextId = 1;
  let fallback: WebhookSender | null = null;
  let closed: Promise<void> | null = null;
  const post = (message: ToSendThread) => worker.postMessage(message);

  const failAll = (error: Error) => {
    if (fallback) return;
    // Closed on purpose: nothing is running (close waits for that), and nothing more will be sent.
    fallback = closed ? closedSender : createInProcessSender(settings);
    const now = Date.now();
    for (const [, done] of pending) done(unsentOutcome(`the sending thread stopped mid-attempt (${error.message}); it will be retried`, now));
    pending.clear();
    outgoing = [];
    if (!closed) onFallback(error);
  };
  worker.on('message', (message: FromSendThread) => {
    decodeOutcomes(message.batch, (id, outcome) => {
      pending.get(id)?.(outcome);
      pending.delete(id);
    });
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the sending thread exited with code ${code}`)));

  const flush = () => {
    const requests = outgoing;
    outgoing = [];
    if (requests.length > 0 && !fallback) post({ type: 'send', batch: encodeRequests(outgoingFirstId, requests) });
  };

  return {
    get where() {
      return fallback ? 'in process' : 'thread';
    },
    send(request, done) {
      if (fallback) return fallback.send(request, done);
      const id = nextId++;
      // Every send started in the same synchronous run (a lane filling up) goes over in one message.
      if (outgoing.length === 0) {
        outgoingFirstId = id;
        queueMicrotask(flush);
      }
      outgoing.push(request);
      pending.set(id, done);
    },
    abortAll() {
      if (fallback) fallback.abortAll();
      else post({ type: 'abortAll' });
    },
    close() {
      closed ??= (async () => {
        if (fallback) return fallback.close();
        const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        // Held until it has exited (see the unref above): otherwise a process with nothing else
        // to do would end while this waits.
        worker.ref();
        post({ type: 'close' });
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await done;
        clearTimeout(timer);
      })();
      return closed;
    },
  };
}

/** What a thread sender falls back to once it has been closed: nothing more is sent. */
const closedSender: WebhookSender = {
  where: 'in process',
  send: (_request, done) => done(notStartedOutcome('not sent: the webhook sender is closed')),
  abortAll: () => {},
  close: async () => {},
};

export function createWebhookSender(settings: SendThreadSettings & { sendThread: 'auto' | 'on' | 'off' }, onFallback: (error: Error) => void): WebhookSender {
  // Only what the thread needs crosses over (the rest of the settings is not its business).
  const only: SendThreadSettings = { allowDestinations: settings.allowDestinations, egressProxy: settings.egressProxy, attemptTimeoutMs: settings.attemptTimeoutMs };
  return sendThreadWanted(settings.sendThread) ? createThreadSender(only, onFallback) : createInProcessSender(only);
}
