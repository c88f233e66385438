import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';
import { inboundBody, postWebhook } from '../support/webhooks';

describe('log redaction over a full run', () => {
  const lines: string[] = [];
  let system: TestSystem;
  let account: TestAccount;
  let worker: ChildProcess | undefined;

  before(async () => {
    system = await startSystem({ inProcessWorker: false, onLogLine: (line) => lines.push(line) });
    account = await system.createAccount();
    worker = system.spawnWorker({ logLevel: 'debug', onOutput: (line) => lines.push(line) });
  });
  after(async () => {
    worker?.kill('SIGKILL');
    await system?.close();
  });

  it('never logs a phone number or a message body, while logging every request and activity attempt', async () => {
    const phone = system.newLeadPhone();
    const secretBody = 'Zanzibar-7731 private text';
    const secretReply = 'Quixotic-4412 reply text';

    await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-logs', phone, body: secretBody },
    });
    await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-logs', phone: `${phone}x`, body: secretBody },
    });
    await system.api('GET', `/v1/do-not-contact?phone=${encodeURIComponent(phone)}`, { key: account.agentKey });
    await postWebhook(
      system.apiUrl,
      '/webhooks/vonage/inbound',
      inboundBody({ from: phone, to: account.senderNumber, text: secretReply }),
    );
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'HELP' });
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('released', () => system.sandbox.sent({ to: phone }).some((m) => m.text.startsWith(secretBody)));
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'STOP' });
    await waitFor('confirmation', () => system.sandbox.sent({ to: phone }).some((m) => /unsubscribed/.test(m.text)));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const digits = phone.replace(/\D/g, '');
    const national = digits.slice(1);
    const offending = lines.filter(
      (line) =>
        line.includes(national) || line.includes(secretBody) || line.includes(secretReply) || line.includes('Zanzibar'),
    );
    assert.deepEqual(offending, [], 'a log line reveals a number or a text');
    const requestLines = lines.filter((line) => line.includes('"reqId"') || line.includes('"req":'));
    assert.ok(requestLines.length >= 6, `one line per request (found ${requestLines.length})`);
    const attempts = lines.filter((line) => line.includes('"msg":"activity attempt"'));
    assert.ok(attempts.length >= 5, `one line per activity attempt (found ${attempts.length})`);
    assert.ok(
      attempts.every((line) => /"workflowId":"smsConsent:/.test(line)),
      'activity lines carry the workflow id',
    );
  });
});
