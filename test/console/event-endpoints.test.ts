import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startEventReceiver, type EventReceiver } from '../support/event-receiver';
import { apiOk, startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

/*
 * The console's Event endpoints view against the real system (API, worker, event relay, Temporal, Postgres) and a
 * receiver on 127.0.0.1 that verifies every delivery's signature with the secret the console showed.
 */

const UI_TIMEOUT_MS = 20_000;
/** Retries start 2 s apart and double: failing (3 attempts in a row) shows within ~10 s, the 4th try at ~14 s. */
const DELIVERY_TIMEOUT_MS = 60_000;

describe('console: event endpoints', () => {
  let system: TestSystem;
  let account: TestAccount;
  let browser: TestBrowser;
  let receiver: EventReceiver;
  /** Script errors, CSP violations and unexpected HTTP errors of every page, which would otherwise pass unseen. */
  const pageProblems: string[] = [];

  before(async () => {
    browser = await launchBrowser();
    system = await startSystem();
    account = await system.createAccount();
    receiver = await startEventReceiver();
  });
  after(async () => {
    await receiver?.close();
    await browser?.close();
    await system?.close();
  });

  /** @param expectedStatuses HTTP errors this page may see (403 from /v1/settings/a2p is how an agent is told apart) */
  async function signIn(
    key: string,
    viewport?: { width: number; height: number },
    expectedStatuses: number[] = [403],
  ): Promise<Page> {
    const page = await browser.newPage(viewport);
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
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
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    return page;
  }

  async function openEventEndpoints(
    key: string,
    viewport?: { width: number; height: number },
    expectedStatuses?: number[],
  ): Promise<Page> {
    const page = await signIn(key, viewport, expectedStatuses);
    await page.getByRole('link', { name: 'Event endpoints' }).click();
    await page.getByRole('heading', { name: 'Event endpoints', level: 1 }).waitFor();
    return page;
  }

  /** The deliveries rows of an endpoint's card as [event type, status, last answer]. */
  async function deliveryRows(card: Locator): Promise<string[][]> {
    return card
      .locator('tr[data-webhook-id]')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.getAttribute('data-event-type') ?? '',
          row.getAttribute('data-delivery-status') ?? '',
          row.querySelector('[data-last-answer]')?.textContent ?? '',
        ]),
      );
  }

  it('registers an endpoint, shows its secret once, marks it failing with its deliveries refused (500), and healthy once they are delivered', async () => {
    receiver.answer = () => 500;
    const page = await openEventEndpoints(account.adminKey);
    await page.getByText('No event endpoints yet.').waitFor();

    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description (optional)').fill('CRM under test');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = page.getByRole('group', { name: 'Signing secret, shown once' });
    const secret = await secretBox.getByLabel('Signing secret').inputValue();
    receiver.secrets = [secret];
    const card = page.locator('article[data-endpoint-id]').filter({ hasText: receiver.url });
    await card.locator('[data-health="healthy"]').first().waitFor();
    await browser.screenshot(page, '11-event-endpoint-added');
    const secretNote = await secretBox.textContent();
    const [listed] = (await apiOk(system, 'GET', '/v1/event-endpoints', account.adminKey)).endpoints;

    // An agent queues a text to a new lead: its opt-in and the held text are events, pushed to the endpoint.
    await apiOk(system, 'POST', '/v1/messages', account.agentKey, {
      leadId: 'lead-console-events',
      phone: system.newLeadPhone(),
      body: 'Hello from Acme',
    });
    await card.locator('p[data-health="failing"]').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    await card.locator('tr[data-delivery-status="pending"][data-status-code="500"]').first().waitFor();
    const failingText = await card.locator('p[data-health]').textContent();
    const failures = Number(await card.locator('p[data-health]').getAttribute('data-consecutive-failures'));
    const whileFailing = await deliveryRows(card);
    await browser.screenshot(page, '12-event-endpoint-failing');
    // Nothing has failed for good yet (that takes 25 hours of retries): the button says so and changes nothing.
    await card.getByRole('button', { name: 'Replay failed' }).click();
    await card.getByText('No failed deliveries to replay.').waitFor();

    receiver.answer = () => 204;
    await card.locator('p[data-health="healthy"]').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    const afterRecovery = await waitFor(
      'every delivery shown as delivered',
      async () => {
        const rows = await deliveryRows(card);
        return rows.length >= whileFailing.length && rows.every(([, status]) => status === 'delivered')
          ? rows
          : undefined;
      },
      DELIVERY_TIMEOUT_MS,
    );
    await browser.screenshot(page, '13-event-endpoint-healthy');
    const narrow = await openEventEndpoints(account.adminKey, { width: 375, height: 812 });
    await narrow.locator('article[data-endpoint-id] tr[data-webhook-id]').first().waitFor();
    const overflow = await narrow
      .locator('html')
      .evaluate((html) => html.scrollWidth - (html.ownerDocument.defaultView?.innerWidth ?? html.clientWidth));
    await browser.screenshot(narrow, '13b-event-endpoints-375px');
    await narrow.close();

    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.match(secretNote ?? '', /Shown only now: it cannot be shown again/);
    assert.equal(listed.url, receiver.url);
    assert.equal(listed.description, 'CRM under test');
    assert.equal(JSON.stringify(listed).includes(secret), false, 'the list never carries the secret');
    assert.match(failingText ?? '', /^failing since .+: \d+ failed attempts in a row\./);
    assert.ok(failures >= 3, `${failures} failures in a row`);
    assert.ok(
      whileFailing.some(([type, status, answer]) => type && status === 'pending' && answer === 'HTTP 500'),
      JSON.stringify(whileFailing),
    );
    assert.ok(
      afterRecovery.every(([, , answer]) => answer === 'HTTP 204'),
      JSON.stringify(afterRecovery),
    );
    assert.ok(afterRecovery.some(([type]) => type === 'lead.consent.changed'));
    for (const attempt of receiver.attempts) assert.equal(attempt.verifiedWith, 0, 'signed with the shown secret');
    assert.ok(receiver.attempts.some((attempt) => attempt.answered === 500));
    assert.ok(overflow <= 0, `the Event endpoints view is ${overflow} px wider than a 375 px screen`);
    await page.close();
  });

  it('replays failed deliveries, all at once and one by one, rotates the secret and deletes the endpoint after a confirmation', async () => {
    // A poll that listed the endpoint just before the delete may find its deliveries gone (404); the view skips it.
    const page = await openEventEndpoints(account.adminKey, undefined, [403, 404]);
    const card = page.locator('article[data-endpoint-id]').filter({ hasText: receiver.url });
    await card.locator('tr[data-delivery-status="delivered"]').first().waitFor();
    const endpointId = (await card.getAttribute('data-endpoint-id'))!;
    const { deliveries } = await apiOk(
      system,
      'GET',
      `/v1/event-endpoints/${endpointId}/deliveries?limit=3`,
      account.adminKey,
    );
    const [one, two] = deliveries.map((d: { webhookId: string }) => d.webhookId) as string[];
    // A delivery fails for good only after 25 hours of retries; its row is what the delivery workflow leaves then.
    await system.db
      .knex('event_deliveries as d')
      .where('d.endpoint_id', endpointId)
      .whereIn('d.event_id', system.db.knex('crm_events').whereIn('webhook_id', [one!, two!]).select('id'))
      .update({ status: 'failed', delivered_at: null, last_status_code: 500, last_error: 'answered 500' });
    const row = (webhookId: string) => card.locator(`tr[data-webhook-id="${webhookId}"]`);
    await row(one!).locator('[data-status="failed"]').waitFor();
    await row(two!).locator('[data-status="failed"]').waitFor();
    await browser.screenshot(page, '14-event-deliveries-failed');
    const acknowledgedBefore = receiver.acknowledged().length;

    await row(one!)
      .getByRole('button', { name: /^Replay / })
      .click();
    await card.getByText(`Event ${one} is queued again.`).waitFor();
    await row(one!).locator('[data-status="delivered"]').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    await card.getByRole('button', { name: 'Replay failed' }).click();
    await card.getByText('1 failed delivery is queued again.').waitFor();
    await row(two!).locator('[data-status="delivered"]').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    const replayedTo = receiver
      .acknowledged()
      .slice(acknowledgedBefore)
      .map((attempt) => attempt.webhookId)
      .filter((id) => id === one || id === two);

    await card.getByRole('button', { name: 'Rotate secret' }).click();
    const rotatedBox = card.getByRole('group', { name: 'Signing secret, shown once' });
    const rotated = await rotatedBox.getByLabel('Signing secret').inputValue();
    const rotatedNote = await rotatedBox.textContent();
    await browser.screenshot(page, '15-event-endpoint-rotated');
    await rotatedBox.getByRole('button', { name: 'Done: hide the secret' }).click();
    const secretsShownAfterDone = await page.locator('[data-secret]').count();

    await card.getByRole('button', { name: 'Delete…' }).click();
    await card.getByRole('group', { name: `Delete ${receiver.url}?` }).waitFor();
    await card.getByRole('button', { name: 'Keep it' }).click();
    const keptAfterCancel = (await apiOk(system, 'GET', '/v1/event-endpoints', account.adminKey)).endpoints.length;
    await card.getByRole('button', { name: 'Delete…' }).click();
    await card.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText(`Deleted ${receiver.url}`).waitFor();
    await page.getByText('No event endpoints yet.').waitFor();

    assert.deepEqual(replayedTo, [one, two], 'each replayed event reached the receiver again, under its webhook-id');
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, receiver.secrets[0]);
    assert.match(rotatedNote ?? '', /Shown only now/);
    assert.match(rotatedNote ?? '', /signed with the old secret too/);
    assert.equal(secretsShownAfterDone, 0);
    assert.equal(keptAfterCancel, 1, '"Keep it" deletes nothing');
    const after = await system.api('GET', `/v1/event-endpoints/${endpointId}`, { key: account.adminKey });
    assert.equal(after.status, 404);
    await page.close();
  });

  it('keeps the view from agents: no link, and an "admins only" note without calling the API', async () => {
    const page = await signIn(account.agentKey);
    const links = await page.getByRole('link', { name: 'Event endpoints' }).count();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/event-endpoints')) requests.push(request.url());
    });
    await page.evaluate("location.hash = '#/event-endpoints'");
    await page.locator('[data-admins-only]').waitFor();
    await browser.screenshot(page, '17-event-endpoints-agent');

    assert.equal(links, 0);
    assert.match((await page.locator('[data-admins-only]').textContent()) ?? '', /^Admins only/);
    assert.deepEqual(requests, []);
    const refused = await system.api('GET', '/v1/event-endpoints', { key: account.agentKey });
    assert.equal(refused.status, 403);
    await page.close();
  });

  it('ran every page without a script error or a Content-Security-Policy violation', () => {
    assert.deepEqual(pageProblems, []);
  });
});
