import { createContext } from '../../src/main.js';
import { createCheck as createCheckIn } from '../../src/services/checks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { startTestService, type TestService } from '../support/service.js';
import { createCheck } from './checks-fixtures.js';

/** Reads Server-Sent Events from a live response until `count` events arrived or the time is up. */
async function readEvents(response: Response, count: number, timeoutMs = 10_000): Promise<Array<{ id: string; event: string; data: any }>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Array<{ id: string; event: string; data: any }> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
    if (!next || next.done) break;
    buffer += next.value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
      if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
    }
  }
  await reader.cancel();
  return events;
}

for (const dialect of DIALECTS) {
  describe(`the live event stream on ${dialect}`, () => {
    let service: TestService;
    beforeAll(async () => { service = await startTestService(dialect); });
    afterAll(async () => { await service?.close(); });

    it('streams events: replays after a cursor, then pushes new ones as they commit', async () => {
      const { keys } = await service.account();
      const check = await createCheck(service, keys.test.key);
      const [delivered] = (await service.api(keys.test.key, 'GET', `/api/v1/events?check_id=${check.id}`)).body.data;
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'open' });

      const stream = await fetch(`${service.url}/api/v1/events/stream?after=${delivered.id}`, { headers: { authorization: `Bearer ${keys.test.key}`, accept: 'text/event-stream' } });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reading = readEvents(stream, 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await service.api(keys.test.key, 'POST', `/api/v1/checks/${check.id}/simulate`, { action: 'complete' });
      const events = await reading;
      expect(events.map((e) => e.event)).toEqual(['check.opened', 'check.submitted-photo', 'check.completed']);
      expect(events[2].data).toMatchObject({ type: 'check.completed', check_id: check.id, data: { check: { id: check.id, step: 'completed' } } });
      // Pushed on commit, not at the next 1 s poll (generous bound for a loaded 2-core machine).
      expect(Date.now() - started).toBeLessThan(5_000);

      const other = await service.account();
      const quiet = await fetch(`${service.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${other.keys.test.key}`, accept: 'text/event-stream' } });
      const nothing = readEvents(quiet, 1, 1_500);
      const plainGet = await fetch(`${service.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${other.keys.test.key}` } });
      expect(plainGet.status).toBe(400);
      expect((await plainGet.json()).message).toContain('text/event-stream');
      await createCheck(service, keys.test.key);
      expect(await nothing).toEqual([]);
    });

    it('streams events that another process commits to the same database', async () => {
      const { keys, account } = await service.account();
      const stream = await fetch(`${service.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${keys.test.key}`, accept: 'text/event-stream' } });
      const reading = readEvents(stream, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A second context is what another `realid start --role api` holds: its own pool, no shared memory.
      const other = await createContext(service.ctx.config, service.ctx.log);
      try {
        const row = await createCheckIn(other, { accountId: account.id, mode: 'test', keyId: null }, { customer: { first_name: 'O', last_name: 'P', email: 'o@example.test' } });
        const [event] = await reading;
        expect(event).toMatchObject({ event: 'check.delivered', data: { check_id: row.id } });
      } finally {
        await other.db.close();
      }
    });
  });
}
