import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseInbound, normaliseStatus } from '../../src/webhooks/vonage-payloads';
import { vonageFixtures } from '../support/vonage-fixtures';

/** The text each published inbound body carries (a caption, a reply title, a button label); every other one has ''. */
const EXPECTED_TEXT: Record<string, string> = {
  'dotnet-messenger-text': 'Nexmo Verification code: 12345.<br />Valid for 10 minutes.',
  'dotnet-mms-file': 'Additional text to accompany the file.',
  'dotnet-mms-image': 'Additional text to accompany the image.',
  'dotnet-mms-text': 'This is sample text.',
  'dotnet-sms': 'Hello From Vonage!',
  'dotnet-viber-text': 'Nexmo Verification code: 12345.<br />Valid for 10 minutes.',
  'dotnet-whatsapp-reply': '9am',
  'dotnet-whatsapp-text': 'Nexmo Verification code: 12345.<br />Valid for 10 minutes.',
  'v0.1-messenger-text': 'Hello from Vonage!',
  'v0.1-sms-text': 'Hello From Vonage!',
  'v0.1-viber-service-msg-text': 'Hello from Vonage!',
  'v0.1-whatsapp-file': 'An important report',
  'v0.1-whatsapp-image': 'My Tabby cat, Oliver.',
  'v0.1-whatsapp-text': 'Hello From Vonage!',
  'v1-messenger-text': 'Hello from Vonage!',
  'v1-mms-file': 'Additional text to accompany the file.',
  'v1-mms-image': 'Additional text to accompany the image.',
  'v1-mms-text': 'This is sample text.',
  'v1-rcs-button': 'Agree',
  'v1-rcs-reply': '9am',
  'v1-rcs-text': 'Inbound message text.',
  'v1-sms': 'Hello From Vonage!',
  'v1-viber-service-text': 'Hello from Vonage!',
  'v1-whatsapp-button': 'sent',
  'v1-whatsapp-reply': '9am',
  'v1-whatsapp-text': 'Hello from Vonage!',
};

const CHANNELS = ['sms', 'mms', 'rcs', 'whatsapp', 'messenger', 'viber_service'];

/** The address of a fixture's end in either format: the v1 string, or the v0.1 object's number (else its id). */
function addressIn(end: unknown): string {
  if (typeof end === 'string') return end;
  const { number, id } = end as { number?: string; id?: string };
  return number ?? id ?? '';
}

describe('vonage payloads', () => {
  const inbound = vonageFixtures('inbound');
  const statuses = vonageFixtures('status');

  it('has a published body for every channel, in both formats', () => {
    const names = inbound.map((fixture) => fixture.name);

    for (const channel of ['sms', 'mms', 'rcs', 'whatsapp', 'messenger', 'viber']) {
      assert.ok(
        names.some((name) => name.startsWith(`v1-${channel}`) || name.startsWith(`dotnet-${channel}`)),
        channel,
      );
    }
    assert.ok(names.some((name) => name.startsWith('v0.1-')));
    assert.ok(statuses.some((fixture) => fixture.name.startsWith('v0.1-')));
  });

  for (const { name, body } of inbound) {
    it(`reads ${name} when it is an inbound body Vonage published`, () => {
      const parsed = normaliseInbound(body);

      assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
      const message = parsed.data;
      assert.equal(message.text, EXPECTED_TEXT[name] ?? '');
      assert.ok(CHANNELS.includes(message.channel), message.channel);
      assert.equal(message.isFromPhone, message.channel !== 'messenger');
      assert.equal(message.format, name.startsWith('v0.1-') ? 'v0.1' : 'v1');
      assert.equal(message.messageUuid, body.message_uuid);
      assert.equal(message.to, addressIn(body.to));
      assert.equal(message.from, addressIn(body.from));
      assert.ok(message.messageType.length > 0);
    });
  }

  for (const { name, body } of statuses) {
    it(`reads ${name} when it is a status body Vonage published`, () => {
      const parsed = normaliseStatus(body);

      assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
      const status = parsed.data;
      assert.equal(status.status, body.status);
      assert.ok(CHANNELS.includes(status.channel), status.channel);
      assert.equal(status.to, addressIn(body.to));
      assert.equal(status.from, addressIn(body.from));
      assert.equal(status.clientRef, body.client_ref);
    });
  }

  it('gives a v0.1 error the v1 names, so the code is read in one place', () => {
    const v01 = statuses.find((fixture) => fixture.name === 'v0.1-sms-delivered')!.body;

    const parsed = normaliseStatus({ ...v01, status: 'rejected', error: { code: 1320, reason: 'Opted out' } });

    assert.ok(parsed.success);
    assert.deepEqual(parsed.data.error, { code: 1320, reason: 'Opted out', title: '1320', detail: 'Opted out' });
  });

  it('drops NULs from the text when a reply carries them', () => {
    const parsed = normaliseInbound({ channel: 'sms', message_uuid: 'u-1', to: '1', from: '2', text: 'ST\u0000OP' });

    assert.ok(parsed.success);
    assert.equal(parsed.data.text, 'STOP');
  });

  it('accepts a status it does not know, and a field of an unexpected type, without refusing the body', () => {
    const parsed = normaliseStatus({ message_uuid: 'u-2', to: '1', from: '2', status: 'lost', timestamp: 7 });

    assert.ok(parsed.success);
    assert.equal(parsed.data.status, undefined);
    assert.equal(parsed.data.reportedStatus, 'lost');
    assert.equal(parsed.data.timestamp, undefined);
  });

  it('refuses a body when it has no message_uuid, to or from', () => {
    const bodies = [
      { channel: 'sms', to: '1', from: '2', text: 'STOP' },
      { channel: 'sms', message_uuid: 'u-3', from: '2', text: 'STOP' },
      { channel: 'sms', message_uuid: 'u-3', to: '1', from: { type: 'sms' }, text: 'STOP' },
      { msisdn: '14155550123', to: '12015550100', messageId: '0A0000000123ABCD1', text: 'STOP' },
    ];

    for (const body of bodies) {
      assert.equal(normaliseInbound(body).success, false, JSON.stringify(body));
    }
  });
});
