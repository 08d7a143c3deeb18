import { parentPort, workerData } from 'node:worker_threads';
import { AttemptDeadlines } from './attempt-deadlines.js';
import { createEgress } from './egress.js';
import type { FromSendThread, SendRequest, SendThreadSettings, ToSendThread } from './send-protocol.js';
import { sendWebhook, type AttemptOutcome } from './sender.js';

/**
 * The sending thread (see webhook-sender.ts): the HTTP half of every attempt — the guarded
 * connection, the POST, the response read — on a core of its own, while the worker's thread
 * keeps the database and the bookkeeping. Each attempt is exactly what sendWebhook does in
 * process; only where it runs differs.
 */
const port = parentPort!;
const settings = workerData as SendThreadSettings;
const egress = createEgress(settings);
const deadlines = new AttemptDeadlines(settings.attemptTimeoutMs);
let finished: Array<{ id: number; outcome: AttemptOutcome }> = [];
let flushing = false;

const post = (message: FromSendThread) => port.postMessage(message);

function flush(): void {
  flushing = false;
  const outcomes = finished;
  finished = [];
  post({ type: 'outcomes', outcomes });
}

interface Lane { inflight: number; waiting: SendRequest[] }
const lanes = new Map<string, Lane>();

function deliver(id: number, outcome: AttemptOutcome): void {
  finished.push({ id, outcome });
  // Everything that finishes in this turn of the event loop goes back in one message.
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
}

/** Starts the request now if its endpoint's lane has room, else queues it behind that lane's. */
function enqueue(request: SendRequest): void {
  let lane = lanes.get(request.lane);
  if (!lane) lanes.set(request.lane, (lane = { inflight: 0, waiting: [] }));
  if (lane.inflight < request.laneLimit) start(request, lane);
  else lane.waiting.push(request);
}

function start(request: SendRequest, lane: Lane): void {
  lane.inflight++;
  const deadline = deadlines.start();
  void sendWebhook(egress, { url: request.url, headers: request.headers, body: request.body, timeoutMs: request.timeoutMs, signal: deadline.signal })
    .then((outcome) => {
      deadline.finish();
      lane.inflight--;
      const next = lane.waiting.shift();
      if (next) start(next, lane);
      else if (lane.inflight === 0) lanes.delete(request.lane);
      deliver(request.id, outcome);
    });
}

/** Requests handed over but not started when the worker stops: sent back unsent (it hands them back to the queue). */
function dropWaiting(): void {
  const now = Date.now();
  for (const lane of lanes.values()) {
    for (const request of lane.waiting.splice(0)) {
      deliver(request.id, {
        succeeded: false, statusCode: null, responseHeaders: null, responseBody: null, errorKind: 'other',
        errorMessage: 'not sent: the worker stopped first', startedAt: now, durationMs: 0, retryAfter: null,
      });
    }
  }
}

port.on('message', (message: ToSendThread) => {
  if (message.type === 'send') for (const request of message.requests) enqueue(request);
  else if (message.type === 'abortAll') {
    dropWaiting();
    deadlines.abortAll();
  } else if (message.type === 'close') {
    dropWaiting();
    deadlines.abortAll();
    void egress.close().finally(() => {
      post({ type: 'closed' });
      port.close();
    });
  }
});
