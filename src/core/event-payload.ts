import { type EventType, isCheckEventType, stepOfEvent } from './event-types.js';

/**
 * The exact bytes of a webhook body (product.md, "Events and their payloads"): compact JSON, keys
 * in a fixed order, ASCII only, no floats. Built by hand rather than from an object so the order
 * can never drift, and so both of the seed's recipes — Node's `JSON.stringify(payload)` and
 * Python's `json.dumps(body, separators=(',', ':'))` — reproduce it byte for byte.
 *
 * @example
 *   eventPayload('check.completed', new Date('2022-12-09T15:20:35.136Z'), { id: 'abcdef', testing: true })
 *   // '{"event":"check.completed","created_at":"2022-12-09T15:20:35.136Z","check":{"id":"abcdef","step":"completed","testing":true}}'
 */
export interface PayloadCheck {
  id: string;
  testing: boolean;
}

export function eventPayload(type: EventType, createdAt: Date, check: PayloadCheck): string {
  if (!/^[\x20-\x7e]+$/.test(check.id) || /["\\]/.test(check.id)) throw new Error(`check id ${JSON.stringify(check.id)} is not plain ASCII`);
  const head = `{"event":"${type}","created_at":"${createdAt.toISOString()}","check":{"id":"${check.id}"`;
  const step = isCheckEventType(type) ? `,"step":"${stepOfEvent(type)}"` : '';
  return `${head}${step},"testing":${check.testing ? 'true' : 'false'}}}`;
}
