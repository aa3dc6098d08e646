// Debian's Chromium (/usr/bin/chromium) through playwright-core for the browser tests: headless, off the network,
// a fresh profile, downloads accepted.

import fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
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
