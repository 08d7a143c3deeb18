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
let flushing = false;

const post = (message: FromSendThread) => port.postMessage(message);

function flush(): void {
  flushing = false;
  const batch = finished;
  finished = [];
  post({ type: 'outcomes', batch });
}

function deliver(id: number, outcome: AttemptOutcome): void {
  encodeOutcome(finished, id, outcome);
  // Everything that finishes in this turn of the event loop goes back in one message.
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
}

port.on('message', (message: ToSendThread) => {
  if (message.type === 'send') {
    decodeRequests(message.batch, (id, request) => sender.send(request, (outcome) => deliver(id, outcome)));
  } else if (message.type === 'abortAll') {
    sender.abortAll();
  } else if (message.type === 'close') {
    void sender.close().finally(() => {
      if (flushing) flush();
      port.close();
    });
  }
});
