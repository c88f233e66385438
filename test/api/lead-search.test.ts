import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { apiOk, waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

/** `+12125550123` as people write it: `(212) 555-0123`. */
const nationalFormat = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

interface Lead {
  leadId: string;
  phone: string;
  status: string;
  reason: string | null;
  updatedAt: string;
}

describe('lead search (GET /v1/leads, GET /v1/do-not-contact/search)', () => {
  let system: TestSystem;
  let account: TestAccount;
  let other: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));
  before(async () => {
    other = await system.createAccount();
  });

  const get = (route: string, key = account.agentKey) => system.api('GET', route, { key });
  const queue = (leadId: string, phone: string, key = account.agentKey) =>
    apiOk(system, 'POST', '/v1/messages', key, { leadId, phone, body: 'Hi, the 3-bed on Elm St is open Saturday.' });
  const optInOf = async (leadId: string) => (await get(`/v1/leads/${leadId}/consent`)).body.status as string;
  const waitForOptIn = (leadId: string, status: string) =>
    waitFor(`${leadId} ${status}`, async () => (await optInOf(leadId)) === status);
  /** Queues a lead's first text and waits until its opt-in went out. */
  const queueUntilOptInSent = async (leadId: string, phone: string) => {
    await queue(leadId, phone);
    await waitForOptIn(leadId, 'sent');
  };
  const leadIds = (leads: Lead[]) => leads.map((lead) => lead.leadId).sort();

  it('lists the recent leads newest first, at most `limit`, when q is empty or blank', async () => {
    for (const leadId of ['recent-1', 'recent-2', 'recent-3']) await queue(leadId, system.newLeadPhone());

    const [all, two, blank] = await Promise.all([get('/v1/leads'), get('/v1/leads?limit=2'), get('/v1/leads?q=%20')]);

    assert.equal(all.status, 200);
    assert.ok(['recent-1', 'recent-2', 'recent-3'].every((id) => leadIds(all.body.leads).includes(id)));
    const times = (all.body.leads as Lead[]).map((lead) => lead.updatedAt);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest change first');
    assert.equal(two.body.leads.length, 2);
    assert.deepEqual(blank.body.leads.length, all.body.leads.length);
  });

  it('finds leads by the start of their ID, taking LIKE wildcards literally, within the account only', async () => {
    await queue('prefix-7-a', system.newLeadPhone());
    await queue('prefix-7-b', system.newLeadPhone());
    await queue('prefix-8-a', system.newLeadPhone());
    await queue('prefix-7-other', system.newLeadPhone(), other.agentKey);

    const [prefix, wildcard, underscore, exact] = await Promise.all([
      get('/v1/leads?q=prefix-7'),
      get('/v1/leads?q=prefix-%25'),
      get('/v1/leads?q=prefix_7'),
      get('/v1/leads?q=prefix-8-a'),
    ]);

    assert.deepEqual(leadIds(prefix.body.leads), ['prefix-7-a', 'prefix-7-b']);
    assert.deepEqual(wildcard.body.leads, []);
    assert.deepEqual(underscore.body.leads, []);
    assert.deepEqual(leadIds(exact.body.leads), ['prefix-8-a']);
    assert.equal(exact.body.leads[0].phone.startsWith('+1'), true);
  });

  it('finds every lead on a number written in any common format', async () => {
    const phone = system.newLeadPhone();
    await queue('by-number-1', phone);
    await queue('by-number-2', phone);
    await queue('by-number-elsewhere', system.newLeadPhone());

    const [national, e164] = await Promise.all([
      get(`/v1/leads?q=${encodeURIComponent(nationalFormat(phone))}`),
      get(`/v1/leads?q=${encodeURIComponent(phone)}`),
    ]);

    assert.deepEqual(leadIds(national.body.leads), ['by-number-1', 'by-number-2']);
    assert.deepEqual(national.body.leads, e164.body.leads);
    assert.ok((national.body.leads as Lead[]).every((lead) => lead.phone === phone));
  });

  it('refuses a q longer than 128 characters or a limit out of range, saying which and why', async () => {
    const [longQ, zeroLimit] = await Promise.all([get(`/v1/leads?q=${'x'.repeat(129)}`), get('/v1/leads?limit=0')]);

    assert.equal(longQ.status, 400);
    assert.deepEqual(longQ.body.details, [
      { path: 'query.q', message: 'q must be at most 128 characters (a lead ID has at most 128)' },
    ]);
    assert.equal(zeroLimit.status, 400);
    assert.deepEqual(zeroLimit.body.details, [
      { path: 'query.limit', message: 'limit must be a whole number from 1 to 200' },
    ]);
  });

  it('shows a number with each of its leads and opt-ins, found by the number or by a lead ID', async () => {
    const phone = system.newLeadPhone();
    await queueUntilOptInSent('dnc-accepted', phone);
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitForOptIn('dnc-accepted', 'accepted');
    await queueUntilOptInSent('dnc-second', phone);

    const [byNumber, byLead, fromOtherAccount] = await Promise.all([
      get(`/v1/do-not-contact/search?q=${encodeURIComponent(nationalFormat(phone))}`),
      get('/v1/do-not-contact/search?q=dnc-second'),
      get(`/v1/do-not-contact/search?q=${encodeURIComponent(phone)}`, other.agentKey),
    ]);

    assert.equal(byNumber.status, 200);
    assert.equal(byNumber.body.query, nationalFormat(phone));
    assert.equal(byNumber.body.numbers.length, 1);
    const [number] = byNumber.body.numbers;
    assert.deepEqual([number.phone, number.isOnDoNotContact, number.entry], [phone, false, undefined]);
    const statuses = Object.fromEntries((number.leads as Lead[]).map((lead) => [lead.leadId, lead.status]));
    assert.deepEqual(statuses, { 'dnc-accepted': 'accepted', 'dnc-second': 'sent' });
    assert.deepEqual(byLead.body.numbers, byNumber.body.numbers);
    assert.deepEqual(fromOtherAccount.body.numbers, [{ phone, isOnDoNotContact: false, leads: [] }]);
  });

  it('shows why and when a number is listed, and its leads rejected, after a STOP', async () => {
    const phone = system.newLeadPhone();
    await queueUntilOptInSent('dnc-stopped', phone);

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitForOptIn('dnc-stopped', 'rejected');

    const answer = await get('/v1/do-not-contact/search?q=dnc-stopped');
    const [number] = answer.body.numbers;
    assert.equal(number.isOnDoNotContact, true);
    assert.equal(number.entry.source, 'sms');
    assert.deepEqual(
      (number.leads as Lead[]).map((lead) => [lead.leadId, lead.status]),
      [['dnc-stopped', 'rejected']],
    );
    const lookup = await get(`/v1/do-not-contact?phone=${encodeURIComponent(phone)}`);
    assert.deepEqual(lookup.body, { phone, isOnDoNotContact: true, entry: number.entry });
  });

  it('answers no numbers for an unknown lead, and a number with no leads as itself', async () => {
    const phone = system.newLeadPhone();
    await queue('other-accounts-lead', system.newLeadPhone(), other.agentKey);

    const [unknown, unused, otherAccountsLead] = await Promise.all([
      get('/v1/do-not-contact/search?q=no-such-lead'),
      get(`/v1/do-not-contact/search?q=${encodeURIComponent(phone)}`),
      get('/v1/do-not-contact/search?q=other-accounts-lead'),
    ]);

    assert.deepEqual(unknown.body, { query: 'no-such-lead', numbers: [] });
    assert.deepEqual(unused.body.numbers, [{ phone, isOnDoNotContact: false, leads: [] }]);
    assert.deepEqual(otherAccountsLead.body.numbers, []);
  });

  it('refuses a missing, blank or overlong q, saying what is wrong', async () => {
    const [missing, blank, long] = await Promise.all([
      get('/v1/do-not-contact/search'),
      get('/v1/do-not-contact/search?q=%20%20'),
      get(`/v1/do-not-contact/search?q=${'1'.repeat(129)}`),
    ]);

    assert.deepEqual(
      [missing, blank, long].map((answer) => [answer.status, answer.body.details]),
      [
        [400, [{ path: 'query.q', message: 'q is required: a phone number or a lead ID' }]],
        [400, [{ path: 'query.q', message: 'q must not be blank' }]],
        [400, [{ path: 'query.q', message: 'q must be at most 128 characters' }]],
      ],
    );
  });
});
