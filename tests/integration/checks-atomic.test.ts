import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG, createCheck, customer, eventTypes, uploadRaw } from './checks-fixtures.js';

/** Makes the database refuse to store events of one type, as a crash or a full disk would mid-transaction. */
async function refuseEvents(service: TestService, type: string): Promise<void> {
  const db = service.ctx.db.kysely;
  if (service.ctx.db.dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER refuse_event BEFORE INSERT ON events WHEN NEW.type = '${type}' BEGIN SELECT RAISE(ABORT, 'refused'); END`).execute(db);
  } else {
    await sql.raw(`CREATE OR REPLACE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.type = '${type}') EXECUTE FUNCTION refuse_event()`).execute(db);
  }
}

async function allowEvents(service: TestService): Promise<void> {
  await sql.raw(service.ctx.db.dialect === 'sqlite' ? 'DROP TRIGGER refuse_event' : 'DROP TRIGGER refuse_event ON events').execute(service.ctx.db.kysely);
}

for (const dialect of DIALECTS) {
  describe(`a check change and its events commit together on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('leaves the check, its photo and its files untouched when the event cannot be written', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key);
      await refuseEvents(service, 'check.submitted-photo');
      try {
        const upload = await uploadRaw(service, check.link, 'id_front', PNG);
        expect(upload.status).toBe(500);
        expect(upload.body).toEqual({ code: 'RID_ERR_INTERNAL', message: expect.any(String) });
      } finally {
        await allowEvents(service);
      }
      // Neither the step nor the implied open moved: the opened event was in the same transaction.
      expect((await customer(service, check.link, 'GET')).body).toMatchObject({ step: 'delivered', photos_received: [] });
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered']);
      expect(await service.ctx.db.kysely.selectFrom('photos').select('id').where('check_id', '=', check.id).execute()).toEqual([]);
      const dir = path.join(service.ctx.config.dataDir, 'photos', check.id);
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);

      // And once the database takes events again, the same photo goes through.
      expect((await uploadRaw(service, check.link, 'id_front', PNG)).body.step).toBe('completed');
      expect(await eventTypes(service, keys.test.key, check.id)).toEqual(['check.delivered', 'check.opened', 'check.submitted-photo', 'check.completed']);
    });
  });
}
