import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';
import { temporalCliPath } from '../support/temporal-cli';

const run = promisify(execFile);

describe('operability', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  /** `temporal workflow list --query …` against the test's dev server, as an operator would type it. */
  async function listWorkflows(query: string): Promise<{ execution: { workflowId: string } }[]> {
    const { stdout } = await run(temporalCliPath(), [
      'workflow',
      'list',
      '--address',
      system.env.address,
      '--namespace',
      'default',
      '--query',
      query,
      '--output',
      'json',
    ]);
    const trimmed = stdout.trim();
    if (!trimmed) return [];
    return trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').map((line) => JSON.parse(line));
  }

  it("finds a lead's workflow by LeadIds and by ConsentStatus with the Temporal CLI", async () => {
    const phone = system.newLeadPhone();
    const leadId = `L-ops-${Date.now()}`;
    await system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body: 'hello' } });

    const byLead = await waitFor('visible by LeadIds', async () => {
      const found = await listWorkflows(`LeadIds = '${leadId}'`);
      return found.length === 1 ? found : undefined;
    });
    const workflowId = byLead[0]!.execution.workflowId;
    assert.ok(!workflowId.includes(phone.slice(2)), 'no phone number in the workflow ID');
    await waitFor('listed as Sent', async () => {
      const sentList = await listWorkflows(`ConsentStatus = 'Sent' AND AccountId = '${account.accountId}'`);
      return sentList.some((w) => w.execution.workflowId === workflowId);
    });
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitFor('listed as Rejected', async () => {
      const rejected = await listWorkflows(`ConsentStatus = 'Rejected' AND AccountId = '${account.accountId}'`);
      return rejected.some((w) => w.execution.workflowId === workflowId);
    });
  });

  it('serves Prometheus metrics with HTTP latency by route, webhook outcomes, texts and consent events', async () => {
    const phone = system.newLeadPhone();
    await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-metrics', phone, body: 'hi' },
    });
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('released', () => system.sandbox.sent({ to: phone }).length >= 3);

    const response = await fetch(`${system.apiUrl}/metrics`);
    const text = await response.text();

    assert.equal(response.status, 200);
    assert.match(text, /sms_consent_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/messages\/"/);
    assert.match(text, /sms_consent_webhooks_total\{webhook="inbound",outcome="accepted_opt_in"\} \d+/);
    assert.match(text, /sms_consent_texts\{direction="outbound",kind="opt_in",status="(sent|delivered)"\} \d+/);
    assert.match(text, /sms_consent_consent_events\{event_type="opted_in"\} \d+/);
    assert.match(text, /sms_consent_held_texts \d+/);
    assert.ok(!text.includes(phone.slice(2)), 'no phone number in metric labels');
  });
});
