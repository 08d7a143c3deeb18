import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { JPEG, PNG, createCheck, customer, eventTypes, localUrl, uploadForm, uploadRaw } from './checks-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`ID checks on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('creates a check with Real ID\'s shape, a link, and check.delivered', async () => {
      const { keys } = await service.account();
      const made = await service.api(keys.test.key, 'POST', '/api/v1/checks', {
        customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' },
        order: { id: 'order-1001', name: 'Absinthe' },
        rules: { id_check_type: 'idv', include_back_of_id: true, min_age: 21 },
      });
      expect(made.status).toBe(201);
      expect(made.body.message).toBe('Delivered ID check');
      const check = made.body.check;
      expect(check).toMatchObject({
        step: 'delivered', testing: true, manually_overridden: false, redacted_at: null,
        customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test', phone: null },
        order: { id: 'order-1001', name: 'Absinthe' },
        rules: { id_check_type: 'idv', include_back_of_id: true, min_age: 21, testing: true },
        result: { verdict: 'pending', sub_checks: [] },
        photos_required: ['id_front', 'id_back', 'selfie'],
      });
      expect(check.id).toMatch(/^chk_/);
      expect(check.link).toMatch(/\/c\/[A-Za-z0-9_-]{43}$/);
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered']);
      // The link can be shown again, but the database keeps only its hash.
      expect((await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body.link).toBe(check.link);
      const stored = await service.ctx.db.kysely.selectFrom('checks').selectAll().where('id', '=', check.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(check.link.split('/c/')[1]);
      expect(stored.customer_enc).not.toContain('Lovelace');
    });

    it('makes live checks with a live key, unless the rules ask for a test', async () => {
      const { keys } = await service.account();
      expect((await createCheck(service, keys.live.key)).testing).toBe(false);
      expect((await createCheck(service, keys.live.key, { rules: { testing: true } })).testing).toBe(true);
    });

    it('requires an email or a phone, and names a wrong field', async () => {
      const { keys } = await service.account();
      const none = await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'A', last_name: 'B' } });
      expect(none.status).toBe(422);
      expect(none.body.code).toBe('RID_ERR_CONTACT_REQUIRED');
      const typo = await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'A', last_name: 'B', phone: '+15551234567' }, rules: { include_back_of_Id: true } });
      expect(typo.status).toBe(400);
      expect(typo.body.message).toBe('rules.include_back_of_Id is not a known field.');
      const badEmail = await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'A', last_name: 'B', email: 'not-an-email' } });
      expect(badEmail.status).toBe(400);
    });

    it('runs a customer from the link to a passed verdict, with raw and multipart photos', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { rules: { id_check_type: 'idv', include_back_of_id: true } });
      const seen = await customer(service, check.link, 'GET');
      expect(seen.body).toMatchObject({ step: 'delivered', photos_needed: ['id_front', 'id_back', 'selfie'], outcome: null });
      expect(JSON.stringify(seen.body)).not.toContain('Lovelace');

      expect((await customer(service, check.link, 'POST', '/open')).body.step).toBe('opened');
      expect((await customer(service, check.link, 'POST', '/open')).status).toBe(200);
      expect((await uploadRaw(service, check.link, 'id_front', PNG)).body).toMatchObject({ step: 'submitted-photo', photos_needed: ['id_back', 'selfie'] });
      expect((await uploadForm(service, check.link, 'id_back', JPEG, 'back.jpg')).body.photos_needed).toEqual(['selfie']);
      const last = await uploadRaw(service, check.link, 'selfie', JPEG, 'image/jpeg');
      expect(last.body).toMatchObject({ step: 'completed', outcome: 'passed', photos_needed: [] });

      expect(await eventTypes(service, keys.test.key, check.id)).toEqual([
        'check.delivered', 'check.opened', 'check.submitted-photo', 'check.submitted-photo', 'check.submitted-photo', 'check.completed',
      ]);
      const done = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body;
      expect(done.result.verdict).toBe('passed');
      expect(done.result.sub_checks.map((c: { type: string }) => c.type)).toEqual(['document_readable', 'required_fields', 'not_expired', 'face_match']);
      expect(done.opened_at).not.toBeNull();
      expect(done.completed_at).not.toBeNull();
    });

    it('serves photos only through short-lived signed URLs, and keeps them encrypted on disk', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key);
      await uploadRaw(service, check.link, 'id_front', PNG);
      expect((await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body.photos).toBeUndefined();
      const withPhotos = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}?withPhotos=true`)).body;
      expect(withPhotos.photos).toHaveLength(1);
      const photo = withPhotos.photos[0];
      expect(photo).toMatchObject({ kind: 'id_front', mime: 'image/png', size: PNG.length });
      expect(Date.parse(photo.expires_at) - Date.now()).toBeGreaterThan(60_000);

      const served = await fetch(localUrl(service, photo.url));
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

      const tampered = new URL(localUrl(service, photo.url));
      tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60_000));
      expect((await fetch(tampered)).status).toBe(403);
      const expired = new URL(localUrl(service, photo.url));
      expired.searchParams.set('expires', String(Date.now() - 1000));
      expect((await fetch(expired)).status).toBe(403);

      const dir = path.join(service.ctx.config.dataDir, 'photos', check.id);
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const onDisk = readFileSync(path.join(dir, files[0]));
      expect(onDisk.includes(PNG.subarray(0, 8))).toBe(false);
      expect(onDisk.includes(PNG.subarray(16, 40))).toBe(false);
    });

    it('fails an unreadable ID at once, but announces check.failed only with the last photo', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key, { customer: { first_name: 'Ursula', last_name: 'Unreadable', phone: '+15550000001' }, rules: { id_check_type: 'idv' } });
      await uploadRaw(service, check.link, 'id_front', PNG);
      const midway = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body;
      expect(midway.step).toBe('submitted-photo');
      expect(midway.result).toMatchObject({ verdict: 'failed', error: 'UnreadableIdError' });
      expect(await eventTypes(service, keys.test.key, check.id)).not.toContain('check.failed');
      expect((await uploadRaw(service, check.link, 'selfie', PNG)).body).toMatchObject({ step: 'failed', outcome: 'failed' });
      expect((await eventTypes(service, keys.test.key, check.id)).slice(-2)).toEqual(['check.submitted-photo', 'check.failed']);
    });

    it('refuses photos that are not images, too large, not asked for, or sent twice', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key);
      const pdfAsJpeg = await uploadForm(service, check.link, 'id_front', Buffer.from('%PDF-1.7\n%%EOF\n'.repeat(4)), 'passport.jpg');
      expect(pdfAsJpeg.status).toBe(422);
      expect(pdfAsJpeg.body.code).toBe('RID_ERR_PHOTO_INVALID');
      const lying = await uploadRaw(service, check.link, 'id_front', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/jpeg');
      expect(lying.body.code).toBe('RID_ERR_PHOTO_INVALID');
      const huge = Buffer.concat([PNG, Buffer.alloc(service.ctx.config.photos.maxBytes)]);
      const raw = await uploadRaw(service, check.link, 'id_front', huge);
      expect(raw.status).toBe(413);
      expect(raw.body.code).toBe('RID_ERR_PHOTO_TOO_LARGE');
      const form = await uploadForm(service, check.link, 'id_front', huge, 'big.png');
      expect(form.status).toBe(413);
      expect(form.body.code).toBe('RID_ERR_PHOTO_TOO_LARGE');
      const wrongField = await uploadForm(service, check.link, 'id_front', PNG, 'a.png', 'file');
      expect(wrongField.status).toBe(400);
      const asText = await uploadRaw(service, check.link, 'id_front', PNG, 'text/plain');
      expect(asText.status).toBe(415);
      expect(asText.body.message).toContain('image/*');
      const notAsked = await uploadRaw(service, check.link, 'selfie', PNG);
      expect(notAsked.status).toBe(409);
      expect(notAsked.body.code).toBe('RID_ERR_PHOTO_NOT_EXPECTED');
      expect((await uploadRaw(service, check.link, 'bogus', PNG)).status).toBe(400);
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered']);
      expect(existsSync(path.join(service.ctx.config.dataDir, 'photos', check.id)) ? readdirSync(path.join(service.ctx.config.dataDir, 'photos', check.id)) : []).toEqual([]);

      expect((await uploadRaw(service, check.link, 'id_front', PNG)).body.step).toBe('completed');
      const again = await uploadRaw(service, check.link, 'id_front', PNG);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('RID_ERR_CHECK_FINISHED');
    });

    it('documents the merchant and customer APIs in the OpenAPI document', async () => {
      const doc = await (await fetch(`${service.url}/docs/json`)).json();
      const operations = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
      expect(operations).toEqual(expect.arrayContaining([
        'v1.check.create', 'v1.check.list', 'v1.check.get', 'v1.check.manuallyApprove', 'v1.check.manuallyReject', 'v1.check.redact', 'v1.check.simulate',
        'v1.customer.check.get', 'v1.customer.check.open', 'v1.customer.photo.upload', 'v1.customer.privacyRequest.create',
        'v1.event.list', 'v1.event.get', 'v1.event.stream',
      ]));
      // The customer's link is its own credential: those operations ask for no API key.
      expect(doc.paths['/api/v1/customer/checks/{token}/photos/{kind}'].post.security).toEqual([]);
    });

    it('answers 404 for a link that does not exist', async () => {
      const wrong = await fetch(`${service.url}/api/v1/customer/checks/${'A'.repeat(43)}`);
      expect(wrong.status).toBe(404);
      expect((await wrong.json()).code).toBe('RID_ERR_LINK_NOT_FOUND');
      expect((await fetch(`${service.url}/api/v1/customer/checks/short`)).status).toBe(404);
    });
  });
}
