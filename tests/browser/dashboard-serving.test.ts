import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardIfMissing } from '../../src/web/build-dashboard.js';
import { startTestService, type TestService } from '../support/service.js';

/** How the service hands out the app: pages for the router, cached assets, and the API's JSON 404 kept intact. */
describe('serving the dashboard', () => {
  let service: TestService;
  beforeAll(async () => {
    await buildDashboardIfMissing();
    service = await startTestService('sqlite');
  });
  afterAll(async () => { await service?.close(); });

  it('answers every page path with the app, uncached and locked down', async () => {
    for (const path of ['/', '/checks', '/checks/chk_123', '/settings/devtools', '/c/some-link-token', '/sign-in?next=%2Fchecks']) {
      const response = await fetch(service.url + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves the hashed assets the page names, cached for good', async () => {
    const html = await (await fetch(`${service.url}/checks`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(service.url + asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('keeps the JSON 404 for unknown API paths, missing assets and other methods', async () => {
    for (const [method, path] of [['GET', '/api/v1/nope'], ['GET', '/api'], ['GET', '/assets/missing-file.js'], ['POST', '/checks'], ['GET', '/favicon.ico']]) {
      const response = await fetch(service.url + path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'RID_ERR_NOT_FOUND' });
    }
  });

  it('leaves the API, health and docs routes to their owners', async () => {
    expect((await fetch(`${service.url}/healthz`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${service.url}/api/v1/account`)).status).toBe(401);
    expect((await fetch(`${service.url}/docs/json`)).status).toBe(200);
  });
});
