import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  createSmsConsentClient,
  verifyEvent,
  WebhookVerificationError,
  type CrmEvent,
  type CrmEventOf,
  type SmsConsentClient,
} from '../../clients/typescript/src';
import type { CrmEvent as CatalogueEvent } from '../../src/events/event-catalogue';
import { CLIENT_SCHEMA_PATH, generateClientSchema } from '../../src/scripts/generate-client';
import { waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

/*
 * The typed client in clients/typescript: its generated schema is the API's OpenAPI document of today, and the
 * README's quickstart (queue a text, reply START, read consent and history) works through it against the real
 * system, as does verifying a pushed event's signature.
 */

// The client's event types, generated from the OpenAPI document, are the catalogue's (src/events/event-catalogue.ts):
// each must be assignable to the other, or this file does not compile.
const _clientToCatalogue = (event: CrmEvent): CatalogueEvent => event;
const _catalogueToClient = (event: CatalogueEvent): CrmEvent => event;

describe('the typed client (clients/typescript)', () => {
  it('has the schema.d.ts that npm run client:generate writes for the current OpenAPI document', async () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', CLIENT_SCHEMA_PATH), 'utf8');
    const fresh = await generateClientSchema();
    const committedLines = committed.split('\n');
    const freshLines = fresh.split('\n');
    let line = 0;
    while (line < Math.max(committedLines.length, freshLines.length) && committedLines[line] === freshLines[line]) {
      line += 1;
    }
    assert.ok(
      committed === fresh,
      `${CLIENT_SCHEMA_PATH} is stale from line ${line + 1} (the API changed): run npm run client:generate\n` +
        `committed: ${committedLines[line]?.slice(0, 300)}\nfresh:     ${freshLines[line]?.slice(0, 300)}`,
    );
  });

  describe('against the running system', () => {
    let system: TestSystem;
    let account: TestAccount;
    let agent: SmsConsentClient;
    let admin: SmsConsentClient;
    startSystemPerFile((started) => {
      ({ system, account } = started);
      agent = createSmsConsentClient({ baseUrl: system.apiUrl, apiKey: account.agentKey });
      admin = createSmsConsentClient({ baseUrl: system.apiUrl, apiKey: account.adminKey });
    });

    it('drives the quickstart: queue a text, START releases it, consent and history read back', async () => {
      const phone = system.newLeadPhone();

      const queued = await agent.POST('/v1/messages', {
        body: { leadId: 'lead-client-1', phone, body: 'Hello from Demo' },
      });

      assert.equal(queued.response.status, 202, JSON.stringify(queued.error));
      assert.equal(queued.data?.status, 'held');
      assert.equal(queued.data?.optIn, 'sent');
      const reply = await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
      assert.equal(reply.status, 200);
      const consent = await waitFor('the lead accepted', async () => {
        const { data } = await agent.GET('/v1/leads/{leadId}/consent', {
          params: { path: { leadId: 'lead-client-1' } },
        });
        return data?.status === 'accepted' ? data : undefined;
      });
      assert.equal(consent.phone, phone);
      assert.ok(consent.events.some((e) => e.eventType === 'opted_in' && e.rawText === 'START'));
      const history = await waitFor('the held text delivered', async () => {
        const { data } = await agent.GET('/v1/leads/{leadId}/messages', {
          params: { path: { leadId: 'lead-client-1' } },
        });
        return data?.messages.some((m) => m.kind === 'lead' && m.status === 'delivered') ? data : undefined;
      });
      assert.equal(history.optIn, 'accepted');
      const lead = history.messages.filter((m) => m.kind === 'lead');
      assert.equal(lead.length, 1);
      assert.match(lead[0]!.body, /^Hello from Demo\n/);
    });

    it('answers an error status as `error`, without throwing', async () => {
      const stranger = createSmsConsentClient({ baseUrl: system.apiUrl, apiKey: 'sk_not_a_key' });

      const { data, error, response } = await stranger.GET('/v1/leads/{leadId}/consent', {
        params: { path: { leadId: 'lead-client-1' } },
      });

      assert.equal(response.status, 401);
      assert.equal(data, undefined);
      assert.equal(typeof error?.message, 'string');
    });

    it('registers an event endpoint; verifyEvent accepts a real delivery and refuses a tampered one', async () => {
      const receiver = await startRawReceiver();
      try {
        const created = await admin.POST('/v1/event-endpoints', {
          body: { url: receiver.url, description: 'typed client test' },
        });
        assert.equal(created.response.status, 201, JSON.stringify(created.error));
        const endpoint = created.data!;
        assert.match(endpoint.secret, /^whsec_/);
        const phone = system.newLeadPhone();

        await agent.POST('/v1/messages', { body: { leadId: 'lead-client-2', phone, body: 'Hi from the CRM' } });

        const delivery = await waitFor(
          'the opt-in sent event',
          () =>
            receiver.deliveries.find((d) => {
              const event = JSON.parse(d.rawBody) as CrmEvent;
              return event.type === 'lead.consent.changed' && event.data.leadId === 'lead-client-2';
            }),
          60_000,
        );
        const event = verifyEvent(delivery.rawBody, delivery.headers, endpoint.secret);
        if (event.type !== 'lead.consent.changed') assert.fail(`unexpected event ${event.type}`);
        const consent: CrmEventOf<'lead.consent.changed'> = event;
        assert.deepEqual(
          [consent.data.phone, consent.data.previousStatus, consent.data.status],
          [phone, 'not_sent', 'sent'],
        );
        // A Fetch Headers object works too, and during a rotation any of the secrets does.
        const fetchHeaders = new Headers(
          Object.entries(delivery.headers).flatMap(([name, value]) =>
            typeof value === 'string' ? [[name, value]] : [],
          ),
        );
        const otherSecret = `whsec_${Buffer.from('not the endpoint secret').toString('base64')}`;
        assert.equal(
          verifyEvent(delivery.rawBody, fetchHeaders, [otherSecret, endpoint.secret]).type,
          'lead.consent.changed',
        );

        const tampered = JSON.stringify({ ...consent, data: { ...consent.data, status: 'accepted' } });
        assert.throws(() => verifyEvent(tampered, delivery.headers, endpoint.secret), WebhookVerificationError);
        assert.throws(() => verifyEvent(delivery.rawBody, delivery.headers, otherSecret), WebhookVerificationError);
        const { ['webhook-signature']: _signature, ...unsigned } = delivery.headers;
        assert.throws(() => verifyEvent(delivery.rawBody, unsigned, endpoint.secret), WebhookVerificationError);

        const removed = await admin.DELETE('/v1/event-endpoints/{endpointId}', {
          params: { path: { endpointId: endpoint.id } },
        });
        assert.equal(removed.response.status, 204);
      } finally {
        await receiver.close();
      }
    });
  });
});

interface RawDelivery {
  rawBody: string;
  headers: IncomingHttpHeaders;
}

/** A CRM endpoint that keeps each delivery's body byte for byte and its headers, and acknowledges it. */
async function startRawReceiver(): Promise<{ url: string; deliveries: RawDelivery[]; close(): Promise<void> }> {
  const deliveries: RawDelivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
