import { WebhookVerificationError } from './errors.js';

/** The five check lifecycle events; `check.created` (the seed's name) arrives as `check.delivered`. */
export const CHECK_EVENT_TYPES = ['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed', 'check.failed'] as const;
/** The three privacy events: a customer asked you (the controller) for something. */
export const PRIVACY_EVENT_TYPES = ['customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request'] as const;
export const EVENT_TYPES = [...CHECK_EVENT_TYPES, ...PRIVACY_EVENT_TYPES] as const;

export type CheckEventType = (typeof CHECK_EVENT_TYPES)[number];
export type PrivacyEventType = (typeof PRIVACY_EVENT_TYPES)[number];
export type RealIdEventType = (typeof EVENT_TYPES)[number];
/** The step a check event announces: its name after `check.`. */
export type CheckStep<T extends CheckEventType = CheckEventType> = T extends `check.${infer Step}` ? Step : never;

/** A check event, e.g. `{"event":"check.completed","created_at":"…","check":{"id":"abcdef","step":"completed","testing":true}}`. */
export interface CheckEvent<T extends CheckEventType = CheckEventType> {
  event: T;
  /** ISO 8601, when the event happened. */
  created_at: string;
  check: { id: string; step: CheckStep<T>; testing: boolean };
}

/** A privacy event, e.g. `{"event":"customer.data_request","created_at":"…","check":{"id":"abcdef","testing":true}}`. */
export interface PrivacyEvent<T extends PrivacyEventType = PrivacyEventType> {
  event: T;
  created_at: string;
  check: { id: string; testing: boolean };
}

/**
 * Any verified Real ID event; switch on `event` and TypeScript narrows the rest.
 *
 * @example
 *   switch (event.event) {
 *     case 'check.completed': releaseOrder(event.check.id); break;
 *     case 'customer.data_deletion_request': scheduleErasure(event.check.id); break;
 *   }
 */
export type RealIdEvent =
  | { [T in CheckEventType]: CheckEvent<T> }[CheckEventType]
  | { [T in PrivacyEventType]: PrivacyEvent<T> }[PrivacyEventType];

const ALIASES: Readonly<Record<string, RealIdEventType>> = { 'check.created': 'check.delivered' };

function malformed(message: string): never {
  throw new WebhookVerificationError('malformed_payload', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The typed event in a body whose signature is already verified. Unknown extra fields are kept, so
 * a receiver written today still accepts tomorrow's richer payloads.
 */
export function parseEvent(text: string): RealIdEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    malformed('the body is not valid JSON');
  }
  if (!isRecord(parsed)) malformed('the body is not a JSON object');
  if (typeof parsed.event !== 'string') malformed('"event" is missing or not a string');
  const type = (EVENT_TYPES as readonly string[]).includes(parsed.event) ? (parsed.event as RealIdEventType) : ALIASES[parsed.event];
  if (!type) throw new WebhookVerificationError('unknown_event', `"${parsed.event}" is not a Real ID event (expected one of ${EVENT_TYPES.join(', ')})`);
  if (typeof parsed.created_at !== 'string' || Number.isNaN(Date.parse(parsed.created_at))) malformed('"created_at" is missing or not an ISO 8601 time');
  const check = parsed.check;
  if (!isRecord(check)) malformed('"check" is missing or not an object');
  if (typeof check.id !== 'string' || check.id === '') malformed('"check.id" is missing or not a string');
  if (typeof check.testing !== 'boolean') malformed('"check.testing" is missing or not a boolean');
  if (type.startsWith('check.')) {
    const step = type.slice('check.'.length);
    if (check.step !== step) malformed(`"check.step" is ${JSON.stringify(check.step)}, but a ${type} event announces the step "${step}"`);
  }
  return { ...parsed, event: type, check } as unknown as RealIdEvent;
}
