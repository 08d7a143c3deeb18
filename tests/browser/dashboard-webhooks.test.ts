import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestService } from '../support/service.js';
import { DESKTOP, collectPageErrors, screenshot } from './support/browser.js';
import { nav, signIn } from './support/dashboard.js';
import { startBrowserHarness, type BrowserHarness } from './support/harness.js';
import { startReceiver } from './support/receiver.js';

const hexSignature = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * A merchant runs their webhooks from the dashboard alone: sign in, set a URL for check.completed,
 * create and simulate a test check, watch the delivery arrive in the log without a reload, verify
 * it at the receiver, resend it, rotate the secret, manage API keys, sign out.
 */
describe('the merchant dashboard', () => {
  let harness: BrowserHarness;
  let service: TestService;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    ({ service, browser } = harness);
    receiver = await startReceiver();
  }, 90_000);
  afterAll(async () => {
    await receiver?.close();
    await harness?.close();
  });

  it('sets a webhook URL, follows a test check to a signed delivery, resends it and rotates the secret', async () => {
    const { owner } = await service.account();
    const context = await browser.newContext(DESKTOP);
    const errors = collectPageErrors(context);
    const page = await context.newPage();

    await page.goto(`${service.url}/`);
    await screenshot(page, 'dashboard-1-sign-in');
    await signIn(page, owner.email, owner.password);
    await page.getByRole('heading', { name: 'Checks' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/checks');

    // Settings › DevTools: a URL for check.completed only.
    await nav(page, 'Settings › DevTools').click();
    await page.getByLabel('Webhook URL for check.completed').fill(receiver.url);
    await page.getByRole('button', { name: 'Save webhook URLs' }).click();
    await page.getByText('Webhook URLs saved.').waitFor();
    await page.getByRole('article', { name: `Endpoint ${receiver.url}` }).waitFor();
    const endpoints = await page.evaluate(() => fetch('/api/v1/webhook-endpoints').then((r) => r.json()));
    expect(endpoints.data).toHaveLength(1);
    expect(endpoints.data[0]).toMatchObject({ url: receiver.url, events: ['check.completed'] });

    // The secret is hidden until revealed.
    expect(await page.getByTestId('signing-secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Reveal' }).click();
    const secret = (await page.getByTestId('signing-secret').textContent())!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);

    // A second tab stays on the delivery log; it must update without a reload.
    const log = await context.newPage();
    await log.goto(`${service.url}/settings/devtools`);
    await log.getByRole('heading', { name: 'Delivery log' }).waitFor();
    await log.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });

    // Create a test check and play the customer's part from its page.
    await nav(page, 'Checks').click();
    await page.getByRole('link', { name: 'New check' }).click();
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Order id').fill('order-1906');
    await screenshot(page, 'dashboard-3-new-check');
    await page.getByRole('button', { name: 'Create test check' }).click();
    await page.getByRole('heading', { name: 'Simulate the customer' }).waitFor();
    const checkId = new URL(page.url()).pathname.split('/').pop()!;
    expect(checkId).toMatch(/^chk_/);

    for (const button of ['Open the link', 'Send the front of the ID', 'Send a selfie']) {
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('button', { name: button }).waitFor({ state: 'detached' });
    }
    await page.getByRole('heading', { name: /Grace Hopper\s*Completed/ }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'The selfie matches the ID' }).waitFor();
    await page.getByText('Check completed', { exact: true }).waitFor();
    await screenshot(page, 'dashboard-4-check-detail');

    // At the receiver: the exact body, signed with the revealed secret.
    const [first] = await receiver.waitFor(1);
    expect(JSON.parse(first.body)).toMatchObject({ event: 'check.completed', check: { id: checkId, step: 'completed', testing: true } });
    expect(first.body).toMatch(/^\{"event":"check\.completed","created_at":"[^"]+","check":\{"id":"chk_[^"]+","step":"completed","testing":true\}\}$/);
    expect(first.headers['x-real-id-signature']).toBe(hexSignature(secret, first.body));

    // In the other tab, without a reload: the delivery, then its attempt with what was sent and received.
    const row = log.getByTestId('delivery-row').filter({ hasText: 'check.completed' });
    await row.filter({ hasText: 'Succeeded' }).waitFor({ timeout: 15_000 });
    expect(await log.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await row.getByRole('button', { name: 'Details' }).click();
    const detail = log.getByRole('region', { name: /^Delivery / });
    await detail.getByText('HTTP 200').waitFor();
    expect(await detail.getByLabel('Request headers').first().textContent()).toContain(`x-real-id-signature: ${first.headers['x-real-id-signature']}`);
    expect(await detail.getByLabel('Response body').first().textContent()).toContain('"received": true');
    await screenshot(log, 'dashboard-5-delivery-log');

    // Resend: a second request with the same webhook-id, and a second attempt in the log.
    await detail.getByRole('button', { name: 'Resend' }).click();
    const [, second] = await receiver.waitFor(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    await detail.getByText('Attempt 2').waitFor({ timeout: 15_000 });

    // Rotate, with a confirmation; the next webhook is signed with the new secret, the old one still in webhook-signature.
    await log.getByRole('button', { name: 'Rotate secret…' }).click();
    const confirm = log.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await confirm.waitFor();
    await screenshot(log, 'dashboard-6-rotate-confirm');
    await confirm.getByRole('button', { name: 'Rotate secret' }).click();
    await log.getByText('Secret rotated').waitFor();
    const rotated = (await log.getByTestId('signing-secret').textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await log.getByRole('button', { name: 'Send test webhook' }).click();
    const [, , third] = await receiver.waitFor(3);
    expect(third.headers['x-real-id-signature']).toBe(hexSignature(rotated, third.body));
    expect(String(third.headers['webhook-signature']).split(' ')).toHaveLength(2);

    // API keys: the full key once, then revoked.
    await log.getByLabel('Key name').fill('Checkout server');
    await log.getByRole('button', { name: 'Create key' }).click();
    const key = (await log.getByTestId('new-api-key').textContent())!;
    expect(key).toMatch(/^rid_test_/);
    expect((await service.api(key, 'GET', '/api/v1/account')).status).toBe(200);
    await log.getByRole('button', { name: 'Revoke Checkout server' }).click();
    await log.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await log.getByRole('button', { name: 'Revoke Checkout server' }).waitFor({ state: 'detached' });
    expect((await service.api(key, 'GET', '/api/v1/account')).status).toBe(401);
    await screenshot(log, 'dashboard-7-devtools');

    // The checks list finds the check by its order id.
    await nav(page, 'Checks').click();
    await page.getByLabel('Search by check id or order id').fill('order-1906');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await screenshot(page, 'dashboard-2-checks');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    expect((await page.evaluate(() => fetch('/api/v1/account').then((r) => r.status)))).toBe(401);

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
