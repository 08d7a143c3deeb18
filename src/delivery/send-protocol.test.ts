import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { LaneRequest } from './lane-sender.js';
import { decodeOutcomes, decodeRequests, encodeOutcome, encodeRequests, type OutcomeBatch, type RequestBatch } from './send-protocol.js';
import type { AttemptOutcome } from './sender.js';

/** What postMessage does to a message on its way to the other thread. */
const acrossThreads = <T>(value: T): T => deserialize(serialize(value)) as T;

describe('the sending thread protocol', () => {
  const headers = { 'content-type': 'application/json', 'user-agent': 'RealID-Webhooks/test' };
  const secretsA = ['whsec_a1', 'whsec_a2'];
  const secretsB = ['whsec_b'];
  const requests: LaneRequest[] = [
    { url: 'http://127.0.0.1:1/a', headers, body: '{"n":1}', timeoutMs: 30_000, lane: 'ep_1', laneLimit: 16, sign: { eventId: 'evt_1', secrets: secretsA } },
    { url: 'http://127.0.0.1:1/b', headers, body: '{"n":2}', timeoutMs: 30_000, lane: 'ep_2', laneLimit: 4, sign: { eventId: 'evt_2', secrets: secretsB }, startBy: 1_800_000_000_000 },
    { url: 'http://127.0.0.1:1/a', headers, body: '{"n":3}', timeoutMs: 30_000, lane: 'ep_1', laneLimit: 16, sign: { eventId: 'evt_3', secrets: secretsA } },
    { url: 'http://127.0.0.1:1/c', headers: { 'x-other': '1' }, body: '', timeoutMs: 5_000, lane: 'ep_3', laneLimit: 1 },
  ];

  it('brings every request across whole, with its id, sending shared headers and secrets once', () => {
    const batch = acrossThreads(encodeRequests(7, requests));
    expect(batch.shared).toHaveLength(4); // the common headers, two accounts' secrets, the odd headers
    const got: Array<{ id: number; request: LaneRequest }> = [];
    decodeRequests(batch as RequestBatch, (id, request) => got.push({ id, request }));
    expect(got.map((g) => g.id)).toEqual([7, 8, 9, 10]);
    expect(got.map((g) => g.request)).toEqual(requests);
  });

  it('brings every outcome back whole, successes and failures alike', () => {
    const outcomes: AttemptOutcome[] = [
      {
        succeeded: true, requestHeadersJson: '{"webhook-id":"evt_1"}', statusCode: 204, responseHeadersJson: '{"date":"x"}', responseBody: '',
        errorKind: null, errorMessage: null, startedAt: 1_800_000_000_123, durationMs: 3, retryAfter: null, notStarted: false,
      },
      {
        succeeded: false, requestHeadersJson: null, statusCode: null, responseHeadersJson: null, responseBody: null,
        errorKind: 'timeout', errorMessage: 'no response within 30000 ms', startedAt: 1_800_000_000_456, durationMs: 30_000, retryAfter: null, notStarted: false,
      },
      {
        succeeded: false, requestHeadersJson: '{}', statusCode: 429, responseHeadersJson: '{"retry-after":"120"}', responseBody: 'slow down',
        errorKind: 'http_error', errorMessage: 'the receiver answered HTTP 429', startedAt: 1_800_000_000_789, durationMs: 12, retryAfter: '120', notStarted: false,
      },
      {
        succeeded: false, requestHeadersJson: null, statusCode: null, responseHeadersJson: null, responseBody: null,
        errorKind: 'other', errorMessage: 'not sent: the worker stopped first', startedAt: 1_800_000_000_999, durationMs: 0, retryAfter: null, notStarted: true,
      },
    ];
    const batch: OutcomeBatch = [];
    outcomes.forEach((outcome, i) => encodeOutcome(batch, 100 + i, outcome));
    const got: Array<{ id: number; outcome: AttemptOutcome }> = [];
    decodeOutcomes(acrossThreads(batch), (id, outcome) => got.push({ id, outcome }));
    expect(got).toEqual(outcomes.map((outcome, i) => ({ id: 100 + i, outcome })));
  });
});
