import { describe, expect, it } from 'vitest';
import { planUrlChanges, urlsByEvent, type EndpointShape } from './webhook-url-plan.js';

const EIGHT = [
  'check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed', 'check.failed',
  'customer.data_request', 'customer.manual_review_requested', 'customer.data_deletion_request',
];
const A = 'https://a.example/hook';
const B = 'https://b.example/hook';
const endpoint = (id: string, url: string, events: string[], disabled = false): EndpointShape => ({ id, url, events, disabled });

describe('one URL per event, grouped into endpoints', () => {
  it('creates one endpoint per distinct URL with all of its events', () => {
    const plan = planUrlChanges([], { 'check.completed': A, 'check.failed': A, 'customer.data_request': ` ${B} ` }, EIGHT);
    expect(plan).toEqual({ create: [{ url: A, events: ['check.completed', 'check.failed'] }, { url: B, events: ['customer.data_request'] }], update: [], remove: [] });
  });

  it('changes nothing when the form is saved as it was loaded', () => {
    const endpoints = [endpoint('ep_1', A, ['check.completed', 'check.failed']), endpoint('ep_2', B, ['check.created'])];
    const shown = urlsByEvent(endpoints, EIGHT);
    expect(shown['check.delivered']).toBe(B);
    expect(planUrlChanges(endpoints, shown, EIGHT)).toEqual({ create: [], update: [], remove: [] });
  });

  it('moves an event between endpoints, and removes an endpoint left with no events', () => {
    const endpoints = [endpoint('ep_1', A, ['check.completed']), endpoint('ep_2', B, ['check.failed'])];
    const plan = planUrlChanges(endpoints, { 'check.completed': A, 'check.failed': A }, EIGHT);
    expect(plan).toEqual({ create: [], update: [{ id: 'ep_1', events: ['check.completed', 'check.failed'] }], remove: ['ep_2'] });
  });

  it('keeps events the form does not manage, and leaves unrelated endpoints alone', () => {
    const endpoints = [endpoint('ep_1', A, ['check.completed', 'custom.thing']), endpoint('ep_2', B, ['custom.other'])];
    const plan = planUrlChanges(endpoints, {}, EIGHT);
    expect(plan).toEqual({ create: [], update: [{ id: 'ep_1', events: ['custom.thing'] }], remove: [] });
  });

  it('reads an endpoint without events as taking all eight, and narrows it when some are cleared', () => {
    const endpoints = [endpoint('ep_1', A, [])];
    const shown = urlsByEvent(endpoints, EIGHT);
    expect(Object.values(shown)).toEqual(EIGHT.map(() => A));
    expect(planUrlChanges(endpoints, shown, EIGHT)).toEqual({ create: [], update: [], remove: [] });
    expect(planUrlChanges(endpoints, { ...shown, 'check.opened': '' }, EIGHT).update).toEqual([{ id: 'ep_1', events: EIGHT.filter((t) => t !== 'check.opened') }]);
  });

  it('shows an enabled endpoint before a disabled one for the same event', () => {
    const shown = urlsByEvent([endpoint('ep_1', A, ['check.opened'], true), endpoint('ep_2', B, ['check.opened'])], EIGHT);
    expect(shown['check.opened']).toBe(B);
    expect(shown['check.failed']).toBe('');
  });
});
