import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { collectPageErrors } from './browser.js';

/** A link of the dashboard's main navigation. */
export const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

/** Signs in with the keyboard only: the email field has focus, Tab moves to the password, Enter submits. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').waitFor();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

/** A fresh browser context signed in as `owner` on `url`, with its console errors collected. */
export async function openSignedIn(browser: Browser, url: string, owner: { email: string; password: string }, options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  const errors = collectPageErrors(context);
  const page = await context.newPage();
  await page.goto(url);
  await signIn(page, owner.email, owner.password);
  return { context, page, errors };
}
