import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Auth } from '@vonage/auth';
import { SMS } from '@vonage/messages';
import { Vonage } from '@vonage/server-sdk';
import express from 'express';
import { SignJWT } from 'jose';
import { createSandbox, type Sandbox, type SandboxListener } from '../../src/sandbox/sandbox';
import {
  singleAccountSecrets,
  verifyWebhookSignature,
  type WebhookSignatureResult,
} from '../../src/vonage/webhook-signature';

const API_KEY = 'sandbox-test-key';
const API_SECRET = 'sandbox-test-secret';
const SIGNATURE_SECRET = 'sandbox-test-signature-secret-0123';
const OUR_NUMBER = '14155550100';

interface ReceivedWebhook {
  path: string;
  body: Record<string, unknown>;
  signature: WebhookSignatureResult;
}

/** Stands in for our service's webhooks: verifies every callback and answers with the queued statuses, then 200. */
class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly answers: number[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    const app = express();
    app.post('/webhooks/vonage/:kind', express.raw({ type: '*/*' }), async (req, res) => {
      const rawBody = req.body as Buffer;
      const signature = await verifyWebhookSignature({
        authorization: req.headers.authorization,
        rawBody,
        secrets: singleAccountSecrets(SIGNATURE_SECRET),
        maxAgeSeconds: 300,
      });
      this.received.push({ path: req.path, body: JSON.parse(rawBody.toString('utf8')), signature });
      res.status(this.answers.shift() ?? 200).end();
    });
    this.server = createServer(app);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  forMessage(messageUuid: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.body.message_uuid === messageUuid);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for webhooks');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

let nextNumber = 0;
/** A fresh 11-digit number per call, so no test reads another's messages. */
function uniqueNumber(prefix = '1415'): string {
  nextNumber += 1;
  const suffixLength = 11 - prefix.length;
  return `${prefix}${String((Date.now() * 1000 + nextNumber) % 10 ** suffixLength).padStart(suffixLength, '0')}`;
}

function httpStatusOf(error: unknown): number | undefined {
  const response = (error as { response?: { status?: unknown } }).response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

describe('sandbox', () => {
  const receiver = new WebhookReceiver();
  let sandbox: Sandbox;
  let listener: SandboxListener;
  let vonage: Vonage;

  function sendSms(params: { to: string; text?: string; clientRef?: string }, client = vonage) {
    return client.messages.send(
      new SMS({
        channel: 'sms',
        messageType: 'text',
        from: OUR_NUMBER,
        text: params.text ?? 'Hello',
        to: params.to,
        clientRef: params.clientRef,
      }),
    );
  }

  function clientWith(options: { apiSecret?: string; timeout?: number } = {}): Vonage {
    return new Vonage(new Auth({ apiKey: API_KEY, apiSecret: options.apiSecret ?? API_SECRET }), {
      apiHost: listener.url,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    });
  }

  before(async () => {
    const webhookBaseUrl = await receiver.start();
    sandbox = createSandbox({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signatureSecret: SIGNATURE_SECRET,
      webhookBaseUrl,
      statusDelayMs: 5,
    });
    listener = await sandbox.listen(0, '127.0.0.1');
    vonage = clientWith();
  });

  beforeEach(() => {
    sandbox.reset();
    receiver.answers.length = 0;
  });

  after(async () => {
    await listener.close();
    await receiver.stop();
  });

  it('records a send and returns its message UUID when the credentials are right', async () => {
    const to = uniqueNumber();

    const { messageUUID } = await sendSms({ to, text: 'Reply YES to get updates', clientRef: 'ref-1' });

    assert.match(messageUUID, /^[0-9a-f-]{36}$/);
    const [message, ...others] = sandbox.sent({ to: `+${to}` });
    assert.equal(others.length, 0);
    assert.deepEqual(
      { ...message, receivedAt: undefined },
      {
        messageUuid: messageUUID,
        to,
        from: OUR_NUMBER,
        text: 'Reply YES to get updates',
        clientRef: 'ref-1',
        receivedAt: undefined,
      },
    );
  });

  it('answers 401 when the API secret is wrong', async () => {
    const to = uniqueNumber();

    await assert.rejects(sendSms({ to }, clientWith({ apiSecret: 'wrong-secret' })), (error) => {
      assert.equal(httpStatusOf(error), 401);
      return true;
    });

    assert.equal(sandbox.sent({ to }).length, 0);
  });

  it('answers 401 with a problem body when there is no or a malformed Authorization header', async () => {
    for (const authorization of [undefined, 'Bearer not-a-jwt', 'Token abc']) {
      const response = await fetch(`${listener.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ channel: 'sms', message_type: 'text', to: uniqueNumber(), from: OUR_NUMBER, text: 'x' }),
      });

      assert.equal(response.status, 401, String(authorization));
      const problem = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(problem).sort(), ['detail', 'instance', 'title', 'type']);
    }
  });

  it('accepts a well-formed bearer JWT', async () => {
    const jwt = await new SignJWT({ application_id: 'app' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(new TextEncoder().encode('any-key-will-do'));
    const to = uniqueNumber();

    const response = await fetch(`${listener.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ channel: 'sms', message_type: 'text', to, from: OUR_NUMBER, text: 'x' }),
    });

    assert.equal(response.status, 202);
    assert.equal(sandbox.sent({ to }).length, 1);
  });

  it('answers 422 with code 1430 naming the field when to is not a Vonage-format number', async () => {
    for (const to of [`+${uniqueNumber()}`, '12345', 'not-a-number', uniqueNumber('13055559')]) {
      await assert.rejects(sendSms({ to }), (error) => {
        assert.equal(httpStatusOf(error), 422, to);
        return true;
      });
    }

    const response = await fetch(`${listener.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${API_KEY}:${API_SECRET}`)}` },
      body: JSON.stringify({ channel: 'sms', message_type: 'text', to: '+14155550123', from: OUR_NUMBER, text: 'x' }),
    });
    const problem = (await response.json()) as { type: string; title: string; detail: string };
    assert.equal(problem.type, 'https://developer.vonage.com/api-errors/messages#1430');
    assert.equal(problem.title, 'Invalid recipient');
    assert.match(problem.detail, /`to`/);
    assert.equal(sandbox.sent().length, 0);
  });

  it('answers 422 when the text is empty or too long, or client_ref too long', async () => {
    const cases = [{ text: '' }, { text: 'x'.repeat(1001) }, { clientRef: 'r'.repeat(101) }];

    for (const params of cases) {
      await assert.rejects(sendSms({ to: uniqueNumber(), ...params }), (error) => httpStatusOf(error) === 422);
    }

    assert.equal(sandbox.sent().length, 0);
  });

  it('posts signed submitted and delivered callbacks carrying the client_ref', async () => {
    const to = uniqueNumber();

    const { messageUUID } = await sendSms({ to, clientRef: 'contact-42' });
    await receiver.waitFor(() => receiver.forMessage(messageUUID).length === 2);

    const callbacks = receiver.forMessage(messageUUID);
    assert.deepEqual(
      callbacks.map((callback) => callback.body.status),
      ['submitted', 'delivered'],
    );
    for (const callback of callbacks) {
      assert.equal(callback.path, '/webhooks/vonage/status');
      assert.equal(callback.signature.ok, true);
      assert.ok(callback.signature.ok && callback.signature.claims.api_key === API_KEY);
      assert.equal(callback.body.client_ref, 'contact-42');
      assert.equal(callback.body.to, to);
      assert.equal(callback.body.from, OUR_NUMBER);
      assert.equal(callback.body.channel, 'sms');
      assert.deepEqual(callback.body.sms, { count_total: '1' });
      assert.ok(callback.body.usage);
      assert.ok(!Number.isNaN(Date.parse(String(callback.body.timestamp))));
    }
  });

  it('retries a status callback when our webhook answers 5xx', async () => {
    receiver.answers.push(503, 500);
    const to = uniqueNumber();

    const { messageUUID } = await sendSms({ to });
    await receiver.waitFor(() => receiver.forMessage(messageUUID).length === 4);

    assert.deepEqual(
      receiver.forMessage(messageUUID).map((callback) => callback.body.status),
      ['submitted', 'submitted', 'submitted', 'delivered'],
    );
  });

  it('posts a rejected callback with error 1240 when the recipient is opted out at the carrier', async () => {
    const to = uniqueNumber('13055550');

    const { messageUUID } = await sendSms({ to, clientRef: 'contact-7' });
    await receiver.waitFor(() => receiver.forMessage(messageUUID).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const [callback, ...others] = receiver.forMessage(messageUUID);
    assert.equal(others.length, 0);
    assert.equal(callback?.signature.ok, true);
    assert.equal(callback?.body.status, 'rejected');
    assert.equal(callback?.body.client_ref, 'contact-7');
    const error = callback?.body.error as Record<string, unknown>;
    assert.equal(error.type, 'https://developer.vonage.com/api-errors/messages#1240');
    assert.equal(error.title, '1240');
    assert.match(String(error.detail), /^Illegal Number/);
    assert.equal(typeof error.instance, 'string');
  });

  it('answers 429 and records nothing while the http429 fault lasts', async () => {
    sandbox.setFault({ mode: 'http429', remaining: 2 });
    const to = uniqueNumber();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      await assert.rejects(sendSms({ to }), (error) => httpStatusOf(error) === 429);
    }
    assert.equal(sandbox.sent({ to }).length, 0);

    await sendSms({ to });
    assert.equal(sandbox.sent({ to }).length, 1);
  });

  it('answers 500 and records nothing while the http500 fault is set', async () => {
    sandbox.setFault({ mode: 'http500' });
    const to = uniqueNumber();

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await assert.rejects(sendSms({ to }), (error) => httpStatusOf(error) === 500);
    }

    assert.equal(sandbox.sent({ to }).length, 0);
  });

  it('never answers and records nothing when the timeout fault is set', async () => {
    sandbox.setFault({ mode: 'timeout', delayMs: 1_000, remaining: 1 });
    const to = uniqueNumber();
    const startedAt = Date.now();

    await assert.rejects(sendSms({ to }, clientWith({ timeout: 150 })), (error: Error) => error.name === 'AbortError');

    assert.ok(Date.now() - startedAt < 900);
    assert.equal(sandbox.sent({ to }).length, 0);
  });

  it('drops the connection after delayMs when the timeout fault is set and the caller waits', async () => {
    sandbox.setFault({ mode: 'timeout', delayMs: 100 });
    const to = uniqueNumber();

    await assert.rejects(sendSms({ to }), (error: Error) => httpStatusOf(error) === undefined);

    assert.equal(sandbox.sent({ to }).length, 0);
  });

  it('answers late but records the message when the slow fault is set', async () => {
    sandbox.setFault({ mode: 'slow', delayMs: 200 });
    const to = uniqueNumber();
    const startedAt = Date.now();

    const { messageUUID } = await sendSms({ to });

    assert.ok(Date.now() - startedAt >= 190);
    assert.equal(sandbox.sent({ to })[0]?.messageUuid, messageUUID);
  });

  it('still records a slow message when the caller gave up waiting', async () => {
    sandbox.setFault({ mode: 'slow', delayMs: 200, remaining: 1 });
    const to = uniqueNumber();

    await assert.rejects(sendSms({ to }, clientWith({ timeout: 50 })), (error: Error) => error.name === 'AbortError');
    await new Promise((resolve) => setTimeout(resolve, 300));

    assert.equal(sandbox.sent({ to }).length, 1);
  });

  it('posts a signed inbound webhook and returns our status when reply() is called', async () => {
    receiver.answers.push(204);
    const lead = uniqueNumber();

    const { status, messageUuid } = await sandbox.reply({ from: `+${lead}`, to: OUR_NUMBER, text: 'stop please' });

    assert.equal(status, 204);
    const [inbound, ...others] = receiver.forMessage(messageUuid);
    assert.equal(others.length, 0);
    assert.equal(inbound?.path, '/webhooks/vonage/inbound');
    assert.equal(inbound?.signature.ok, true);
    assert.equal(inbound?.body.channel, 'sms');
    assert.equal(inbound?.body.message_type, 'text');
    assert.equal(inbound?.body.from, lead);
    assert.equal(inbound?.body.to, OUR_NUMBER);
    assert.equal(inbound?.body.text, 'stop please');
    assert.deepEqual(inbound?.body.sms, { num_messages: '1', total_count: '1', keyword: 'STOP' });
    assert.ok(inbound?.body.usage);
    assert.ok(inbound?.body.origin);
    assert.ok(!Number.isNaN(Date.parse(String(inbound?.body.timestamp))));
  });

  it('does not retry reply() and keeps the given message UUID', async () => {
    receiver.answers.push(500);

    const result = await sandbox.reply({
      from: uniqueNumber(),
      to: OUR_NUMBER,
      text: 'YES',
      messageUuid: 'fixed-uuid-1',
    });

    assert.deepEqual(result, { status: 500, messageUuid: 'fixed-uuid-1' });
    assert.equal(receiver.forMessage('fixed-uuid-1').length, 1);
  });

  it('serves the control routes', async () => {
    const to = uniqueNumber();
    const control = (path: string, body?: unknown) =>
      fetch(`${listener.url}/_sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    assert.deepEqual(await (await control('health')).json(), { status: 'ok' });
    await sendSms({ to, text: 'first' });
    await sendSms({ to, text: 'second' });
    const listed = (await (await control(`messages?to=${to}`)).json()) as { text: string }[];
    assert.deepEqual(
      listed.map((message) => message.text),
      ['first', 'second'],
    );

    assert.equal((await control('fault', { mode: 'http500', remaining: 1 })).status, 200);
    await assert.rejects(sendSms({ to }), (error) => httpStatusOf(error) === 500);
    assert.equal((await control('fault', { mode: 'http500' })).status, 200);
    assert.equal((await control('fault', { mode: null })).status, 200);
    await sendSms({ to });
    assert.equal((await control('fault', { mode: 'explode' })).status, 400);

    const replied = (await (await control('reply', { from: uniqueNumber(), to: OUR_NUMBER, text: 'HELP' })).json()) as {
      status: number;
      messageUuid: string;
    };
    assert.equal(replied.status, 200);
    assert.equal(receiver.forMessage(replied.messageUuid).length, 1);
    assert.equal((await control('reply', { from: 'x', to: OUR_NUMBER, text: 'HELP' })).status, 400);

    assert.equal((await control('reset', {})).status, 204);
    assert.deepEqual(await (await control('messages')).json(), []);
  });

  it('skips callbacks when no webhook base URL is set', async () => {
    const quiet = createSandbox({ apiKey: API_KEY, apiSecret: API_SECRET, signatureSecret: SIGNATURE_SECRET });
    const quietListener = await quiet.listen(0);
    const client = new Vonage(new Auth({ apiKey: API_KEY, apiSecret: API_SECRET }), { apiHost: quietListener.url });
    const to = uniqueNumber();

    try {
      const { messageUUID } = await sendSms({ to }, client);
      await new Promise((resolve) => setTimeout(resolve, 100));

      assert.equal(quiet.sent({ to }).length, 1);
      assert.equal(receiver.forMessage(messageUUID).length, 0);
      await assert.rejects(quiet.reply({ from: uniqueNumber(), to: OUR_NUMBER, text: 'hi' }), /no webhook base URL/);
    } finally {
      await quietListener.close();
    }
  });
});
