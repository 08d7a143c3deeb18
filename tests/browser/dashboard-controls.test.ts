import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestService } from '../support/service.js';
import { DESKTOP, PHONE, screenshot, unlabelledControls } from './support/browser.js';
import { nav, openSignedIn, signIn } from './support/dashboard.js';
import { startBrowserHarness, type BrowserHarness } from './support/harness.js';

/** The rest of what a merchant touches: phone widths, plans, an ended session, decisions, endpoint controls. */
describe('dashboard controls', () => {
  let harness: BrowserHarness;
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    ({ service, browser } = harness);
  }, 90_000);
  afterAll(async () => { await harness?.close(); });

  it('is readable on a 375 px phone', async () => {
    const { owner, keys } = await service.account();
    await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'Katherine', last_name: 'Johnson', phone: '+15550100' }, order: { id: 'A-100', name: 'Telescope' } });
    const { context, page, errors } = await openSignedIn(browser, `${service.url}/settings/devtools`, owner, PHONE);
    await page.getByRole('heading', { name: 'Webhook URLs' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'dashboard-8-devtools-375');
    await nav(page, 'Checks').click();
    await page.getByRole('link', { name: 'Katherine Johnson' }).click();
    await page.getByRole('heading', { name: 'Verdict' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'dashboard-9-check-375');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows accounts on other plans an upgrade message instead of the webhook settings', async () => {
    const { owner } = await service.account('pro');
    const { context, page, errors } = await openSignedIn(browser, `${service.url}/settings/devtools`, owner, DESKTOP);
    await page.getByRole('heading', { name: 'Webhooks are an Enterprise feature' }).waitFor();
    // The API's own explanation, with how to upgrade.
    await page.getByText(/Upgrade this account to the Enterprise plan/).waitFor();
    expect(await page.getByRole('heading', { name: 'Webhook URLs' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Signing secret' }).count()).toBe(0);
    // API keys are not an Enterprise feature: they stay.
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await screenshot(page, 'dashboard-10-upgrade');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('works from the keyboard: a labelled form, and a confirmation that Escape cancels', async () => {
    const { owner } = await service.account();
    const { context, page, errors } = await openSignedIn(browser, `${service.url}/checks/new`, owner, DESKTOP);
    await page.getByRole('heading', { name: 'New check' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    await nav(page, 'Settings › DevTools').click();
    // A URL the API refuses: the message sits under that event's field, and nothing is saved.
    const opened = page.getByLabel('Webhook URL for check.opened');
    await opened.fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Save webhook URLs' }).click();
    await page.getByText('Some URLs were not saved; see the messages above.').waitFor();
    expect(await opened.getAttribute('aria-invalid')).toBe('true');
    expect(await opened.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby')!)?.textContent)).toMatch(/http/);
    expect((await page.evaluate(() => fetch('/api/v1/webhook-endpoints').then((r) => r.json()))).data).toEqual([]);

    const rotate = page.getByRole('button', { name: 'Rotate secret…' });
    await rotate.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await dialog.waitFor();
    // Focus starts on the harmless choice, and Escape leaves everything as it was.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByText('Secret rotated').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('sends the merchant back to sign-in, saying why, when the session has ended', async () => {
    const { owner } = await service.account();
    // The new-check form: a page that loads nothing by itself once shown. On the checks list, its
    // 15-second refresh or a live event could meet the ended session before the click does, and
    // send the merchant to sign-in on its own (a race the test used to lose on a loaded machine).
    const { context, page } = await openSignedIn(browser, `${service.url}/checks/new`, owner, DESKTOP);
    await page.getByRole('heading', { name: 'New check' }).waitFor();
    await service.ctx.db.kysely.deleteFrom('sessions').where('user_id', '=', owner.id).execute();
    await nav(page, 'Settings › DevTools').click();
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    await signIn(page, owner.email, owner.password);
    // Back where the merchant was going.
    await page.getByRole('heading', { name: 'Settings › DevTools' }).waitFor();
    await context.close();
  }, 90_000);

  it('rejects a finished check by hand, and disables, re-enables and recovers an endpoint', async () => {
    const { owner, keys } = await service.account();
    const made = await service.api(keys.test.key, 'POST', '/api/v1/checks', { customer: { first_name: 'Alan', last_name: 'Turing', email: 'alan@example.com' }, rules: { id_check_type: 'id' } });
    const checkId = made.body.check.id;
    await service.api(keys.test.key, 'POST', `/api/v1/checks/${checkId}/simulate`, { action: 'complete' });
    const endpoint = await service.api(keys.live.key, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/unused', events: ['check.failed'] });
    expect(endpoint.status).toBe(201);

    const { context, page, errors } = await openSignedIn(browser, `${service.url}/checks/${checkId}`, owner, DESKTOP);
    await page.getByRole('heading', { name: /Alan Turing\s*Completed/ }).waitFor();
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Reject this check?' });
    await confirm.getByRole('button', { name: 'Reject check' }).click();
    await page.getByRole('heading', { name: /Alan Turing\s*Failed/ }).waitFor();
    await page.getByText('The verdict was set by hand.').waitFor();
    const rejected = await service.api(keys.test.key, 'GET', `/api/v1/checks/${checkId}`);
    expect(rejected.body).toMatchObject({ step: 'failed', manually_overridden: true });

    await nav(page, 'Settings › DevTools').click();
    const card = page.getByRole('article', { name: 'Endpoint http://127.0.0.1:9/unused' });
    await card.getByRole('button', { name: 'Disable' }).click();
    await card.getByText('Endpoint disabled: no new deliveries go to it.').waitFor();
    expect((await service.api(keys.live.key, 'GET', `/api/v1/webhook-endpoints/${endpoint.body.id}`)).body.disabled).toBe(true);
    await card.getByRole('button', { name: 'Enable again' }).click();
    await card.getByText(/Endpoint enabled again/).waitFor();
    expect((await service.api(keys.live.key, 'GET', `/api/v1/webhook-endpoints/${endpoint.body.id}`)).body.disabled).toBe(false);

    // When the endpoint missed webhooks meanwhile (the check.failed above), re-enabling offers to recover them at once.
    const recover = page.getByRole('dialog', { name: 'Recover failed deliveries' });
    if (!(await card.getByText(/It missed \d+ webhook/).isVisible())) await card.getByRole('button', { name: 'Recover failed…' }).click();
    await recover.getByLabel('Failed since').waitFor();
    await screenshot(page, 'dashboard-11-recover');
    await recover.getByRole('button', { name: 'Send them again' }).click();
    await card.getByText(/failed deliver(y is|ies are) being sent again/).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
