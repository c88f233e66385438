import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FOOTER, MAX_BODY_LENGTH, MAX_SENT_TEXT_LENGTH, withFooter } from '../../src/consent/footer';
import { startSystem, type TestAccount, type TestSystem } from '../support/system';

describe('POST /v1/messages text length', () => {
  let system: TestSystem;
  let account: TestAccount;

  before(async () => {
    system = await startSystem();
    await system.startInProcessWorker();
    account = await system.createAccount();
  });
  after(async () => {
    await system?.close();
  });

  async function messageRows(leadId: string): Promise<number> {
    const [row] = await system.db
      .knex('messages')
      .where({ account_id: account.accountId, lead_id: leadId })
      .count<{ count: string }[]>('* as count');
    return Number(row!.count);
  }

  function queue(leadId: string, body: Record<string, unknown>) {
    return system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId, phone: system.newLeadPhone(), ...body },
    });
  }

  it('keeps the limit at what fits in one Vonage SMS text once the footer is added', () => {
    assert.equal(MAX_BODY_LENGTH, MAX_SENT_TEXT_LENGTH - 1 - FOOTER.length);
    assert.equal(withFooter('x'.repeat(MAX_BODY_LENGTH)).length, MAX_SENT_TEXT_LENGTH);
  });

  it('queues a body when it is exactly at the limit', async () => {
    const answer = await queue('lead-at-limit', { body: 'a'.repeat(MAX_BODY_LENGTH) });

    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  });

  it('refuses with 400 naming the limit, and queues nothing, when the body is one character over', async () => {
    const answer = await queue('lead-over-limit', { body: 'a'.repeat(MAX_BODY_LENGTH + 1) });

    assert.equal(answer.status, 400);
    assert.match(JSON.stringify(answer.body), new RegExp(`longer than ${MAX_BODY_LENGTH} characters`));
    assert.equal(await messageRows('lead-over-limit'), 0);
  });

  it('checks a template after its variables are filled in', async () => {
    const template = await system.api('POST', '/v1/templates', {
      key: account.adminKey,
      body: { name: 'Long note', body: 'Note: {{first}}{{second}}' },
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const first = 'n'.repeat(500);
    const second = 'm'.repeat(MAX_BODY_LENGTH - 'Note: '.length - first.length);
    const templateId = template.body.templateId as string;

    const atLimit = await queue('lead-tpl-at-limit', { templateId, variables: { first, second } });
    const over = await queue('lead-tpl-over', { templateId, variables: { first, second: `${second}m` } });

    assert.equal(atLimit.status, 202, JSON.stringify(atLimit.body));
    assert.equal(over.status, 400);
    assert.match(JSON.stringify(over.body), /text_too_long/);
    assert.match(JSON.stringify(over.body), new RegExp(`longer than ${MAX_BODY_LENGTH} characters`));
    assert.equal(await messageRows('lead-tpl-over'), 0);
  });

  it('refuses a field longer than its documented maxLength even when it would fit once trimmed', async () => {
    // Found by the contract test: 41 characters that trim to 40 were accepted although the document says 40.
    const keyword = ` ${'K'.repeat(40)}`;
    const template = ` ${'t'.repeat(100)}`;

    const tooLongKeyword = await system.api('PUT', '/v1/settings/messaging', {
      key: account.adminKey,
      body: { keywords: { optIn: [keyword] } },
    });
    const tooLongName = await system.api('POST', '/v1/templates', {
      key: account.adminKey,
      body: { name: template, body: 'Hello' },
    });
    const paddedLeadId = await queue(' lead-padded', { body: 'hi' });

    assert.equal(tooLongKeyword.status, 400, JSON.stringify(tooLongKeyword.body));
    assert.equal(tooLongName.status, 400, JSON.stringify(tooLongName.body));
    assert.equal(paddedLeadId.status, 400, JSON.stringify(paddedLeadId.body));
  });
});
