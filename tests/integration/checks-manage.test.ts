import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, eventTypes, uploadRaw } from './checks-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`managing checks on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('simulates a test check step by step, with the events a real customer causes', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv' } });
      const simulate = (body: object) => service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, body);
      expect((await simulate({ action: 'open' })).body.step).toBe('opened');
      expect((await simulate({ action: 'submit_photo' })).body.photos_received).toEqual(['id_front']);
      const done = await simulate({ action: 'complete' });
      expect(done.body).toMatchObject({ step: 'completed', result: { verdict: 'passed' } });
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered', 'check.opened', 'check.submitted-photo', 'check.submitted-photo', 'check.completed']);
      const again = await simulate({ action: 'fail' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('RID_ERR_CHECK_FINISHED');
    });

    it('simulates each failure type on the sub-check it belongs to', async () => {
      const { keys } = await service.account();
      for (const [error, subCheck] of [['ExpiredIdError', 'not_expired'], ['FaceNotFoundError', 'face_match'], ['UnderageIdError', 'min_age']] as const) {
        const check = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv', min_age: 18 } });
        const failed = await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'fail', error });
        expect(failed.body.step).toBe('failed');
        expect(failed.body.result.error).toBe(error);
        expect(failed.body.result.sub_checks.find((c: { type: string }) => c.type === subCheck)).toMatchObject({ status: 'failed', error });
      }
      // An explicit error on submit_photo fails that photo, even one that would not normally show it.
      const early = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv' } });
      const front = await service.api(keys.test.key, 'POST', `/api/v1/checks/${early.id}/simulate`, { action: 'submit_photo', kind: 'id_front', error: 'FaceMatchError' });
      expect(front.body).toMatchObject({ step: 'submitted-photo', result: { verdict: 'failed', error: 'FaceMatchError' } });
      // "fail" after the photo that would reveal the error is already in still fails the check.
      const late = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv' } });
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${late.id}/simulate`, { action: 'submit_photo', kind: 'id_front' });
      expect((await service.api(keys.test.key, 'POST', `/api/v1/checks/${late.id}/simulate`, { action: 'fail', error: 'UnreadableIdError' })).body.step).toBe('failed');
    });

    it('refuses to simulate a live check', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.live.key);
      const refused = await service.api(keys.live.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'complete' });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('RID_ERR_LIVE_CHECK');
      const bad = await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'fail', error: 'NotAnError' });
      expect(bad.status).toBe(400);
    });

    it('lets the merchant override a finished check, and says when it cannot', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { customer: { first_name: 'Max', last_name: 'Mismatch', email: 'm@example.test' }, rules: { id_check_type: 'idv' } });
      const early = await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-approve`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('RID_ERR_ILLEGAL_TRANSITION');

      await uploadRaw(service, check.link, 'id_front', PNG);
      const failed = await uploadRaw(service, check.link, 'selfie', PNG);
      expect(failed.body.outcome).toBe('failed');
      expect((await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-reject`)).status).toBe(409);
      const approved = await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-approve`);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ step: 'completed', manually_overridden: true, result: { verdict: 'passed' } });
      expect((await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/manually-reject`)).body.step).toBe('failed');
      expect((await eventTypes(service, keys.test.key, check.id)).slice(-3)).toEqual(['check.failed', 'check.completed', 'check.failed']);
      expect((await customer(service, check.link, 'GET')).body.outcome).toBe('failed');
    });

    it('waits for manual review on a live check when no analyzer is configured', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.live.key);
      const waiting = await uploadRaw(service, check.link, 'id_front', PNG);
      expect(waiting.body).toMatchObject({ step: 'submitted-photo', awaiting_review: true, outcome: null });
      const got = (await service.api(keys.live.key, 'GET', `/api/v1/checks/${check.id}`)).body;
      expect(got.result).toMatchObject({ verdict: 'pending', awaiting_manual_review: true });
      const approved = await service.api(keys.live.key, 'POST', `/api/v1/checks/${check.id}/manually-approve`);
      expect(approved.body).toMatchObject({ step: 'completed', manually_overridden: true });
    });

  });
}
