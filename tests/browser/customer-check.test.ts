import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestService } from '../support/service.js';
import { DESKTOP, PHONE, collectPageErrors, screenshot, unlabelledControls } from './support/browser.js';
import { openSignedIn } from './support/dashboard.js';
import { startBrowserHarness, type BrowserHarness } from './support/harness.js';
import { idCardPng, selfieJpeg } from './support/images.js';

/** The customer's side, on a 375 px phone: open the link, a refused photo, two real photos, the outcome, a privacy request. */
describe('the customer completes a check on a phone', () => {
  let harness: BrowserHarness;
  let service: TestService;
  let browser: Browser;
  const files = mkdtempSync(path.join(os.tmpdir(), 'realid-photos-'));

  beforeAll(async () => {
    harness = await startBrowserHarness();
    ({ service, browser } = harness);
  }, 90_000);
  afterAll(async () => { await harness?.close(); });

  it('takes the customer from the link to "You are verified" and passes a deletion request to the merchant', async () => {
    const { keys, owner } = await service.account();
    const created = await service.api(keys.test.key, 'POST', '/api/v1/checks', {
      customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
      rules: { id_check_type: 'idv' },
    });
    expect(created.status).toBe(201);
    const check = created.body.check;
    const link = new URL(check.link);
    expect(link.pathname).toMatch(/^\/c\/.+/);

    const front = path.join(files, 'id-front.png');
    const selfie = path.join(files, 'selfie.jpg');
    const notAPhoto = path.join(files, 'blurry.png');
    writeFileSync(front, idCardPng());
    writeFileSync(selfie, await selfieJpeg(browser));
    writeFileSync(notAPhoto, 'this is a text file wearing a .png name');

    // The merchant watches the check's page while the customer works on a phone.
    const { context: desk, page: merchant, errors: deskErrors } = await openSignedIn(browser, `${service.url}/checks/${check.id}`, owner, DESKTOP);
    await merchant.getByRole('heading', { name: /Ada Lovelace\s*Delivered/ }).waitFor();
    await merchant.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });

    const context = await browser.newContext(PHONE);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(link.toString());

    await page.getByRole('heading', { name: 'Verify your identity' }).waitFor();
    await page.getByRole('heading', { name: 'The front of your ID' }).waitFor();
    await expect.poll(async () => (await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}`)).body.step).toBe('opened');
    // Nothing is wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'customer-1-start-375');

    // A file that is not an image is refused with a message that says to retake it.
    await page.getByLabel('Take a photo of the front').setInputFiles(notAPhoto);
    await page.getByRole('button', { name: 'Use this photo' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please retake this photo' }).waitFor();
    await screenshot(page, 'customer-2-retake-375');

    await page.getByLabel('Take a photo of the front').setInputFiles(front);
    await page.getByRole('img', { name: /Your photo/ }).waitFor();
    await page.getByRole('button', { name: 'Use this photo' }).click();
    await page.getByRole('heading', { name: 'A selfie' }).waitFor();
    await screenshot(page, 'customer-3-selfie-375');

    await page.getByLabel('Take a selfie').setInputFiles(selfie);
    await page.getByRole('button', { name: 'Use this photo' }).click();
    await page.getByRole('heading', { name: 'You are verified' }).waitFor();
    await screenshot(page, 'customer-4-verified-375');

    const done = await service.api(keys.test.key, 'GET', `/api/v1/checks/${check.id}?withPhotos=true`);
    expect(done.body.step).toBe('completed');
    expect(done.body.photos.map((photo: { kind: string; mime: string }) => `${photo.kind}:${photo.mime}`).sort()).toEqual(['id_front:image/png', 'selfie:image/jpeg']);

    // On the merchant's screen, without a reload: completed, with the two photos the customer sent.
    await merchant.getByRole('heading', { name: /Ada Lovelace\s*Completed/ }).waitFor({ timeout: 15_000 });
    expect(await merchant.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const photos = merchant.getByRole('img', { name: /sent by the customer/ });
    await expect.poll(() => photos.evaluateAll((images) => images.filter((image) => (image as HTMLImageElement).naturalWidth > 0).length)).toBe(2);
    await screenshot(merchant, 'dashboard-12-check-with-photos');
    expect(deskErrors).toEqual([]);
    await desk.close();

    await page.getByRole('button', { name: 'Delete my data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ask for your data to be deleted?' });
    await dialog.waitFor();
    await screenshot(page, 'customer-5-privacy-confirm-375');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Your request to delete your data was sent.').waitFor();
    expect(await page.getByRole('button', { name: 'Delete my data' }).isDisabled()).toBe(true);

    const events = await service.api(keys.test.key, 'GET', `/api/v1/events?check_id=${check.id}`);
    expect(events.body.data.map((event: { type: string }) => event.type)).toEqual([
      'check.delivered', 'check.opened', 'check.submitted-photo', 'check.submitted-photo', 'check.completed', 'customer.data_deletion_request',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('tells the customer plainly when a link does not work', async () => {
    const context = await browser.newContext(PHONE);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(`${service.url}/c/not-a-real-link-token`);
    await page.getByRole('alert').filter({ hasText: 'This link does not work' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Ask the merchant for a new one');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
