import type { Page } from 'playwright-core';

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
