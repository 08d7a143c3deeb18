import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, uploadRaw } from './checks-fixtures.js';

type Call =
  | { kind: 'open' }
  | { kind: 'photo'; photo: 'id_front' | 'id_back' | 'selfie' }
  | { kind: 'simulate'; action: 'open' | 'submit_photo' | 'complete' | 'fail' }
  | { kind: 'decide'; decision: 'approve' | 'reject' }
  | { kind: 'privacy' };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.constant<Call>({ kind: 'open' }),
  fc.record({ kind: fc.constant('photo' as const), photo: fc.constantFrom('id_front' as const, 'id_back' as const, 'selfie' as const) }),
  fc.record({ kind: fc.constant('simulate' as const), action: fc.constantFrom('open' as const, 'submit_photo' as const, 'complete' as const, 'fail' as const) }),
  fc.record({ kind: fc.constant('decide' as const), decision: fc.constantFrom('approve' as const, 'reject' as const) }),
  fc.constant<Call>({ kind: 'privacy' }),
);

const TERMINAL = ['check.completed', 'check.failed'];

for (const dialect of DIALECTS) {
  describe(`the check lifecycle through the API on ${dialect}`, () => {
    let service: TestService;
    let key: string;
    beforeAll(async () => {
      service = await startTestService(dialect);
      key = (await service.account()).keys.test.key;
    });
    afterAll(async () => { await service?.close(); });

    async function perform(check: { id: string; link: string }, call: Call): Promise<number> {
      switch (call.kind) {
        case 'open': return (await customer(service, check.link, 'POST', '/open')).status;
        case 'photo': return (await uploadRaw(service, check.link, call.photo, PNG)).status;
        case 'simulate': return (await service.api(key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: call.action })).status;
        case 'decide': return (await service.api(key, 'POST', `/api/v1/checks/${check.id}/manually-${call.decision}`)).status;
        case 'privacy': return (await customer(service, check.link, 'POST', '/privacy-requests', { headers: { 'content-type': 'application/json' }, body: '{"type":"data_request"}' })).status;
      }
    }

    it('never reaches an illegal state nor emits an event out of order, whatever the calls', async () => {
      await fc.assert(fc.asyncProperty(
        fc.record({ idv: fc.boolean(), back: fc.boolean(), lastName: fc.constantFrom('Lovelace', 'Unreadable', 'Mismatch') }),
        fc.array(callArb, { minLength: 1, maxLength: 7 }),
        async (setup, calls) => {
          const check = await createCheck(service, key, {
            customer: { first_name: 'P', last_name: setup.lastName, email: 'p@example.test' },
            rules: { id_check_type: setup.idv ? 'idv' : 'id', include_back_of_id: setup.back },
          });
          const required = 1 + (setup.back ? 1 : 0) + (setup.idv ? 1 : 0);
          for (const call of calls) {
            const status = await perform(check, call);
            // Every refusal is a 4xx a client can act on; nothing is ever a 500.
            expect([200, 202, 400, 403, 409, 422]).toContain(status);
          }
          const got = (await service.api(key, 'GET', `/api/v1/checks/${check.id}`)).body;
          const events: string[] = (await service.api(key, 'GET', `/api/v1/events?check_id=${check.id}&limit=200`)).body.data.map((e: { type: string }) => e.type);
          const checkEvents = events.filter((e) => e.startsWith('check.'));

          expect(checkEvents[0]).toBe('check.delivered');
          expect(checkEvents.filter((e) => e === 'check.delivered')).toHaveLength(1);
          expect(checkEvents.filter((e) => e === 'check.opened').length).toBeLessThanOrEqual(1);
          const photos = checkEvents.filter((e) => e === 'check.submitted-photo').length;
          expect(photos).toBe(got.photos_received.length);
          expect(photos).toBeLessThanOrEqual(required);
          if (photos > 0) expect(checkEvents.indexOf('check.opened')).toBeLessThan(checkEvents.indexOf('check.submitted-photo'));
          const firstTerminal = checkEvents.findIndex((e) => TERMINAL.includes(e));
          if (firstTerminal >= 0) {
            expect(checkEvents.slice(0, firstTerminal).filter((e) => e === 'check.submitted-photo')).toHaveLength(required);
            expect(checkEvents.slice(firstTerminal).every((e) => TERMINAL.includes(e))).toBe(true);
          }
          // The step is the last check event's; a finished check's verdict is its step.
          expect(got.step).toBe(checkEvents[checkEvents.length - 1].slice('check.'.length));
          if (got.step === 'completed') expect(got.result.verdict).toBe('passed');
          if (got.step === 'failed') expect(got.result.verdict).toBe('failed');
          if (photos === required && !got.manually_overridden) expect(['completed', 'failed']).toContain(got.step);
        },
      ), { numRuns: 20 });
    }, 60_000);

    it('accepts a photo once when the customer sends it twice at the same moment', async () => {
      const check = await createCheck(service, key, { rules: { id_check_type: 'idv' } });
      const answers = await Promise.all([1, 2, 3].map(() => uploadRaw(service, check.link, 'id_front', PNG)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      const events = (await service.api(key, 'GET', `/api/v1/events?check_id=${check.id}`)).body.data.map((e: { type: string }) => e.type);
      expect(events).toEqual(['check.delivered', 'check.opened', 'check.submitted-photo']);
      const rows = await service.ctx.db.kysely.selectFrom('photos').select('id').where('check_id', '=', check.id).execute();
      expect(rows).toHaveLength(1);
    });
  });
}
