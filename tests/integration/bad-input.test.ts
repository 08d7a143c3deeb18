import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';

/**
 * Throws random bodies, content types, headers and path parameters at every route in the OpenAPI
 * document (so routes added later are covered without touching this file). Whatever comes in,
 * the answer is never a 5xx, and every error has the catalogue's shape.
 */
const CONTENT_TYPES = [undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz', 'image/png', 'application/octet-stream', 'garbage/;;', 'application/json; charset=latin1'];

const jsonish = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom('{', '{"a":', 'null', '[]', '""', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"customer":{"first_name":"A","last_name":"B","email":"a@b.co"}}',
    '{"url":"http://127.0.0.1:1/x","events":["check.completed"]}', '{"action":"complete"}', '{"type":"data_request"}', '{"since":"2020-01-01T00:00:00Z"}'),
  fc.record({ customer: fc.dictionary(fc.string(), fc.jsonValue()), rules: fc.dictionary(fc.string(), fc.jsonValue()) }).map((v) => JSON.stringify(v)),
);

const pathParam = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('chk_01JF3Q8X3W5V0N9QK6B7C2R4TD', 'ep_x', '..%2F..', '%00', 'null', '-1', 'a'.repeat(300)));
const headerValue = fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s));

describe('bad input never gets a 500', () => {
  let service: TestService;
  let goodKey: string;
  let routes: Array<{ method: string; path: string }>;

  beforeAll(async () => {
    service = await startTestService('sqlite', { REALID_MAX_BODY_BYTES: '65536' });
    goodKey = (await service.account()).keys.test.key;
    const doc = await (await fetch(`${service.url}/docs/json`)).json();
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(async () => { await service?.close(); });

  it('covers the routes of the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
  });

  it('answers every random request with a 2xx/3xx/4xx, and 4xx as {code, message}', async () => {
    const failures: string[] = [];
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }), pathParam, fc.option(jsonish), fc.constantFrom(...CONTENT_TYPES),
      fc.oneof(fc.constant('good'), fc.constant('none'), headerValue.map((h) => `bad:${h}`)),
      fc.dictionary(fc.constantFrom('x-request-id', 'accept', 'x-csrf-token', 'cookie', 'if-none-match', 'accept-encoding', 'x-forwarded-for'), headerValue, { maxKeys: 3 }),
      fc.constantFrom('', '?limit=abc', '?limit=-1', '?after=%ZZ', '?withPhotos=maybe', '?page=0&starting_after=x', '?since=yesterday', '?status=exploded&testing=perhaps'),
      async (routeIndex, param, body, contentType, auth, extraHeaders, query) => {
        const route = routes[routeIndex % routes.length];
        const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param));
        const headers: Record<string, string> = { ...extraHeaders };
        if (auth === 'good') headers.authorization = `Bearer ${goodKey}`;
        else if (auth.startsWith('bad:')) headers.authorization = auth.slice(4);
        if (contentType) headers['content-type'] = contentType;
        const sendsBody = route.method !== 'GET' && route.method !== 'HEAD' && body !== null;
        let response: Response;
        try {
          response = await fetch(`${service.url}${path}${query}`, { method: route.method, headers, body: sendsBody ? body : undefined });
        } catch {
          return; // the client refused to send it (e.g. an invalid header): nothing reached the server
        }
        const text = await response.text();
        if (response.status >= 500) failures.push(`${route.method} ${path}${query} → ${response.status} ${text.slice(0, 200)}`);
        if (response.status >= 400 && response.status < 500) {
          let parsed: { code?: unknown; message?: unknown } = {};
          try { parsed = JSON.parse(text); } catch { /* reported below */ }
          if (typeof parsed.code !== 'string' || typeof parsed.message !== 'string' || !String(parsed.code).startsWith('RID_ERR_')) {
            failures.push(`${route.method} ${path}${query} → ${response.status} without {code, message}: ${text.slice(0, 200)}`);
          }
        }
      },
    ), { numRuns: Math.max(300, 15 * routes.length) });
    expect(failures).toEqual([]);
  }, 240_000);

  it('turns away huge bodies with 413 and a clear code', async () => {
    const response = await fetch(`${service.url}/api/v1/api-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${goodKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(200_000), mode: 'test' }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe('RID_ERR_BODY_TOO_LARGE');
  });
});
