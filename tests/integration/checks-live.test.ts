import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { JPEG, PNG, createCheck, localUrl, uploadRaw } from './checks-fixtures.js';

interface VendorRequest { check_id: string; new_photo: string; rules: Record<string, unknown>; photos: Array<{ kind: string; mime: string; data_base64: string }> }

/**
 * A fake verification vendor on loopback, speaking the documented analyzer protocol. Each test sets
 * how it treats a check: "mismatch" fails the face match; "flaky" answers 503 twice, then decides;
 * "down" always answers 503; unset, it passes everything at once.
 */
async function startVendor(behaviour: Map<string, 'mismatch' | 'flaky' | 'down'>) {
  const requests: VendorRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const input = JSON.parse(body) as VendorRequest;
      requests.push(input);
      const mode = behaviour.get(input.check_id);
      const seen = requests.filter((r) => r.check_id === input.check_id && r.new_photo === input.new_photo).length;
      if (mode === 'down' || (mode === 'flaky' && seen <= 2)) return response.writeHead(503).end('busy');
      const subChecks = input.new_photo === 'selfie'
        ? [mode === 'mismatch' ? { type: 'face_match', status: 'failed', score: 31.4, error: 'FaceMatchError' } : { type: 'face_match', status: 'passed', score: 93 }]
        : [{ type: 'document_readable', status: 'passed', score: 99 }, { type: 'required_fields', status: 'passed' }, { type: 'not_expired', status: 'passed' }];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub_checks: subChecks }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/analyze`, requests, server };
}

for (const dialect of DIALECTS) {
  describe(`live checks with a vendor analyzer and photos in the database on ${dialect}`, () => {
    const behaviour = new Map<string, 'mismatch' | 'flaky' | 'down'>();
    let vendor: Awaited<ReturnType<typeof startVendor>>;
    let service: TestService;
    beforeAll(async () => {
      vendor = await startVendor(behaviour);
      service = await startTestService(dialect, {
        REALID_ANALYZER_URL: vendor.url, REALID_ANALYZER_TIMEOUT: '2s', REALID_ANALYZER_RETRIES: '2', REALID_PHOTO_STORAGE: 'database',
      });
    });
    afterAll(async () => {
      await service?.close();
      vendor?.server.close();
    });

    it('asks the vendor about each photo, with the photos but no personal data, and follows its verdict', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.live.key, { rules: { id_check_type: 'idv', min_age: 18 } });
      behaviour.set(check.id, 'mismatch');
      expect((await uploadRaw(service, check.link, 'id_front', JPEG, 'image/jpeg')).body.step).toBe('submitted-photo');
      const done = await uploadRaw(service, check.link, 'selfie', PNG);
      expect(done.body).toMatchObject({ step: 'failed', outcome: 'failed' });

      const asked = vendor.requests.filter((r) => r.check_id === check.id);
      expect(asked.map((r) => r.new_photo)).toEqual(['id_front', 'selfie']);
      expect(asked[1].photos.map((p) => [p.kind, p.mime])).toEqual([['id_front', 'image/jpeg'], ['selfie', 'image/png']]);
      expect(Buffer.from(asked[1].photos[0].data_base64, 'base64').equals(JPEG)).toBe(true);
      expect(asked[1].rules).toEqual({ id_check_type: 'idv', include_back_of_id: false, min_age: 18 });
      expect(JSON.stringify(asked)).not.toMatch(/Lovelace|ada@example/);

      const got = (await service.api(keys.live.key, 'GET', `/api/v1/checks/${check.id}`)).body;
      expect(got.result.error).toBe('FaceMatchError');
      expect(got.result.sub_checks.find((c: { type: string }) => c.type === 'face_match')).toEqual({ type: 'face_match', status: 'failed', score: 31, error: 'FaceMatchError' });
    });

    it('retries a busy vendor, and falls back to manual review when it stays down', async () => {
      const { keys } = await service.account();
      const flaky = await createCheck(service, keys.live.key);
      behaviour.set(flaky.id, 'flaky');
      expect((await uploadRaw(service, flaky.link, 'id_front', PNG)).body.outcome).toBe('passed');
      expect(vendor.requests.filter((r) => r.check_id === flaky.id)).toHaveLength(3);

      const down = await createCheck(service, keys.live.key);
      behaviour.set(down.id, 'down');
      const waiting = await uploadRaw(service, down.link, 'id_front', PNG);
      expect(waiting.status).toBe(200);
      expect(waiting.body).toMatchObject({ step: 'submitted-photo', awaiting_review: true });
      expect(vendor.requests.filter((r) => r.check_id === down.id)).toHaveLength(3);
      expect((await service.api(keys.live.key, 'POST', `/api/v1/checks/${down.id}/manually-reject`)).body.step).toBe('failed');
    });

    it('keeps photos sealed in the database when configured to, and serves them the same way', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.live.key);
      await uploadRaw(service, check.link, 'id_front', PNG);
      const row = await service.ctx.db.kysely.selectFrom('photos').selectAll().where('check_id', '=', check.id).executeTakeFirstOrThrow();
      expect(row.storage).toBe('database');
      expect(Buffer.from(row.data_enc!).includes(PNG.subarray(0, 8))).toBe(false);
      const dir = path.join(service.ctx.config.dataDir, 'photos');
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
      const photo = (await service.api(keys.live.key, 'GET', `/api/v1/checks/${check.id}?withPhotos=true`)).body.photos[0];
      expect(Buffer.from(await (await fetch(localUrl(service, photo.url))).arrayBuffer()).equals(PNG)).toBe(true);
      await service.api(keys.live.key, 'DELETE', `/api/v1/checks/${check.id}`);
      expect(await service.ctx.db.kysely.selectFrom('photos').select('id').where('check_id', '=', check.id).execute()).toEqual([]);
    });
  });
}
