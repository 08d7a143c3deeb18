/**
 * Where the HTTP half of a delivery costs CPU, layer by layer, with no database: the numbers
 * behind step 47 in docs/benchmarks.md (the sending thread a fifth cheaper).
 *
 *   node --import tsx bench/sender-cost.ts         # six rounds of 2 s per layer, alternating
 *
 * Each layer sends signed POSTs of our exact payload to the benchmark's receiver (its own process)
 * in a closed loop, and prints this process's CPU per request (every thread, so the sending
 * thread's messages are counted): the bare undici client of the ceiling; a dispatch through our
 * egress and AttemptHandler with the same signed request; `sendWebhook`; a LaneSender in this
 * thread; the sending thread. The gap between two neighbouring layers is what the upper one adds.
 * Run from source (tsx) every layer reads a few µs higher than bundled as the server runs; the
 * differences between layers are what to read.
 */
import { Pool } from 'undici';
import { generateWebhookSecret } from '../src/core/webhook-secret.js';
import { AttemptSignal } from '../src/delivery/attempt-deadlines.js';
import { AttemptHandler } from '../src/delivery/attempt-handler.js';
import { createEgress } from '../src/delivery/egress.js';
import { sendWebhook } from '../src/delivery/sender.js';
import { createInProcessSender, createThreadSender, type WebhookSender } from '../src/delivery/webhook-sender.js';
import { startReceiver } from './receiver-handle.js';
import { median } from './stats.js';
import { newEventBody, signedRequest } from './webhook-request.js';

const ROUND_MS = 2_000;
const ROUNDS = 6;
/** As many connections as our engine opens to one endpoint. */
const CONNECTIONS = 16;
/** Attempts handed to a sender at once: its lane runs 16 and queues the rest, as the worker's does. */
const IN_FLIGHT = 48;
const SETTINGS = { allowDestinations: ['127.0.0.0/8'], egressProxy: null, attemptTimeoutMs: 15_000 };
const UNSIGNED = { 'content-type': 'application/json', 'user-agent': 'RealID-Webhooks/bench' };

const receiver = await startReceiver();
const secret = generateWebhookSecret();
await receiver.verifyWith(secret);
const url = `${receiver.url}/ceiling`;
const bodies = Array.from({ length: 2_000 }, () => newEventBody());
let next = 0;
const nextBody = () => bodies[next++ % bodies.length]!;

/** µs of this process's CPU per successful request while `run` keeps requests going for ROUND_MS. */
async function measure(run: (until: number, ok: () => void) => Promise<void>): Promise<number> {
  let succeeded = 0;
  const before = process.cpuUsage();
  await run(performance.now() + ROUND_MS, () => succeeded++);
  const cpu = process.cpuUsage(before);
  return succeeded > 0 ? (cpu.user + cpu.system) / succeeded : Number.NaN;
}

/** `CONNECTIONS` loops, each starting its next request when the last one ends. */
async function loops(until: number, one: () => Promise<boolean>, ok: () => void): Promise<void> {
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < until) if (await one()) ok();
  }));
}

const bare = () => measure(async (until, ok) => {
  const pool = new Pool(receiver.url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
  await loops(until, async () => {
    const { eventId, body } = nextBody();
    const response = await pool.request({ path: '/ceiling', method: 'POST', headers: signedRequest(eventId, body, secret).headers, body });
    await response.body.dump();
    return response.statusCode === 200;
  }, ok);
  await pool.close();
});

const dispatch = () => measure(async (until, ok) => {
  const egress = createEgress(SETTINGS);
  const target = egress.checkedUrl(url);
  await loops(until, () => new Promise<boolean>((resolve) => {
    const { eventId, body } = nextBody();
    const handler = new AttemptHandler(new AttemptSignal(), (done, error) => resolve(!error && done.statusCode === 200));
    egress.dispatcherFor(target.origin).dispatch({
      origin: target.origin, path: target.path, method: 'POST', headers: signedRequest(eventId, body, secret).headers, body, headersTimeout: 15_000, bodyTimeout: 15_000,
    }, handler);
  }), ok);
  await egress.close();
});

const direct = () => measure(async (until, ok) => {
  const egress = createEgress(SETTINGS);
  await loops(until, async () => {
    const { eventId, body } = nextBody();
    return (await sendWebhook(egress, { url, headers: UNSIGNED, body, timeoutMs: 15_000, sign: { eventId, secrets: [secret] } })).succeeded;
  }, ok);
  await egress.close();
});

/** `IN_FLIGHT` attempts kept handed to the sender, one more each time one ends. */
const through = (sender: WebhookSender) => measure((until, ok) => new Promise<void>((resolve) => {
  let inFlight = 0;
  const secrets = [secret];
  const one = () => {
    const { eventId, body } = nextBody();
    inFlight++;
    sender.send({ url, headers: UNSIGNED, body, timeoutMs: 15_000, lane: 'bench', laneLimit: CONNECTIONS, sign: { eventId, secrets } }, (outcome) => {
      inFlight--;
      if (outcome.succeeded) ok();
      if (performance.now() < until) one();
      else if (inFlight === 0) resolve();
    });
  };
  for (let i = 0; i < IN_FLIGHT; i++) one();
}));

const inProcess = createInProcessSender(SETTINGS);
const thread = createThreadSender(SETTINGS, (error) => console.error(`the sending thread did not start: ${error.message}`));
const layers: Array<[string, () => Promise<number>]> = [
  ['bare undici Pool.request (the ceiling\'s client)', bare],
  ['dispatch through our egress + AttemptHandler', dispatch],
  ['sendWebhook', direct],
  ['LaneSender in this thread', () => through(inProcess)],
  [`the sending thread (${thread.where}), both threads`, () => through(thread)],
];
const readings = layers.map(() => [] as number[]);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, run]] of layers.entries()) readings[i]!.push(await run());
    process.stdout.write(`round ${round + 1} of ${ROUNDS}\r`);
  }
  process.stdout.write(' '.repeat(20) + '\r');
  console.log(`CPU of this process per signed POST, µs (median of ${ROUNDS} rounds of ${ROUND_MS / 1000} s, and every round):`);
  for (const [i, [name]] of layers.entries()) {
    const values = readings[i]!;
    console.log(`  ${name.padEnd(52)} ${String(Math.round(median(values))).padStart(4)}   (${values.map(Math.round).join(', ')})`);
  }
} finally {
  await inProcess.close();
  await thread.close();
  await receiver.stop();
}
