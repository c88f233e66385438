import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
export { freePort } from '../../src/ports';

/**
 * Debian's Chromium, which `make test` installs (the Makefile's browser step). playwright-core never downloads a
 * browser of its own, and a test never skips for want of one: it fails and says how to install it.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Where the browser tests save a screenshot of each screen (git-ignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/console');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A headless Chromium with a fresh profile, allowed to reach only 127.0.0.1. */
export interface TestBrowser {
  /** A new tab; each tab has its own sessionStorage, so its own signed-in key. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a full-page screenshot as test-results/console/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts Chromium; throws with the install command when /usr/bin/chromium is missing. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}, and the console tests need it. Run \`make test\` (as root it ` +
        "installs Debian's chromium package), or `sudo apt-get install chromium`.",
    );
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sms-consent-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A persistent context is how Playwright takes a user data dir; a fresh one per run keeps runs independent.
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  // Nothing beyond this machine: a page that tried would fail here instead of reaching the internet.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const isLocal = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:';
    return isLocal ? route.continue() : route.abort('blockedbyclient');
  });
  const [blank] = context.pages();
  return {
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await blank?.close().catch(() => undefined);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
