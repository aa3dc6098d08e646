// Debian's Chromium (/usr/bin/chromium) through playwright-core for the browser tests: headless, off the network,
// a fresh profile, downloads accepted.

import fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './web-harness';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} not found (Debian package chromium): the browser tests are skipped`);

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
}

/**
 * A new page of `context` that records what a test must not see: alerts (dismissed) in `dialogs`, script errors and
 * console errors in `pageErrors` (a 4xx answer the page shows is logged as a failed load: not an error here).
 */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; dialogs: string[]; pageErrors: string[] }> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  return { page, dialogs, pageErrors };
}
