import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { FOOTER } from '../../src/consent/footer';
import { previewText } from '../../src/consent/template-rules';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

const UI_TIMEOUT_MS = 20_000;

describe('operator console', () => {
  let system: TestSystem;
  let account: TestAccount;
  let browser: TestBrowser;
  /** Script errors, CSP violations and unexpected HTTP errors of every page, which would otherwise pass unseen. */
  const pageProblems: string[] = [];

  before(async () => {
    // The browser first: without Chromium the file fails at once, before there is a system to clean up.
    browser = await launchBrowser();
    system = await startSystem();
    account = await system.createAccount();
  });
  after(async () => {
    await browser?.close();
    await system?.close();
  });

  /** @param expectedStatuses HTTP errors this page may see (403 from /v1/settings/a2p is how an agent is told apart) */
  async function openConsole(
    viewport?: { width: number; height: number },
    expectedStatuses: number[] = [403],
  ): Promise<Page> {
    const page = await browser.newPage(viewport);
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A failed request is also logged as a console error; the response listener judges those.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageProblems.push(`console: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !expectedStatuses.includes(response.status())) {
        pageProblems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    await page.goto(`${system.apiUrl}/`);
    return page;
  }

  async function signIn(key: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await openConsole(viewport);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    return page;
  }

  /** Signs in with `key` and opens Settings; returns the page and the Opt-In template's textbox. */
  async function openOptInTemplate(key: string) {
    const page = await signIn(key);
    await page.getByRole('link', { name: 'Settings' }).click();
    return { page, editor: page.getByRole('textbox', { name: 'Opt-In template', exact: true }) };
  }

  /** Queues a text to a lead and waits until its opt-in has gone out (`sent`). */
  async function leadWithOptInSent(leadId: string, phone: string): Promise<void> {
    await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId, phone, body: 'Hello from Acme' },
    });
    await waitForOptIn(leadId, 'sent');
  }

  async function waitForOptIn(leadId: string, status: string): Promise<void> {
    await waitFor(`${leadId}'s opt-in ${status}`, async () => {
      const consent = await system.api('GET', `/v1/leads/${leadId}/consent`, { key: account.agentKey });
      return consent.body.status === status;
    });
  }

  /** Each lead row of the page's leads tables as [lead ID, opt-in badge text]. */
  async function leadRows(scope: Page | Locator): Promise<string[][]> {
    return scope
      .locator('[data-leads] tr[data-lead-id]')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.getAttribute('data-lead-id') ?? '',
          row.querySelector('[data-opt-in]')?.textContent ?? '',
        ]),
      );
  }

  /** How many pixels the page is wider than the window (0 or less: no sideways scrolling). */
  async function horizontalOverflow(page: Page): Promise<number> {
    return page
      .locator('html')
      .evaluate((html) => html.scrollWidth - (html.ownerDocument.defaultView?.innerWidth ?? html.clientWidth));
  }

  /** Every form control on the page has a label a screen reader announces. */
  async function assertEveryControlLabelled(page: Page): Promise<void> {
    const unlabelled = await page.$$eval('input, select, textarea', (controls) =>
      controls
        .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label'))
        .map((control) => control.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
  }

  it('refuses an unknown key on the sign-in page', async () => {
    const page = await openConsole(undefined, [401]);
    await browser.screenshot(page, '01-sign-in');

    await page.getByLabel('API key').fill('sk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByText('This key was refused').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused key is not kept');
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('lets an admin edit the Opt-In template with a live preview of the footer, segments and encoding', async () => {
    const { page, editor } = await openOptInTemplate(account.adminKey);
    const form = page.locator('form[data-text="opt-in-template"]');
    const preview = form.locator('[data-preview="text"]');
    const cost = form.locator('[data-preview="cost"]');
    const short = 'Acme Realty: reply START to get texts about your home search. Msg & data rates may apply.';
    const long = `${short} ${'We text about showings, offers and open houses near you. '.repeat(3)}`.trim();
    const withEmoji = `${short} 🏠`;

    await editor.fill(short);
    const shortPreview = { text: await preview.textContent(), cost: await cost.textContent() };
    await editor.fill(long);
    const longSegments = await cost.getAttribute('data-segments');
    await editor.fill(withEmoji);
    const emojiEncoding = await cost.getAttribute('data-encoding');
    await browser.screenshot(page, '02-settings-admin-preview');
    await editor.fill(short);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved:').waitFor();

    assert.equal(shortPreview.text, `${short}\n${FOOTER}`);
    assert.equal(shortPreview.cost, `1 segment · GSM-7 · ${previewText(short).units} characters`);
    assert.equal(longSegments, String(previewText(long).segments));
    assert.ok(Number(longSegments) >= 2, `the long text is ${longSegments} segments`);
    assert.equal(emojiEncoding, 'UCS-2');
    const saved = await system.api('GET', '/v1/settings/opt-in-template', { key: account.agentKey });
    assert.equal(saved.body.template, short);
    assert.equal(saved.body.preview.text, shortPreview.text);
    assert.equal(await page.getByText('Status: verified').count(), 1, 'the admin sees the A2P status');
    for (const name of ['HELP reply', 'Opt-in confirmation', 'Opt-out confirmation']) {
      const textbox = page.getByRole('textbox', { name, exact: true });
      assert.equal(await textbox.isEditable(), true, `${name} is editable`);
    }
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('shows the account texts read-only to an agent, with no Save button', async () => {
    const { page, editor } = await openOptInTemplate(account.agentKey);
    await editor.waitFor();
    await page.locator('form[data-text="opt-in-template"] [data-preview="text"]').filter({ hasText: FOOTER }).waitFor();
    await browser.screenshot(page, '03-settings-agent-read-only');

    assert.equal(await editor.getAttribute('readonly'), '');
    assert.equal(await editor.isEditable(), false);
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await page.getByText('Read-only: only an admin key can change these texts.').count(), 1);
    assert.equal(await page.getByText('Only an admin key can see the A2P status.').count(), 1);
    await page.close();
  });

  it("sends an agent's text to a new lead, shows its opt-in Sent, then the text delivered after START without a reload", async () => {
    const phone = system.newLeadPhone();
    const leadId = 'lead-console-1';
    const page = await signIn(account.agentKey);
    await page.evaluate('window.notReloaded = true');
    const rows = (kind: string) => page.locator(`tr[data-kind="${kind}"][data-lead-id="${leadId}"]`);

    await page.getByLabel('Lead ID').fill(leadId);
    await page.getByLabel('Phone number').fill(phone);
    await page.getByLabel('Text', { exact: true }).fill('Hi Dana, the 3-bed on Elm St is open Saturday.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-result="held"]').waitFor();
    await rows('opt_in').locator('[data-status="sent"]').waitFor();
    await browser.screenshot(page, '04-messaging-center-opt-in-sent');
    const optInSent = await rows('opt_in').locator('.badge').first().textContent();
    const held = await rows('lead').locator('.badge').first().textContent();

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });

    await rows('lead').locator('[data-status="delivered"]').waitFor();
    await rows('opt_in').locator('[data-status="accepted"]').waitFor();
    await browser.screenshot(page, '05-messaging-center-delivered');
    assert.equal(optInSent, 'Sent');
    assert.equal(held, 'held');
    assert.equal(await page.evaluate('window.notReloaded'), true, 'the page was not reloaded');
    await page.getByLabel('Show').selectOption({ label: 'Accepted' });
    await page.locator('tr[data-kind="lead"]').first().waitFor({ state: 'detached' });
    const accepted = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    await page.getByLabel('Show').selectOption({ label: 'held' });
    await page.getByText('No texts yet.').waitFor();
    await assertEveryControlLabelled(page);
    assert.deepEqual(accepted, ['opt_in']);

    await page.getByLabel('Show').selectOption({ label: 'All texts' });
    await rows('lead').getByRole('link', { name: leadId }).click();
    const history = page.locator('.conversation > li');
    await page.locator('.conversation [data-kind="opt_in_confirmation"]').waitFor();
    await page.locator('tr[data-event-type="opted_in"]').waitFor();
    await browser.screenshot(page, '06-lead-details');
    const kinds = await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    assert.deepEqual(kinds, ['lead', 'opt_in', 'inbound', 'opt_in_confirmation']);
    assert.match((await history.nth(2).textContent()) ?? '', /From the lead.*START/s);
    assert.equal(await page.locator('[data-opt-in="accepted"]').textContent(), 'Accepted');
    const link = await page.locator('[data-temporal-link]').getAttribute('href');
    assert.equal(link, `http://127.0.0.1:8233/namespaces/default/workflows?query=LeadIds%3D%22${leadId}%22`);
    await page.close();
  });

  it('sends a template filled with its variables when an agent picks it', async () => {
    const template = await system.api('POST', '/v1/templates', {
      key: account.adminKey,
      body: { name: 'showing-reminder', body: 'Hi {{firstName}}, see you at {{address}} tomorrow.' },
    });
    const leadId = 'lead-console-template';
    const page = await signIn(account.agentKey);

    await page.getByLabel('Lead ID').fill(leadId);
    await page.getByLabel('Phone number').fill(system.newLeadPhone());
    await page.getByLabel('Use a template').check();
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'showing-reminder' });
    await page.getByLabel('firstName').fill('Dana');
    await page.getByLabel('address').fill('12 Elm St');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-result="held"]').waitFor();

    assert.equal(template.status, 201);
    const history = await system.api('GET', `/v1/leads/${leadId}/messages`, { key: account.agentKey });
    const text = history.body.messages.find((m: { kind: string }) => m.kind === 'lead');
    assert.equal(text.body, `Hi Dana, see you at 12 Elm St tomorrow.\n${FOOTER}`);
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('shows a number that replied STOP on the Do Not Contact list, with why and when', async () => {
    const phone = system.newLeadPhone();
    const emailed = system.newLeadPhone();
    await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-console-2', phone, body: 'Hello from Acme' },
    });
    const page = await signIn(account.agentKey);
    await page.getByRole('link', { name: 'Do Not Contact' }).click();
    await page.getByRole('heading', { name: 'Numbers on the list' }).waitFor();

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });

    const row = page.locator(`tr[data-phone="${phone}"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-source]').textContent(), 'Replied STOP by text');
    await page.getByRole('search', { name: 'Search a number' }).getByLabel('Phone number').fill(phone);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('[data-listed="true"]').waitFor();
    const addForm = page.getByRole('form', { name: 'Add a number' });
    await addForm.getByLabel('Phone number').fill(emailed);
    await addForm.getByLabel('How they asked').selectOption('email');
    await addForm.getByLabel('Reason (optional)').fill('asked by email not to be texted');
    await addForm.getByRole('button', { name: 'Add to the list' }).click();
    await page.locator(`tr[data-phone="${emailed}"]`).waitFor();
    await browser.screenshot(page, '07-do-not-contact');

    assert.equal(await page.locator(`tr[data-phone="${emailed}"] [data-source]`).textContent(), 'Asked by email');
    const listed = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phone)}`, {
      key: account.agentKey,
    });
    assert.equal(listed.body.entry.source, 'sms');
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('finds leads on Lead details by the start of their ID and by number, recent ones first, and opens one', async () => {
    const phone = system.newLeadPhone();
    await leadWithOptInSent('find-me-1', phone);
    await leadWithOptInSent('find-me-2', phone);
    await leadWithOptInSent('find-other', system.newLeadPhone());
    const page = await signIn(account.agentKey);
    await page.getByRole('link', { name: 'Lead details' }).click();
    const search = page.getByRole('search', { name: 'Search leads' });
    const searchFor = async (text: string, found: string) => {
      await search.getByLabel('Lead ID or number').fill(text);
      await search.getByRole('button', { name: 'Search' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${found} for “${text}”` })
        .waitFor();
      return leadRows(page);
    };

    await page.locator('[data-leads] tr[data-lead-id="find-other"]').waitFor();
    const recent = await leadRows(page);
    const byPrefix = await searchFor('find-me', '2 leads');
    // Ten digits, no country code, no punctuation: a number as an agent might type it.
    const byNumber = await searchFor(phone.slice(2), '2 leads');
    await browser.screenshot(page, '07b-lead-search');
    await page.getByRole('link', { name: 'find-me-2' }).click();
    await page.getByRole('heading', { name: 'Lead find-me-2' }).waitFor();

    assert.deepEqual(recent.slice(0, 3), [
      ['find-other', 'Sent'],
      ['find-me-2', 'Sent'],
      ['find-me-1', 'Sent'],
    ]);
    assert.deepEqual(byPrefix.sort(), [
      ['find-me-1', 'Sent'],
      ['find-me-2', 'Sent'],
    ]);
    assert.deepEqual(byNumber.sort(), byPrefix);
    await page.locator('[data-opt-in="sent"]').waitFor();
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('shows every lead on a number with its opt-in status in the Do Not Contact search, by number and by lead ID', async () => {
    const phone = system.newLeadPhone();
    await leadWithOptInSent('dnc-accepted', phone);
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitForOptIn('dnc-accepted', 'accepted');
    await leadWithOptInSent('dnc-waiting', phone);
    const page = await signIn(account.agentKey);
    await page.getByRole('link', { name: 'Do Not Contact' }).click();
    const search = page.getByRole('search', { name: 'Search a number or a lead' });
    const number = search.locator(`[data-number="${phone}"]`);
    const searchFor = async (text: string, listed: boolean) => {
      await search.getByLabel('Phone number or lead ID').fill(text);
      await search.getByRole('button', { name: 'Search' }).click();
      await search
        .getByRole('status')
        .filter({ hasText: `1 number for “${text}”` })
        .waitFor();
      await number.locator(`[data-listed="${listed}"]`).waitFor();
      return (await leadRows(number)).sort();
    };

    const byNumber = await searchFor(phone.slice(1), false);
    await browser.screenshot(page, '07c-do-not-contact-search');
    const byLead = await searchFor('dnc-waiting', false);
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitForOptIn('dnc-waiting', 'rejected');
    const afterStop = await searchFor('dnc-accepted', true);
    const listed = await number.locator('[data-listed]').textContent();

    assert.deepEqual(byNumber, [
      ['dnc-accepted', 'Accepted'],
      ['dnc-waiting', 'Sent'],
    ]);
    assert.deepEqual(byLead, byNumber);
    assert.deepEqual(afterStop, [
      ['dnc-accepted', 'Rejected'],
      ['dnc-waiting', 'Rejected'],
    ]);
    assert.match(
      listed ?? '',
      new RegExp(`^\\${phone} is on the list since .+: Replied STOP by text \\(opt-out reply\\)\\.$`),
    );
    await assertEveryControlLabelled(page);
    await page.close();
  });

  it('shows admins a banner when the account is not A2P verified', async () => {
    const unverified = await system.createAccount({ a2pStatus: 'unverified' });

    const page = await signIn(unverified.adminKey);

    const banner = page.locator('[data-banner="a2p"]');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /not verified \(status: unverified\)/);
    await browser.screenshot(page, '08-a2p-banner');
    await page.close();
  });

  it('fits a 375 px wide screen and can be used with the keyboard alone', async () => {
    const page = await signIn(account.agentKey, { width: 375, height: 812 });
    await page.locator('tbody tr').first().waitFor();
    const focusedAfterSignIn = await page.locator(':focus').textContent();

    const overflow = await horizontalOverflow(page);
    await browser.screenshot(page, '09-messaging-center-375px');
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Tab');
    const focused = await page.locator(':focus').evaluate((element) => ({
      text: element.textContent,
      outline: element.ownerDocument.defaultView?.getComputedStyle(element).outlineStyle,
    }));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Do Not Contact list' }).waitFor();
    const overflowDnc = await horizontalOverflow(page);
    await browser.screenshot(page, '10-do-not-contact-375px');
    await page.getByRole('link', { name: 'Lead details' }).click();
    await page.locator('[data-leads] tr[data-lead-id]').first().waitFor();
    const overflowLeads = await horizontalOverflow(page);

    assert.ok(overflow <= 0, `the Messaging Center is ${overflow} px wider than the screen`);
    assert.ok(overflowDnc <= 0, `the Do Not Contact list is ${overflowDnc} px wider than the screen`);
    assert.ok(overflowLeads <= 0, `the lead search is ${overflowLeads} px wider than the screen`);
    assert.equal(focusedAfterSignIn, 'Messaging Center', 'signing in moves focus to the view heading');
    assert.equal(focused.text, 'SMS consent', 'Tab reaches the header link after the skip link');
    assert.equal(focused.outline, 'solid', 'focus is visible');
    await page.close();
  });

  it('keeps every visible text at WCAG AA contrast (4.5:1, 3:1 for large text) on each screen', async () => {
    const page = await signIn(account.adminKey);
    await page.getByRole('heading', { name: 'Messaging Center' }).waitFor();
    const screens = ['Messaging Center', 'Lead details', 'Do Not Contact', 'Settings'];
    const failures: string[] = [];

    for (const name of screens) {
      const link = page.getByRole('link', { name, exact: true });
      if ((await link.count()) > 0) await link.first().click();
      await page.waitForTimeout(300);
      // Runs in the page: WCAG 2 relative luminance of each text's colour and of the first opaque background behind it.
      const lowContrast = (await page.evaluate(`(() => {
        const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        const background = (element) => {
          for (let node = element; node; node = node.parentElement) {
            const parts = rgb(getComputedStyle(node).backgroundColor);
            if (parts.length === 3 || (parts.length === 4 && parts[3] > 0.9)) return parts.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const found = [];
        let checked = 0;
        for (const element of document.querySelectorAll('body *')) {
          const ownText = [...element.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
          const style = getComputedStyle(element);
          if (!ownText || style.visibility === 'hidden' || style.display === 'none' || element.offsetParent === null) continue;
          checked += 1;
          const [fg, bg] = [lum(rgb(style.color).slice(0, 3)), lum(background(element))];
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          const size = parseFloat(style.fontSize);
          const isLarge = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
          if (ratio < (isLarge ? 3 : 4.5)) found.push(ownText.slice(0, 30) + ' (' + ratio.toFixed(2) + ':1)');
        }
        return { found, checked };
      })()`)) as { found: string[]; checked: number };
      assert.ok(lowContrast.checked >= 5, `${name}: only ${lowContrast.checked} texts checked`);
      failures.push(...lowContrast.found.map((text) => `${name}: ${text}`));
    }

    assert.deepEqual(failures, [], 'texts below WCAG AA contrast');
    await page.close();
  });

  it('ran every page without a script error or a Content-Security-Policy violation', () => {
    assert.deepEqual(pageProblems, []);
  });

  it('serves the page and its modules under the strict Content-Security-Policy, and 404s anything else', async () => {
    const get = (route: string) => fetch(`${system.apiUrl}${route}`);

    const [page, app, config, unknown, traversal] = await Promise.all([
      get('/'),
      get('/console/app.js'),
      get('/console/config.json'),
      get('/console/package.json'),
      get('/console/..%2fsrc%2fconfig.ts'),
    ]);

    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(await page.text(), /<script(?![^>]*\bsrc=)/, 'no inline script');
    assert.equal(app.status, 200);
    assert.match(app.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.deepEqual(await config.json(), { temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
    assert.equal(unknown.status, 404);
    assert.equal(traversal.status, 404);
  });
});
