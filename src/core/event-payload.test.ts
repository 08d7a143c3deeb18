import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventPayload } from './event-payload.js';
import { EVENT_TYPES } from './event-types.js';
import { newId } from './ids.js';

const createdAt = new Date('2022-12-09T15:20:35.136Z');

describe('eventPayload', () => {
  it('produces the exact bytes of the seed\'s examples', () => {
    expect(eventPayload('check.delivered', createdAt, { id: 'abcdef', testing: true }))
      .toBe('{"event":"check.delivered","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"delivered","testing":true}}');
    expect(eventPayload('customer.data_request', createdAt, { id: 'abcdef', testing: true }))
      .toBe('{"event":"customer.data_request","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","testing":true}}');
    expect(eventPayload('check.submitted-photo', createdAt, { id: 'abcdef', testing: false }))
      .toBe('{"event":"check.submitted-photo","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"submitted-photo","testing":false}}');
  });

  it('is reproduced byte for byte by the seed\'s Node recipe (JSON.stringify of the parsed body)', () => {
    fc.assert(fc.property(fc.constantFrom(...EVENT_TYPES), fc.boolean(), fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }), (type, testing, date) => {
      const payload = eventPayload(type, date, { id: newId('chk'), testing });
      expect(JSON.stringify(JSON.parse(payload))).toBe(payload);
      expect(/^[\x20-\x7e]+$/.test(payload)).toBe(true);
    }));
  });

  it('is reproduced byte for byte by the seed\'s Python recipe (json.dumps with compact separators)', () => {
    const payloads = EVENT_TYPES.map((type, i) => eventPayload(type, new Date(createdAt.getTime() + i), { id: newId('chk'), testing: i % 2 === 0 }));
    const script = 'import json,sys\nfor line in sys.stdin.read().splitlines():\n    print(json.dumps(json.loads(line), separators=(",", ":")))';
    const out = execFileSync('python3', ['-c', script], { input: payloads.join('\n') }).toString().trim().split('\n');
    expect(out).toEqual(payloads);
  });

  it('refuses an id that would break the JSON', () => {
    expect(() => eventPayload('check.opened', createdAt, { id: 'a"b', testing: true })).toThrow();
  });
});
