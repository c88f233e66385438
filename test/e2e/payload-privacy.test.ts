import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { phoneKeyOf } from '../../src/phone';
import { getConsentStateQuery, smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import {
  PHONE_HASH_KEY,
  startSystem,
  TEMPORAL_UI_URL,
  waitFor,
  type TestAccount,
  type TestSystem,
} from '../support/system';
import { temporalCliPath } from '../support/temporal-cli';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromBase64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** Every payload in a history JSON, with the path it sits at. */
function payloadsOf(value: unknown, at = ''): { at: string; payload: JsonPayload }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => payloadsOf(item, `${at}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  const here =
    typeof (object.metadata as Record<string, unknown> | undefined)?.encoding === 'string'
      ? [{ at, payload: object as JsonPayload }]
      : [];
  return [...here, ...Object.entries(object).flatMap(([key, child]) => payloadsOf(child, `${at}/${key}`))];
}

/** The history as text, plus every payload's metadata and data decoded from base64: what a reader of it can see. */
function readableText(history: string): string {
  const decoded = payloadsOf(JSON.parse(history)).flatMap(({ payload }) => [
    ...Object.values(payload.metadata ?? {}).map(fromBase64),
    fromBase64(payload.data ?? ''),
  ]);
  return [history, ...decoded].join('\n');
}

describe('payload privacy in Temporal', () => {
  let system: TestSystem;
  let account: TestAccount;
  const phone = () => flow.phone;
  const flow = {
    phone: '',
    body: `Quillfeather Lane keys are under the mat ${randomUUID().slice(0, 8)}`,
    workflowId: '',
  };

  /** `temporal workflow show` as an operator with the CLI runs it; `codec` adds the codec endpoint and a key. */
  const showHistory = async (codec?: { key: string }): Promise<string> => {
    const { TEMPORAL_CODEC_ENDPOINT: _endpoint, TEMPORAL_CODEC_AUTH: _auth, ...env } = process.env;
    const args = ['workflow', 'show', '--address', system.env.address, '--workflow-id', flow.workflowId];
    const codecArgs = codec
      ? ['--codec-endpoint', `${system.apiUrl}/v1/codec`, '--codec-auth', `Bearer ${codec.key}`]
      : [];
    const { stdout } = await promisify(execFile)(
      temporalCliPath(),
      [...args, '--namespace', system.env.namespace ?? 'default', '--output', 'json', ...codecArgs],
      { env, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  };
  const codecCall = (route: string, options: { key?: string; body?: unknown; method?: string } = {}) =>
    fetch(`${system.apiUrl}${route}`, {
      method: options.method ?? 'POST',
      headers: {
        origin: new URL(TEMPORAL_UI_URL).origin,
        'x-namespace': system.env.namespace ?? 'default',
        'content-type': 'application/json',
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });

  before(async () => {
    system = await startSystem();
    account = await system.createAccount();
    flow.phone = system.newLeadPhone();
    flow.workflowId = smsConsentWorkflowId(account.accountId, phoneKeyOf(flow.phone, PHONE_HASH_KEY));

    const queued = await system.api('POST', '/v1/messages', {
      key: account.agentKey,
      body: { leadId: 'lead-privacy-1', phone: phone(), body: flow.body },
    });
    assert.equal(queued.body.status, 'held', JSON.stringify(queued.body));
    await system.sandbox.reply({ from: phone(), to: account.senderNumber, text: 'START' });
    await waitFor('the held text released', () =>
      system.sandbox.sent({ to: phone() }).some((m) => m.text.startsWith(flow.body)),
    );
    await system.sandbox.reply({ from: phone(), to: account.senderNumber, text: 'STOP' });
    await waitFor('the number opted out in the workflow', async () => {
      const state = await system.client.workflow.getHandle(flow.workflowId).query(getConsentStateQuery);
      return state.isOptedOut;
    });
  });
  after(async () => {
    await system?.close();
  });

  it('keeps the phone number and the text out of the raw history when read without the codec', async () => {
    const history = await showHistory();
    const readable = readableText(history);
    // Search attributes must stay searchable, and the SDK writes two kinds of marker data itself, past the codec: a
    // patch marker's (the patch id) and a local activity marker's (its sequence number, attempt, activity type and
    // times; the activity's result is a separate, encrypted payload). Neither holds personal data: they are
    // readable by design, and the text checks below still cover them.
    const payloads = payloadsOf(JSON.parse(history)).filter(
      ({ at }) =>
        !at.includes('/searchAttributes/') &&
        !at.includes('/markerRecordedEventAttributes/details/patch-data/') &&
        !at.includes('/markerRecordedEventAttributes/details/data/'),
    );

    assert.ok(payloads.length >= 5, `only ${payloads.length} payloads in the history`);
    for (const { at, payload } of payloads) {
      assert.equal(fromBase64(payload.metadata!.encoding!), 'binary/encrypted', at);
    }
    assert.ok(!readable.includes(phone().slice(2)), 'the phone number is in the raw history');
    assert.ok(!readable.includes(flow.body), 'the text is in the raw history');
    assert.ok(!readable.includes('Quillfeather'), 'part of the text is in the raw history');
  });

  it('still serves the lead end to end through the API and the codec client when payloads are encrypted', async () => {
    const history = await system.api('GET', '/v1/leads/lead-privacy-1/messages', { key: account.agentKey });
    const state = await system.client.workflow.getHandle(flow.workflowId).query(getConsentStateQuery);

    assert.equal(history.status, 200);
    assert.equal(history.body.optIn, 'rejected');
    assert.ok(history.body.messages.some((m: { body: string }) => m.body.startsWith(flow.body)));
    assert.equal(state.isOptedOut, true);
    await assert.rejects(
      system.env.client.workflow.getHandle(flow.workflowId).query(getConsentStateQuery),
      /binary\/encrypted/,
      'a client without the codec cannot read the answer',
    );
  });

  it('decrypts the history for the Temporal CLI when an admin key is presented', async () => {
    const readable = readableText(await showHistory({ key: account.operatorKey! }));

    assert.ok(readable.includes(phone()), 'the decoded history shows the number');
    assert.ok(readable.includes(flow.body), 'the decoded history shows the text');
  });

  it('decodes payloads of the raw history for an admin key and refuses agents and callers without a key', async () => {
    const payloads = payloadsOf(JSON.parse(await showHistory()))
      .filter(({ at }) => !at.includes('/searchAttributes/'))
      .map(({ payload }) => payload);

    const asAdmin = await codecCall('/v1/codec/decode', { key: account.operatorKey!, body: { payloads } });
    const asAgent = await codecCall('/v1/codec/decode', { key: account.agentKey, body: { payloads } });
    const asTenantAdmin = await codecCall('/v1/codec/decode', { key: account.adminKey, body: { payloads } });
    const anonymous = await codecCall('/v1/codec/decode', { body: { payloads } });

    assert.equal(asAdmin.status, 200);
    assert.equal(asAdmin.headers.get('access-control-allow-origin'), new URL(TEMPORAL_UI_URL).origin);
    const decoded = ((await asAdmin.json()) as { payloads: JsonPayload[] }).payloads;
    assert.equal(decoded.length, payloads.length);
    const clear = decoded.map((payload) => fromBase64(payload.data ?? '')).join('\n');
    assert.ok(clear.includes(phone()) && clear.includes(flow.body));
    assert.ok(decoded.every((payload) => fromBase64(payload.metadata!.encoding!) !== 'binary/encrypted'));
    assert.equal(asAgent.status, 403);
    assert.equal(asTenantAdmin.status, 403, "a tenant's admin cannot decrypt: payloads carry every account's data");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('access-control-allow-origin'), new URL(TEMPORAL_UI_URL).origin);
  });

  it('encodes for an admin key what it then decodes, and answers 400 when a payload was altered', async () => {
    const clear = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'IlNUQVJUIg==' };

    const encoded = await codecCall('/v1/codec/encode', { key: account.operatorKey!, body: { payloads: [clear] } });
    const [encrypted] = ((await encoded.json()) as { payloads: JsonPayload[] }).payloads;
    const roundTrip = await codecCall('/v1/codec/decode', {
      key: account.operatorKey!,
      body: { payloads: [encrypted] },
    });
    const data = Buffer.from(encrypted!.data!, 'base64');
    data[20]! ^= 0x01;
    const altered = await codecCall('/v1/codec/decode', {
      key: account.operatorKey!,
      body: { payloads: [{ ...encrypted, data: data.toString('base64') }] },
    });

    assert.equal(encoded.status, 200);
    assert.equal(fromBase64(encrypted!.metadata!.encoding!), 'binary/encrypted');
    assert.deepEqual(await roundTrip.json(), { payloads: [clear] });
    assert.equal(altered.status, 400);
    assert.match(((await altered.json()) as { message: string }).message, /failed authentication/);
  });

  it("answers the Web UI's CORS preflight without a key", async () => {
    const response = await fetch(`${system.apiUrl}/v1/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: new URL(TEMPORAL_UI_URL).origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });

    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), new URL(TEMPORAL_UI_URL).origin);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    for (const header of ['content-type', 'authorization', 'x-namespace']) assert.ok(allowed.includes(header), header);
  });

  it('decodes for the Web UI with a session cookie opened by an operator key, never by a tenant key', async () => {
    const payloads = payloadsOf(JSON.parse(await showHistory()))
      .filter(({ at }) => !at.includes('/searchAttributes/'))
      .map(({ payload }) => payload)
      .slice(0, 3);
    const open = (apiKey: string) =>
      fetch(`${system.apiUrl}/v1/codec/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ apiKey }).toString(),
      });

    const page = await fetch(`${system.apiUrl}/v1/codec/session`);
    const byAgent = await open(account.agentKey);
    const byTenantAdmin = await open(account.adminKey);
    const byAdmin = await open(account.operatorKey!);
    const cookie = (byAdmin.headers.get('set-cookie') ?? '').split(';')[0]!;
    const decode = (headers: Record<string, string>) =>
      fetch(`${system.apiUrl}/v1/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(TEMPORAL_UI_URL).origin, ...headers },
        body: JSON.stringify({ payloads }),
      });
    const withCookie = await decode({ cookie });
    const withForgedCookie = await decode({ cookie: 'sms_consent_codec=sk_not_a_key' });

    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"/);
    assert.equal(byAgent.status, 401);
    assert.equal(byAgent.headers.get('set-cookie'), null);
    assert.equal(byTenantAdmin.status, 401);
    assert.equal(byAdmin.status, 200);
    assert.match(byAdmin.headers.get('set-cookie') ?? '', /HttpOnly/i);
    assert.match(byAdmin.headers.get('set-cookie') ?? '', /SameSite=Strict/i);
    assert.match(byAdmin.headers.get('set-cookie') ?? '', /Path=\/v1\/codec/);
    assert.equal(withCookie.status, 200);
    const clear = ((await withCookie.json()) as { payloads: JsonPayload[] }).payloads;
    assert.ok(clear.every((payload) => fromBase64(payload.metadata!.encoding!) !== 'binary/encrypted'));
    assert.equal(withForgedCookie.status, 401);
  });

  it('answers a session post it cannot read with the page again and the reason, not JSON', async () => {
    const oversized = await fetch(`${system.apiUrl}/v1/codec/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `apiKey=${'A'.repeat(5000)}`,
    });
    const wrongCharset = await fetch(`${system.apiUrl}/v1/codec/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r' },
      body: 'apiKey=x',
    });

    assert.equal(oversized.status, 413);
    assert.match(oversized.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await oversized.text(), /<p role="alert">That form post is larger than 4 kB/);
    assert.equal(oversized.headers.get('set-cookie'), null);
    assert.equal(wrongCharset.status, 415);
    assert.match(await wrongCharset.text(), /<form method="post"/);
  });
});
