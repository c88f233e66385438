import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FOOTER } from '../../src/consent/footer';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';
import { postWebhook } from '../support/webhooks';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('compliance rules through the API', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  const queue = (leadId: string, phone: string, body: string, key = account.agentKey) =>
    system.api('POST', '/v1/messages', { key, body: { leadId, phone, body } });
  const sentTo = (phone: string) => system.sandbox.sent({ to: phone });

  it('answers HELP with the account HELP reply, also for a number that opted out', async () => {
    const phone = system.newLeadPhone();
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitFor('opt-out confirmation', () => sentTo(phone).length === 1);

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'help' });

    const help = await waitFor('HELP reply', () => sentTo(phone).find((m) => /for help/i.test(m.text)));
    assert.match(help.text, /Acme Realty/);
    assert.match(help.text, /Msg & data rates may apply/);
    assert.match(help.text, /STOP/);
    assert.ok(help.text.endsWith(FOOTER));
  });

  it('re-subscribes on START after STOP: accepted, off Do Not Contact, confirmation sent, cancelled stay cancelled', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-resub', phone, 'will be cancelled');
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'Stop texting me please' });
    await waitFor('opt-out confirmation', () => sentTo(phone).some((m) => /unsubscribed/.test(m.text)));
    const beforeStart = sentTo(phone).length;

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });

    const confirmation = await waitFor('opt-in confirmation', () =>
      sentTo(phone)
        .slice(beforeStart)
        .find((m) => /subscribed to texts/.test(m.text)),
    );
    assert.ok(confirmation.text.endsWith(FOOTER));
    const consent = await system.api('GET', '/v1/leads/lead-resub/consent', { key: account.agentKey });
    assert.equal(consent.body.status, 'accepted');
    assert.equal(consent.body.isOnDoNotContact, false);
    const types = consent.body.events.map((e: { eventType: string }) => e.eventType);
    assert.ok(
      types.includes('opted_out') && types.includes('resubscribed') && types.includes('do_not_contact_removed'),
    );
    const history = await system.api('GET', '/v1/leads/lead-resub/messages', { key: account.agentKey });
    const cancelled = history.body.messages.find((m: { body: string }) => m.body.startsWith('will be cancelled'));
    assert.equal(cancelled.status, 'cancelled');
    await pause(300);
    assert.ok(!sentTo(phone).some((m) => m.text.startsWith('will be cancelled')), 'a cancelled text never goes out');
    const now = await queue('lead-resub', phone, 'after resubscribe');
    assert.equal(now.body.status, 'sent');
  });

  it('sends a duplicate lead its own opt-in even after the number accepted for another lead', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-dupe-a', phone, 'for lead A');
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'YES' });
    await waitFor('lead A text', () => sentTo(phone).some((m) => m.text.startsWith('for lead A')));
    const before = sentTo(phone).length;

    const second = await queue('lead-dupe-b', phone, 'for lead B');

    assert.equal(second.body.status, 'held');
    assert.equal(second.body.optIn, 'sent');
    const next = sentTo(phone).slice(before);
    assert.equal(next.length, 1);
    assert.match(next[0]!.text, /Reply START/);
  });

  it('answers every waiting lead on the number with one START', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-multi-a', phone, 'multi A');
    await queue('lead-multi-b', phone, 'multi B');

    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'start' });

    await waitFor('both released', () => {
      const texts = sentTo(phone).map((m) => m.text);
      return texts.some((t) => t.startsWith('multi A')) && texts.some((t) => t.startsWith('multi B'));
    });
    for (const lead of ['lead-multi-a', 'lead-multi-b']) {
      const consent = await system.api('GET', `/v1/leads/${lead}/consent`, { key: account.agentKey });
      assert.equal(consent.body.status, 'accepted');
    }
  });

  it('sends nothing for an account that is not A2P verified, and works once an admin verifies it', async () => {
    const unverified = await system.createAccount({ a2pStatus: 'pending' });
    const phone = system.newLeadPhone();

    const first = await queue('lead-a2p', phone, 'hello', unverified.agentKey);

    assert.equal(first.body.status, 'failed');
    assert.equal(first.body.optIn, 'not_sent');
    assert.equal(first.body.reason, 'a2p_not_verified');
    assert.equal(sentTo(phone).length, 0);
    const consent = await system.api('GET', '/v1/leads/lead-a2p/consent', { key: unverified.agentKey });
    assert.equal(consent.body.status, 'not_sent');
    assert.equal(consent.body.reason, 'a2p_not_verified');
    const agentTry = await system.api('PUT', '/v1/settings/a2p', {
      key: unverified.agentKey,
      body: { status: 'verified' },
    });
    assert.equal(agentTry.status, 403);
    const verify = await system.api('PUT', '/v1/settings/a2p', {
      key: unverified.adminKey,
      body: { status: 'verified' },
    });
    assert.equal(verify.status, 200);
    const second = await queue('lead-a2p', phone, 'hello again', unverified.agentKey);
    assert.equal(second.body.status, 'held');
    assert.equal(second.body.optIn, 'sent');
    assert.equal(sentTo(phone).length, 1);
  });

  it('lets only admins change the opt-in template, validates it, and records the change with the key', async () => {
    const read = await system.api('GET', '/v1/settings/opt-in-template', { key: account.agentKey });
    assert.equal(read.status, 200);
    assert.ok(read.body.preview.text.endsWith(FOOTER));

    const byAgent = await system.api('PUT', '/v1/settings/opt-in-template', {
      key: account.agentKey,
      body: { template: 'Acme: reply START to opt in. Msg & data rates may apply.' },
    });
    const noStart = await system.api('PUT', '/v1/settings/opt-in-template', {
      key: account.adminKey,
      body: { template: 'Acme: we would like to text you. Msg & data rates may apply.' },
    });
    const empty = await system.api('PUT', '/v1/settings/opt-in-template', {
      key: account.adminKey,
      body: { template: '  ' },
    });
    const tooLong = await system.api('PUT', '/v1/settings/opt-in-template', {
      key: account.adminKey,
      body: { template: `Reply START. Msg & data rates may apply. ${'x'.repeat(500)}` },
    });
    const good = await system.api('PUT', '/v1/settings/opt-in-template', {
      key: account.adminKey,
      body: { template: 'Acme Realty: reply START to get texts about your home search. Msg & data rates may apply.' },
    });

    assert.equal(byAgent.status, 403);
    assert.equal(noStart.status, 400);
    assert.match(noStart.body.message, /START/);
    assert.equal(empty.status, 400);
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.message, /segments/);
    assert.equal(good.status, 200);
    const ledger = await system.db
      .knex('consent_events')
      .where({ account_id: account.accountId, event_type: 'template_changed' })
      .orderBy('id', 'desc')
      .first();
    assert.equal(ledger.details.setting, 'opt-in-template');
    assert.match(ledger.details.next, /home search/);
    assert.ok(ledger.actor, 'the key that changed it');
    const phone = system.newLeadPhone();
    await queue('lead-new-template', phone, 'hi');
    assert.match(sentTo(phone)[0]!.text, /home search/);
  });

  it('fills SMS templates per send and refuses a missing variable with 400 and nothing queued', async () => {
    const created = await system.api('POST', '/v1/templates', {
      key: account.adminKey,
      body: { name: 'Showing', body: 'Hi {{firstName}}, your showing at {{address}} is confirmed.' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.variables, ['firstName', 'address']);
    const agentCreate = await system.api('POST', '/v1/templates', {
      key: account.agentKey,
      body: { name: 'x', body: 'y' },
    });
    assert.equal(agentCreate.status, 403);
    const phone = system.newLeadPhone();

    const missing = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-tpl', phone, templateId: created.body.templateId, variables: { firstName: 'Dana' } },
    });
    const filled = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: {
        leadId: 'lead-tpl',
        phone,
        templateId: created.body.templateId,
        variables: { firstName: 'Dana', address: '12 Elm St' },
      },
    });

    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /address/);
    assert.equal(filled.status, 202);
    const history = await system.api('GET', '/v1/leads/lead-tpl/messages', { key: account.agentKey });
    const leadTexts = history.body.messages.filter((m: { kind: string }) => m.kind === 'lead');
    assert.equal(leadTexts.length, 1, 'the refused send left nothing behind');
    assert.equal(leadTexts[0].body, `Hi Dana, your showing at 12 Elm St is confirmed.\n${FOOTER}`);
    const list = await system.api('GET', '/v1/templates', { key: account.agentKey });
    assert.equal(list.body.templates.length, 1);
    const removed = await system.api('DELETE', `/v1/templates/${created.body.templateId}`, { key: account.adminKey });
    assert.equal(removed.status, 204);
  });

  it('blocks a number added to Do Not Contact by email, cancels its held texts, and lets an admin remove it with a reason', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-dnc', phone, 'held then cancelled');

    const added = await system.api('POST', '/v1/do-not-contact', {
      key: account.agentKey,
      body: { phone, source: 'email', reason: 'asked by email' },
    });

    assert.equal(added.status, 201);
    assert.equal(added.body.source, 'email');
    await waitFor('held text cancelled', async () => {
      const h = await system.api('GET', '/v1/leads/lead-dnc/messages', { key: account.agentKey });
      return h.body.messages.some(
        (m: { body: string; status: string }) => m.body.startsWith('held then') && m.status === 'cancelled',
      );
    });
    const blocked = await queue('lead-dnc', phone, 'blocked');
    assert.equal(blocked.body.status, 'blocked');
    const listing = await system.api('GET', '/v1/do-not-contact?limit=10', { key: account.agentKey });
    assert.ok(listing.body.items.some((e: { phone: string }) => e.phone === phone));
    const agentDelete = await system.api('DELETE', '/v1/do-not-contact', {
      key: account.agentKey,
      body: { phone, reason: 'mistake' },
    });
    assert.equal(agentDelete.status, 403);
    const noReason = await system.api('DELETE', '/v1/do-not-contact', { key: account.adminKey, body: { phone } });
    assert.equal(noReason.status, 400);
    const removed = await system.api('DELETE', '/v1/do-not-contact', {
      key: account.adminKey,
      body: { phone, reason: 'entered for the wrong lead' },
    });
    assert.equal(removed.status, 204);
    const before = sentTo(phone).length;
    const fresh = await waitFor('lead reset to a fresh opt-in', async () => {
      const r = await queue('lead-dnc', phone, 'after removal');
      return r.body.status === 'held' ? r : undefined;
    });
    assert.equal(fresh.body.optIn, 'sent');
    assert.match(sentTo(phone).slice(before)[0]!.text, /reply START/i);
  });

  it('imports a CSV suppression list in one transaction, lists bad rows, and reports progress', async () => {
    const phones = Array.from({ length: 1200 }, (_, i) => `+1917555${String(i).padStart(4, '0')}`);
    const good = ['phone,source,reason', ...phones.map((p) => `${p},web,legacy list`)].join('\n');
    const withBad = `${good}\nnot-a-phone,web,x\n+19175550001,carrier-pigeon,x`;

    const refused = await fetch(`${system.apiUrl}/v1/do-not-contact/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.adminKey}`, 'content-type': 'text/csv' },
      body: withBad,
    });
    const refusedBody = (await refused.json()) as any;
    const countAfterRefusal = await system.db
      .knex('do_not_contact')
      .where({ account_id: account.accountId })
      .whereLike('phone', '+1917555%')
      .count<{ count: string }[]>('* as count');
    const imported = await fetch(`${system.apiUrl}/v1/do-not-contact/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${account.adminKey}`,
        'content-type': 'text/csv',
        accept: 'application/x-ndjson',
      },
      body: good,
    });
    const lines = (await imported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

    assert.equal(refused.status, 422);
    assert.equal(refusedBody.details.badRows.length, 2);
    assert.equal(Number(countAfterRefusal[0]!.count), 0, 'nothing half-imported');
    assert.equal(imported.status, 200);
    assert.ok(lines.filter((l) => l.progress !== undefined).length >= 3, 'progress per batch');
    assert.equal(lines.at(-1).done, true);
    assert.equal(lines.at(-1).added, 1200);
    const check = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phones[600]!)}`, {
      key: account.agentKey,
    });
    assert.equal(check.body.isOnDoNotContact, true);
    assert.equal(check.body.entry.source, 'web');
    const blocked = await queue('lead-imported', phones[700]!, 'hello');
    assert.equal(blocked.body.status, 'blocked');
    assert.equal(sentTo(phones[700]!).length, 0);
  });

  it("exports a number's full consent history as JSON lines, attributing the STOP to the last text sent", async () => {
    const phone = system.newLeadPhone();
    await queue('lead-export', phone, 'exported');
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('released', () => sentTo(phone).some((m) => m.text.startsWith('exported')));
    await pause(200);
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'QUIT' });

    const response = await fetch(`${system.apiUrl}/v1/consent-events/export?phone=${encodeURIComponent(phone)}`, {
      headers: { authorization: `Bearer ${account.agentKey}` },
    });

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /ndjson/);
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const types = events.map((e) => e.eventType);
    assert.ok(types.includes('opt_in_sent') && types.includes('opted_in') && types.includes('opted_out'));
    const optInSent = events.find((e) => e.eventType === 'opt_in_sent');
    assert.match(optInSent.optInText, /Reply START|reply START/);
    const stop = events.find((e) => e.eventType === 'opted_out' && e.leadId === null);
    assert.equal(stop.rawText, 'QUIT');
    assert.ok(stop.providerMessageId);
    const lastSent = await system.db.knex('messages').where({ id: stop.messageId }).first();
    assert.ok(
      lastSent.body.startsWith('exported') || /subscribed/.test(lastSent.body),
      'the STOP points at a text we sent',
    );
  });

  it('moves texts to delivered on receipts and puts a carrier opt-out on Do Not Contact', async () => {
    const optedOutAtCarrier = `+1305555${String(Math.floor(Math.random() * 1000)).padStart(4, '0')}`;

    const queued = await queue('lead-carrier', optedOutAtCarrier, 'hi');

    assert.equal(queued.body.optIn, 'sent');
    await waitFor('carrier opt-out applied', async () => {
      const r = await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(optedOutAtCarrier)}`, {
        key: account.agentKey,
      });
      return r.body.isOnDoNotContact && r.body.entry.source === 'carrier';
    });
    const consent = await waitFor('lead rejected', async () => {
      const c = await system.api('GET', '/v1/leads/lead-carrier/consent', { key: account.agentKey });
      return c.body.status === 'rejected' ? c : undefined;
    });
    assert.equal(consent.body.isOnDoNotContact, true);
    const history = await waitFor('the held text cancelled', async () => {
      const h = await system.api('GET', '/v1/leads/lead-carrier/messages', { key: account.agentKey });
      const lead = h.body.messages.find((m: { kind: string }) => m.kind === 'lead');
      return lead?.status === 'cancelled' || lead?.status === 'failed' ? h : undefined;
    });
    const optIn = history.body.messages.find((m: { kind: string }) => m.kind === 'opt_in');
    assert.equal(optIn.status, 'failed');
  });

  it('ignores a stale or reordered receipt: a delivered text never goes back to sent', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-receipt', phone, 'x');
    const optIn = await waitFor('opt-in delivered', async () =>
      system.db
        .knex('messages')
        .where({ account_id: account.accountId, phone, kind: 'opt_in', status: 'delivered' })
        .first(),
    );

    const late = await postWebhook(system.apiUrl, '/webhooks/vonage/status', {
      message_uuid: optIn.provider_message_id,
      to: phone.slice(1),
      from: account.senderNumber.slice(1),
      timestamp: new Date().toISOString(),
      status: 'submitted',
      channel: 'sms',
    });

    assert.equal(late.status, 200);
    const row = await system.db.knex('messages').where({ id: optIn.id }).first();
    assert.equal(row.status, 'delivered');
  });

  it('expires held texts after the account hold limit', async () => {
    const shortHold = await system.createAccount({ holdLimitSeconds: 2 });
    const phone = system.newLeadPhone();

    const queued = await queue('lead-expiry', phone, 'will expire', shortHold.agentKey);

    assert.equal(queued.body.status, 'held');
    await waitFor(
      'expired',
      async () => {
        const h = await system.api('GET', '/v1/leads/lead-expiry/messages', { key: shortHold.agentKey });
        return h.body.messages.some(
          (m: { kind: string; status: string }) => m.kind === 'lead' && m.status === 'expired',
        );
      },
      20_000,
    );
    await system.sandbox.reply({ from: phone, to: shortHold.senderNumber, text: 'START' });
    await waitFor('opt-in confirmation', () => sentTo(phone).some((m) => /subscribed to texts/.test(m.text)));
    await pause(300);
    assert.ok(!sentTo(phone).some((m) => m.text.startsWith('will expire')), 'an expired text never goes out');
  });

  it('shows both directions in order in the text history', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-history', phone, 'outbound one');
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'Who is this?' });
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('released', () => sentTo(phone).some((m) => m.text.startsWith('outbound one')));

    const history = await system.api('GET', '/v1/leads/lead-history/messages', { key: account.agentKey });

    const sequence = history.body.messages.map((m: { direction: string; kind: string }) => `${m.direction}:${m.kind}`);
    assert.deepEqual(sequence, [
      'outbound:lead',
      'outbound:opt_in',
      'inbound:inbound',
      'inbound:inbound',
      'outbound:opt_in_confirmation',
    ]);
  });
});
