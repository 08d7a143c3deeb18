import type { Browser } from 'playwright-core';
import { buildDashboardIfMissing } from '../../../src/web/build-dashboard.js';
import { freePort } from '../../support/postgres-server.js';
import { startTestService, type TestService } from '../../support/service.js';
import { launchChromium } from './browser.js';

export interface BrowserHarness {
  service: TestService;
  browser: Browser;
  close(): Promise<void>;
}

/** The built dashboard, the whole service on SQLite, and Chromium: what every browser test starts from. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  await buildDashboardIfMissing();
  // A fixed port, so the links and photo URLs the service writes (from its public URL) are reachable.
  const port = await freePort();
  const service = await startTestService('sqlite', { REALID_PORT: String(port), REALID_PUBLIC_URL: `http://127.0.0.1:${port}` });
  const browser = await launchChromium();
  return {
    service,
    browser,
    async close() {
      await browser.close();
      await service.close();
    },
  };
}
