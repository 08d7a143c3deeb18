import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredChecks } from '../../src/services/retention.js';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, uploadRaw } from './checks-fixtures.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`check retention on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService(dialect, { REALID_CHECK_RETENTION_DAYS: '30', REALID_RETENTION_SWEEP_INTERVAL: '200ms' });
    });
    afterAll(async () => { await service?.close(); });

    const backdate = (ids: string[], days: number) =>
      service.ctx.db.kysely.updateTable('checks').set({ created_at: Date.now() - days * DAY }).where('id', 'in', ids).execute();

    it('redacts checks older than the setting on its own schedule, and leaves newer ones', async () => {
      const { keys } = await service.account();
      const old = await createCheck(service, keys.test.key, { order: { id: 'old-order' } });
      const young = await createCheck(service, keys.test.key);
      await uploadRaw(service, old.link, 'id_front', PNG);
      await backdate([old.id], 31);
      await backdate([young.id], 29);

      // The sweep commits the redaction, then removes the files (never before the commit): wait for both.
      const photoDir = path.join(service.ctx.config.dataDir, 'photos', old.id);
      let got = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${old.id}`)).body;
      for (let i = 0; i < 200 && (got.redacted_at === null || existsSync(photoDir)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        got = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${old.id}`)).body;
      }
      expect(got).toMatchObject({ step: 'completed', customer: null, order: null, link: null });
      expect(got.redacted_at).not.toBeNull();
      expect(existsSync(path.join(service.ctx.config.dataDir, 'photos', old.id))).toBe(false);
      expect((await customer(service, old.link, 'GET')).status).toBe(404);

      const kept = (await service.api(keys.test.key, 'GET', `/api/v1/checks/${young.id}`)).body;
      expect(kept.redacted_at).toBeNull();
      expect(kept.customer.last_name).toBe('Lovelace');
    });

    it('works through a backlog larger than one batch', async () => {
      const { keys } = await service.account();
      const ids: string[] = [];
      for (let i = 0; i < 110; i++) ids.push((await createCheck(service, keys.test.key)).id);
      // Younger than the scheduled sweep's 30 days, older than this sweep's 10: only this call can redact them.
      await backdate(ids, 20);
      const tighter = { ...service.ctx, config: { ...service.ctx.config, retention: { ...service.ctx.config.retention, checkDays: 10 } } };
      expect(await sweepExpiredChecks(tighter)).toBeGreaterThanOrEqual(110);
      const left = await service.ctx.db.kysely.selectFrom('checks').select('id').where('id', 'in', ids).where('redacted_at', 'is', null).execute();
      expect(left).toEqual([]);
    });
  });
}
