import { it } from 'vitest';
import SqliteDatabase from 'better-sqlite3';
import { startTestService } from './support/service.js';
import { startReceiver } from './support/receiver.js';
import { accountWithEndpoint, emitEvent } from './integration/delivery-fixtures.js';

const times = new Map<string, { n: number; ms: number }>();
const proto = (SqliteDatabase as any).prototype;
const origPrepare = proto.prepare;
proto.prepare = function (text: string) {
  const st = origPrepare.call(this, text);
  for (const m of ['all', 'run', 'get']) {
    const orig = st[m].bind(st);
    st[m] = (...a: unknown[]) => { const t = performance.now(); try { return orig(...a); } finally { const e = times.get(text) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; times.set(text, e); } };
  }
  return st;
};

it('profiles', async () => {
  const svc = await startTestService('sqlite');
  const receiver = await startReceiver();
  const { account } = await accountWithEndpoint(svc, receiver.url);
  times.clear();
  const t = performance.now();
  for (let i = 0; i < 1000; i++) { await emitEvent(svc, account.account.id, 'check.completed', 'chk_x' + i, false); await new Promise((r) => setImmediate(r)); }
  await receiver.waitFor(1000, 30000);
  console.log('1000 single-event tx + delivered in', Math.round(performance.now() - t), 'ms');
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14);
  for (const [text, e] of rows) console.log(e.ms.toFixed(0).padStart(6), 'ms', String(e.n).padStart(6), (e.ms * 1000 / e.n).toFixed(0).padStart(6), 'us', text.replace(/\s+/g, ' ').slice(0, 150));
  await receiver.close(); await svc.close();
}, 120000);
