import { parentPort, workerData } from 'node:worker_threads';
import { LaneSender } from './lane-sender.js';
import { decodeRequests, encodeOutcome, type FromSendThread, type OutcomeBatch, type SendThreadSettings, type ToSendThread } from './send-protocol.js';
import type { AttemptOutcome } from './sender.js';

/**
 * The sending thread (see webhook-sender.ts): the HTTP half of every attempt — the guarded
 * connection, the POST, the response read — on a core of its own, while the worker's thread
 * keeps the database and the bookkeeping. Each attempt is exactly what LaneSender does in
 * process; only where it runs differs.
 */
const port = parentPort!;
const sender = new LaneSender(workerData as SendThreadSettings);
let finished: OutcomeBatch = [];
let flushTimer: NodeJS.Timeout | null = null;
/**
 * Outcomes go back at most this long after they finish, together: a message costs both threads
 * far more than an outcome in it. Sent every turn of this event loop, they went back 8–10 to a
 * message (about 1,300 messages a second each way at 8,700 deliveries a second); two milliseconds
 * cost the worker nothing, since its lanes keep about 20 ms of work queued here (SENDER_START_AHEAD)
 * and it records finished attempts every 10 ms anyway.
 */
const OUTCOME_BATCH_MS = 2;

const post = (message: FromSendThread) => port.postMessage(message);

function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  const batch = finished;
  finished = [];
  post({ type: 'outcomes', batch });
}

function deliver(id: number, outcome: AttemptOutcome): void {
  encodeOutcome(finished, id, outcome);
  flushTimer ??= setTimeout(flush, OUTCOME_BATCH_MS);
}

port.on('message', (message: ToSendThread) => {
  if (message.type === 'send') {
    decodeRequests(message.batch, (id, request) => sender.send(request, (outcome) => deliver(id, outcome)));
  } else if (message.type === 'abortAll') {
    sender.abortAll();
  } else if (message.type === 'close') {
    void sender.close().finally(() => {
      if (flushTimer) flush();
      port.close();
    });
  }
});
