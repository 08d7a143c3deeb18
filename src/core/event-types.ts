/**
 * The eight events Real ID emits. `check.created` is the seed's name for `check.delivered`;
 * endpoints may subscribe with either, and it is normalised on the way in.
 */
export const CHECK_EVENT_TYPES = ['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed', 'check.failed'] as const;
export const PRIVACY_EVENT_TYPES = ['customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request'] as const;
export const EVENT_TYPES = [...CHECK_EVENT_TYPES, ...PRIVACY_EVENT_TYPES] as const;
export const EVENT_TYPE_ALIASES: Readonly<Record<string, EventType>> = { 'check.created': 'check.delivered' };

export type CheckEventType = (typeof CHECK_EVENT_TYPES)[number];
export type PrivacyEventType = (typeof PRIVACY_EVENT_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];
export type CheckStep = 'delivered' | 'opened' | 'submitted-photo' | 'completed' | 'failed';

export function isCheckEventType(type: string): type is CheckEventType {
  return (CHECK_EVENT_TYPES as readonly string[]).includes(type);
}

/** The canonical name of an event type, or null when it is not one of ours. */
export function normaliseEventType(type: string): EventType | null {
  if ((EVENT_TYPES as readonly string[]).includes(type)) return type as EventType;
  return EVENT_TYPE_ALIASES[type] ?? null;
}

/** The step a check event announces. */
export function stepOfEvent(type: CheckEventType): CheckStep {
  return type.slice('check.'.length) as CheckStep;
}
