import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';

// Quiet hours end to end (docs/quiet-hours.md): the account's window, a lead's explicit zone, texts that wait on
// the number's workflow timer, STOP at night, a window change, and a release across a worker restart. The SDK's
// time-skipping server cannot be downloaded here, so the clock is controlled through the window and the zone: a
// fixed-offset zone (Etc/GMT±N) puts the lead at any local hour we need, and a window that opens a minute or two
// from now stands in for the morning.

/** A fixed-offset IANA zone (no DST) whose local hour is `hour` right now. */
function zoneWhereLocalHourIs(hour: number, now = new Date()): string {
  for (let offset = -12; offset <= 14; offset += 1) {
    if ((now.getUTCHours() + offset + 24) % 24 !== hour) continue;
    // Etc/GMT signs are inverted (POSIX): Etc/GMT-3 is UTC+3.
    return offset === 0 ? 'Etc/UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  }
  throw new Error(`no fixed-offset zone has local hour ${hour}`);
}

/** 'HH:MM' of `date` in a fixed-offset zone. */
function localHhMm(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    date,
  );
}

describe('quiet hours', () => {
  let system: TestSystem;
  let browser: TestBrowser;

  before(async () => {
    system = await startSystem({ isQuietHoursEnforced: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await system?.close();
  });

  const queue = (account: TestAccount, leadId: string, phone: string, body: string, timeZone?: string) =>
    system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId, phone, body, ...(timeZone ? { timeZone } : {}) },
    });
  const reply = (account: TestAccount, phone: string, text: string) =>
    system.sandbox.reply({ from: phone, to: account.senderNumber, text });
  const sentTo = (phone: string) => system.sandbox.sent({ to: phone });
  const setWindow = (account: TestAccount, window: { start: string; end: string; noSendDays?: string[] }) =>
    system.api('PUT', '/v1/settings/sending-window', { key: account.adminKey, body: window });

  /** A lead that accepted in daytime: its own texts are now subject to the window alone. */
  async function acceptedLead(account: TestAccount, leadId: string, timeZone: string): Promise<string> {
    const phone = system.newLeadPhone();
    await queue(account, leadId, phone, `${leadId}: first`, timeZone);
    await reply(account, phone, 'START');
    await waitFor('released', () => sentTo(phone).some((m) => m.text.startsWith(`${leadId}: first`)));
    return phone;
  }

  it('defaults to 08:00-21:00, refuses a wider window with the reason, and lets admins narrow it', async () => {
    const account = await system.createAccount();

    const initial = await system.api('GET', '/v1/settings/sending-window', { key: account.agentKey });
    const wider = await setWindow(account, { start: '07:30', end: '21:00' });
    const crossed = await setWindow(account, { start: '20:00', end: '09:00' });
    const byAgent = await system.api('PUT', '/v1/settings/sending-window', {
      key: account.agentKey,
      body: { start: '09:00', end: '17:00' },
    });
    const narrower = await setWindow(account, { start: '09:00', end: '17:30', noSendDays: ['sun'] });
    const after = await system.api('GET', '/v1/settings/sending-window', { key: account.agentKey });

    assert.deepEqual(initial.body, { start: '08:00', end: '21:00', noSendDays: [] });
    assert.equal(wider.status, 400);
    assert.match(wider.body.message, /wider than 08:00.21:00.*47 CFR 64\.1200\(c\)\(1\)/);
    assert.equal(crossed.status, 400);
    assert.equal(byAgent.status, 403);
    assert.equal(narrower.status, 200, JSON.stringify(narrower.body));
    assert.deepEqual(after.body, { start: '09:00', end: '17:30', noSendDays: ['sun'] });
  });

  it('refuses a time zone that is not IANA with a 400 that says so', async () => {
    const account = await system.createAccount();

    const response = await queue(account, 'lead-bad-zone', system.newLeadPhone(), 'hi', 'Mars/Olympus_Mons');

    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body), /IANA time zone/);
  });

  it('schedules a text queued at night, shows it with sendAt, and a STOP cancels it with an immediate confirmation', async () => {
    const account = await system.createAccount();
    const day = zoneWhereLocalHourIs(12);
    const night = zoneWhereLocalHourIs(3);
    const phone = await acceptedLead(account, 'lead-night', day);

    const queued = await queue(account, 'lead-night', phone, 'lead-night: at 3 a.m.', night);
    const history = await system.api('GET', '/v1/leads/lead-night/messages', { key: account.agentKey });
    const sentBeforeStop = sentTo(phone).length;
    await reply(account, phone, 'STOP');
    const confirmation = await waitFor('opt-out confirmation at night', () =>
      sentTo(phone)
        .slice(sentBeforeStop)
        .find((m) => /unsubscribed/.test(m.text)),
    );

    assert.equal(queued.status, 202);
    assert.equal(queued.body.status, 'scheduled');
    const sendAt = new Date(queued.body.sendAt);
    assert.ok(sendAt.getTime() > Date.now(), 'sendAt is in the future');
    assert.equal(localHhMm(sendAt, night), '08:00', 'it goes out when the window opens in the lead zone');
    const shown = history.body.messages.find((m: { messageId: string }) => m.messageId === queued.body.messageId);
    assert.equal(shown.status, 'scheduled');
    assert.equal(shown.sendAt, queued.body.sendAt);
    assert.ok(confirmation, 'the confirmation is an answer: it goes out at any hour');
    const cancelled = await waitFor('cancelled', async () => {
      const view = await system.api('GET', '/v1/leads/lead-night/messages', { key: account.agentKey });
      const text = view.body.messages.find((m: { messageId: string }) => m.messageId === queued.body.messageId);
      return text.status === 'cancelled' ? text : undefined;
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(!sentTo(phone).some((m) => m.text.startsWith('lead-night: at 3 a.m.')));
  });

  it('sends the texts queued outside the window in order, exactly once, when it opens, across a worker restart', async () => {
    const account = await system.createAccount();
    const zone = zoneWhereLocalHourIs(11);
    const phone = await acceptedLead(account, 'lead-morning', zone);
    // The window opens in 60-120 s: our stand-in for the next morning.
    const opensAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 120_000);
    const setting = await setWindow(account, { start: localHhMm(opensAt, zone), end: '21:00' });
    assert.equal(setting.status, 200, JSON.stringify(setting.body));

    const first = await queue(account, 'lead-morning', phone, 'lead-morning: one');
    const second = await queue(account, 'lead-morning', phone, 'lead-morning: two');
    await system.stopInProcessWorker();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await system.startInProcessWorker();
    const released = await waitFor(
      'released when the window opens',
      () => {
        const texts = sentTo(phone).filter((m) => /^lead-morning: (one|two)/.test(m.text));
        return texts.length >= 2 ? texts : undefined;
      },
      180_000,
    );

    assert.equal(first.body.status, 'scheduled');
    assert.equal(second.body.status, 'scheduled');
    assert.equal(new Date(first.body.sendAt).getTime(), opensAt.getTime());
    assert.deepEqual(
      released.map((m) => m.text.split('\n')[0]),
      ['lead-morning: one', 'lead-morning: two'],
    );
    assert.ok(Date.now() >= opensAt.getTime(), 'nothing went out before the window opened');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(sentTo(phone).filter((m) => /^lead-morning: (one|two)/.test(m.text)).length, 2, 'exactly once');
  });

  it('re-plans waiting texts when the window changes: a wider window sends them now', async () => {
    const account = await system.createAccount();
    const zone = zoneWhereLocalHourIs(12);
    const phone = await acceptedLead(account, 'lead-replan', zone);
    // Open only in the evening: a midday text waits for it.
    await setWindow(account, { start: '18:00', end: '21:00' });

    const queued = await queue(account, 'lead-replan', phone, 'lead-replan: waiting');
    const widened = await setWindow(account, { start: '08:00', end: '21:00' });
    const sent = await waitFor('sent after the window widened', () =>
      sentTo(phone).find((m) => m.text.startsWith('lead-replan: waiting')),
    );

    assert.equal(queued.body.status, 'scheduled');
    assert.equal(localHhMm(new Date(queued.body.sendAt), zone), '18:00');
    assert.equal(widened.body.replanned, 1);
    assert.ok(sent);
  });

  it('schedules a new lead opt-in for the window and holds its text behind it', async () => {
    const account = await system.createAccount();
    const night = zoneWhereLocalHourIs(23);
    const phone = system.newLeadPhone();

    const first = await queue(account, 'lead-new-night', phone, 'lead-new-night: one', night);
    const second = await queue(account, 'lead-new-night', phone, 'lead-new-night: two', night);

    assert.equal(first.body.status, 'held');
    assert.equal(first.body.optIn, 'not_sent');
    assert.equal(localHhMm(new Date(first.body.sendAt), night), '08:00');
    assert.equal(second.body.sendAt, first.body.sendAt, 'one opt-in, not two');
    assert.equal(sentTo(phone).length, 0, 'not even the opt-in goes out at night');
    const consent = await system.api('GET', '/v1/leads/lead-new-night/consent', { key: account.agentKey });
    assert.equal(consent.body.reason, 'outside_sending_window');

    // The console's Lead Details shows the waiting opt-in as scheduled, with when it goes out.
    const page = await browser.newPage();
    await page.goto(`${system.apiUrl}/`);
    await page.getByLabel('API key').fill(account.agentKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    await page.goto(`${system.apiUrl}/#/leads/lead-new-night`);
    const scheduled = page.locator('.conversation [data-kind="opt_in"] [data-send-at]');
    await scheduled.waitFor();
    assert.equal(await scheduled.getAttribute('data-send-at'), first.body.sendAt);
    await browser.screenshot(page, 'quiet-hours-lead-details-scheduled');
    await page.close();
  });
});
