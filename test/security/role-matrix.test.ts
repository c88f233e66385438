import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { payloadToJSON } from '@temporalio/common/lib/proto-utils';
import { OPERATIONS } from '../../src/openapi';
import type { OperationSpec } from '../../src/openapi/operation-spec';
import { phoneKeyOf } from '../../src/phone';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { apiOk, PHONE_HASH_KEY, startSystem, waitFor, type TestAccount, type TestSystem } from '../support/system';
import { send, type Answer, type RawRequest } from './harness';

type Role = 'admin' | 'agent' | 'none' | 'bad';
type Tenant = 'own' | 'other';

/** One request of a matrix cell and what an allowed caller must get back. */
interface Case {
  name: string;
  /** Path parameters, query string and body; built fresh for each cell (some create a resource to change). */
  request(): Promise<
    Omit<RawRequest, 'method' | 'path' | 'key'> & { params?: Record<string, string>; query?: Record<string, string> }
  >;
  expect(answer: Answer): void;
}

/** For each operation: the cases of a caller of account B against B's own resources and against A's. */
type Probes = Record<string, Record<Tenant, Case[]>>;

const ROLES: Role[] = ['admin', 'agent', 'none', 'bad'];
const TENANTS: Tenant[] = ['own', 'other'];

/** Every row account A owns, in a stable order, to compare before and after the matrix. */
async function snapshotOf(system: TestSystem, accountId: string) {
  const knex = system.db.knex;
  const [
    account,
    apiKeys,
    leads,
    messages,
    events,
    doNotContact,
    templates,
    webhookEvents,
    eventEndpoints,
    crmEvents,
    eventDeliveries,
  ] = await Promise.all([
    knex('accounts').where({ id: accountId }),
    knex('api_keys').where({ account_id: accountId }).orderBy('id'),
    knex('lead_consents').where({ account_id: accountId }).orderBy(['lead_id', 'phone']),
    knex('messages').where({ account_id: accountId }).orderBy('id'),
    knex('consent_events').where({ account_id: accountId }).orderBy('id'),
    knex('do_not_contact').where({ account_id: accountId }).orderBy('phone'),
    knex('sms_templates').where({ account_id: accountId }).orderBy('id'),
    knex('webhook_events').where({ account_id: accountId }).orderBy(['kind', 'provider_message_id']),
    // Whole rows, health columns included: A's endpoint is seeded once A's other rows have settled, so no event of
    // A's is delivered (or retried) in the background and every column must stay put (see `before`).
    knex('event_endpoints').where({ account_id: accountId }).orderBy('id'),
    knex('crm_events').where({ account_id: accountId }).orderBy('id'),
    knex('event_deliveries as d')
      .join('event_endpoints as p', 'p.id', 'd.endpoint_id')
      .where('p.account_id', accountId)
      .orderBy(['d.endpoint_id', 'd.event_id'])
      .select('d.*'),
  ]);
  return JSON.parse(
    JSON.stringify({
      account,
      apiKeys,
      leads,
      messages,
      events,
      doNotContact,
      templates,
      webhookEvents,
      eventEndpoints,
      crmEvents,
      eventDeliveries,
    }),
  ) as Record<string, unknown[]>;
}

function pathOf(operation: OperationSpec, params: Record<string, string> = {}): string {
  return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    assert.ok(value !== undefined, `${operation.operationId}: no value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

describe('role matrix', () => {
  let system: TestSystem;
  /** The victim: its rows must be exactly the same after every cell of the matrix. */
  let a: TestAccount;
  /** The caller in every cell: its own resources for `own`, A's for `other`. */
  let b: TestAccount;
  const seeded = {
    a: {
      leadId: 'lead-a-1',
      phone: '',
      templateId: '',
      templateName: 'a-reminder',
      dnc: [] as string[],
      endpointId: '',
      endpointUrl: 'http://127.0.0.1:9/hooks/acme-a',
      endpointSecret: '',
      /** The `webhook-id` of A's one delivery, which ended `failed`: what a replay would send again. */
      webhookId: '',
    },
    b: {
      leadId: 'lead-b-1',
      phone: '',
      templateId: '',
      templateName: 'b-reminder',
      dnc: '',
      endpointId: '',
      endpointUrl: 'http://127.0.0.1:9/hooks/beta-b',
      /** The latest secret of B's endpoint (the rotateEventEndpointSecret cells change it). */
      endpointSecret: '',
    },
  };
  const aIdempotencyKey = 'a-idempotency-1';
  const aHelpText = 'Acme A-HELP-MARKER: call 555-0100 for help. Msg & data rates may apply. Reply STOP to opt out.';
  const bHelpText = 'Beta Realty: call 555-0199 for help. Msg & data rates may apply. Reply STOP to opt out.';
  let aMessageIds: string[] = [];
  let before_: Record<string, unknown[]>;
  let cells = 0;
  let counter = 0;
  const unique = (prefix: string) => `${prefix}-${(counter += 1)}`;

  const ok = (method: string, route: string, key: string, body?: unknown) => apiOk(system, method, route, key, body);

  before(async () => {
    system = await startSystem();
    a = await system.createAccount();
    // B is not A2P verified, so reading B's status or a lead's optIn tells B's data from A's.
    b = await system.createAccount({ a2pStatus: 'pending' });

    // A: a lead that opted in (texts both ways, consent events), a template, Do Not Contact entries, settings.
    seeded.a.phone = system.newLeadPhone();
    const template = await ok('POST', '/v1/templates', a.adminKey, {
      name: seeded.a.templateName,
      body: 'Hi {{firstName}}, your showing is confirmed.',
    });
    seeded.a.templateId = template.templateId;
    await ok('POST', '/v1/messages', a.agentKey, {
      leadId: seeded.a.leadId,
      phone: seeded.a.phone,
      body: 'Hi Dana, the 3-bed on Elm St is open Saturday.',
      idempotencyKey: aIdempotencyKey,
    });
    await system.sandbox.reply({ from: seeded.a.phone, to: a.senderNumber, text: 'START' });
    await ok('POST', '/v1/messages', a.agentKey, {
      leadId: seeded.a.leadId,
      phone: seeded.a.phone,
      templateId: seeded.a.templateId,
      variables: { firstName: 'Dana' },
    });
    for (let i = 0; i < 4; i += 1) {
      const phone = system.newLeadPhone();
      await ok('POST', '/v1/do-not-contact', a.agentKey, { phone, source: 'email', reason: 'A asked by email' });
      seeded.a.dnc.push(phone);
    }
    await ok('PUT', '/v1/settings/messaging', a.adminKey, { holdLimitDays: 14, keywords: { optOut: ['ALTOA'] } });
    await ok('PUT', '/v1/settings/help-reply', a.adminKey, { template: aHelpText });

    // B: its own lead, template and Do Not Contact entry, for the `own` column.
    seeded.b.phone = system.newLeadPhone();
    const bTemplate = await ok('POST', '/v1/templates', b.adminKey, { name: seeded.b.templateName, body: 'Hi {{x}}' });
    seeded.b.templateId = bTemplate.templateId;
    await ok('POST', '/v1/messages', b.agentKey, { leadId: seeded.b.leadId, phone: seeded.b.phone, body: 'Hello' });
    seeded.b.dnc = system.newLeadPhone();
    await ok('POST', '/v1/do-not-contact', b.agentKey, { phone: seeded.b.dnc, source: 'web' });

    // B: an endpoint for pushed events (nothing listens on port 9: B's deliveries fail and retry in the background).
    const bEndpoint = await ok('POST', '/v1/event-endpoints', b.adminKey, { url: seeded.b.endpointUrl });
    seeded.b.endpointId = bEndpoint.id;
    seeded.b.endpointSecret = bEndpoint.secret;

    // A's texts settle (sent, then delivered by the sandbox's status callback) before the snapshot is taken.
    let previous = '';
    const settled = await waitFor(
      "account A's rows to settle",
      async () => {
        const snapshot = await snapshotOf(system, a.accountId);
        const serialised = JSON.stringify(snapshot);
        const pending = (snapshot.messages as { status: string }[]).some((m) =>
          ['queued', 'held', 'sending', 'sent'].includes(m.status),
        );
        const stable = serialised === previous;
        previous = serialised;
        if (!stable) await new Promise((resolve) => setTimeout(resolve, 500));
        return stable && !pending ? snapshot : undefined;
      },
      60_000,
    );
    assert.deepEqual([settled.eventEndpoints, settled.crmEvents], [[], []], 'A had no endpoint, so no events');

    // A's endpoint is registered only now, after A's rows settled: events are recorded only while an account has a
    // live endpoint, and nothing of A's changes from here on, so no event of A's is relayed and the delivery worker
    // never touches A's endpoint (its health columns included). A's one delivery is written directly, already
    // `failed` and dispatched: no workflow retries it, and only a replay could turn it back to `pending`.
    const aEndpoint = await ok('POST', '/v1/event-endpoints', a.adminKey, {
      url: seeded.a.endpointUrl,
      description: 'A-ENDPOINT-MARKER',
    });
    seeded.a.endpointId = aEndpoint.id;
    seeded.a.endpointSecret = aEndpoint.secret;
    seeded.a.webhookId = await seedFailedDelivery(system, a.accountId, seeded.a.endpointId, seeded.a.phone);

    before_ = await snapshotOf(system, a.accountId);
    aMessageIds = (before_.messages as { id: string }[]).map((m) => m.id);
    assert.ok(before_.messages!.length >= 4, 'A has texts in both directions');
    assert.ok(before_.events!.length >= 4, 'A has consent events');
    assert.equal(before_.doNotContact!.length, 4);
    assert.equal(before_.templates!.length, 1);
    assert.equal(before_.eventEndpoints!.length, 1);
    assert.deepEqual(
      (before_.eventDeliveries as { status: string }[]).map((d) => d.status),
      ['failed'],
      'A has a failed delivery',
    );
  });

  after(async () => {
    console.log(`role matrix: ${cells} cells (${ROLES.length} roles x ${TENANTS.length} tenants x cases per route)`);
    await system?.close();
  });

  const probes: Probes = {
    queueMessage: {
      own: [
        {
          name: "a text to B's lead",
          request: async () => ({ json: { leadId: seeded.b.leadId, phone: seeded.b.phone, body: unique('hi') } }),
          expect: (answer) => assert.equal(answer.status, 202),
        },
      ],
      other: [
        {
          name: "a text from A's template",
          request: async () => ({
            json: {
              leadId: seeded.a.leadId,
              phone: seeded.a.phone,
              templateId: seeded.a.templateId,
              variables: { firstName: 'Mallory' },
            },
          }),
          expect: (answer) => {
            assert.equal(answer.status, 404);
            assert.equal(answer.body.message, 'no such template');
          },
        },
        {
          name: "a text with A's idempotency key",
          request: async () => ({
            json: { leadId: 'lead-b-idem', phone: seeded.b.phone, body: 'hi', idempotencyKey: aIdempotencyKey },
          }),
          expect: (answer) => {
            assert.ok([200, 202].includes(answer.status), JSON.stringify(answer.body));
            assert.ok(!aMessageIds.includes(answer.body.messageId), "B was answered with A's message");
          },
        },
      ],
    },
    getLeadMessages: {
      own: [
        {
          name: "B's lead",
          request: async () => ({ params: { leadId: seeded.b.leadId } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(answer.body.messages.length > 0);
          },
        },
      ],
      other: [notFound("A's lead", async () => ({ params: { leadId: seeded.a.leadId } }))],
    },
    getLeadConsent: {
      own: [
        {
          name: "B's lead",
          request: async () => ({ params: { leadId: seeded.b.leadId } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.body.phone, seeded.b.phone);
          },
        },
      ],
      other: [notFound("A's lead", async () => ({ params: { leadId: seeded.a.leadId } }))],
    },
    listLeads: {
      own: [
        {
          name: "B's recent leads",
          request: async () => ({}),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(answer.body.leads.some((lead: { leadId: string }) => lead.leadId === seeded.b.leadId));
          },
        },
      ],
      other: [
        ...[seeded.a.leadId, 'lead-a'].map((q) => noLeads(`A's lead ID or its start (${q})`, q)),
        noLeads("A's lead's number", () => seeded.a.phone),
      ],
    },
    searchDoNotContactLeads: {
      own: [
        {
          name: "B's lead",
          request: async () => ({ query: { q: seeded.b.leadId } }),
          // B's number may carry more of B's leads by now (the queueMessage cells text it too).
          expect: (answer) => {
            assert.equal(answer.status, 200);
            const [number, ...more] = answer.body.numbers;
            assert.deepEqual([number.phone, more], [seeded.b.phone, []]);
            assert.ok(number.leads.some((lead: { leadId: string }) => lead.leadId === seeded.b.leadId));
          },
        },
      ],
      other: [
        {
          name: "A's lead",
          request: async () => ({ query: { q: seeded.a.leadId } }),
          expect: (answer) => assert.deepEqual([answer.status, answer.body.numbers], [200, []]),
        },
        ...[() => seeded.a.phone, () => seeded.a.dnc[0]!].map((phoneOf) => ({
          name: "A's number",
          request: async () => ({ query: { q: phoneOf() } }),
          expect: (answer: Answer) =>
            assert.deepEqual(
              [answer.status, answer.body.numbers],
              [200, [{ phone: phoneOf(), isOnDoNotContact: false, leads: [] }]],
            ),
        })),
      ],
    },
    searchDoNotContact: {
      own: [
        {
          name: "B's number",
          request: async () => ({ query: { phone: seeded.b.dnc } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.body.isOnDoNotContact, true);
          },
        },
        {
          name: "B's list",
          request: async () => ({ query: { limit: '500' } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(answer.body.items.some((item: { phone: string }) => item.phone === seeded.b.dnc));
          },
        },
      ],
      other: [
        {
          name: "A's number",
          request: async () => ({ query: { phone: seeded.a.dnc[0]! } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.body.isOnDoNotContact, false);
            assert.equal(answer.body.entry, undefined);
          },
        },
        {
          name: "the list, looking for A's numbers",
          request: async () => ({ query: { limit: '500' } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            const phones = answer.body.items.map((item: { phone: string }) => item.phone);
            assert.deepEqual(
              phones.filter((phone: string) => seeded.a.dnc.includes(phone) || phone === seeded.a.phone),
              [],
            );
          },
        },
      ],
    },
    addDoNotContact: {
      own: [
        {
          name: 'a new number',
          request: async () => ({ json: { phone: system.newLeadPhone(), source: 'phone_call', reason: 'b-probe' } }),
          expect: (answer) => assert.equal(answer.status, 201),
        },
      ],
      other: [
        {
          name: "A's listed number",
          request: async () => ({ json: { phone: seeded.a.dnc[1]!, source: 'phone_call', reason: 'b-probe' } }),
          // B's own list: new to B (201) the first time, B's own entry after; never A's entry.
          expect: (answer) => {
            assert.ok([200, 201].includes(answer.status), JSON.stringify(answer.body));
            assert.equal(answer.body.reason, 'b-probe');
          },
        },
      ],
    },
    removeDoNotContact: {
      own: [
        {
          name: "B's entry",
          request: async () => {
            const phone = system.newLeadPhone();
            await ok('POST', '/v1/do-not-contact', b.agentKey, { phone, source: 'web' });
            return { json: { phone, reason: 'added by mistake' } };
          },
          expect: (answer) => assert.equal(answer.status, 204),
        },
      ],
      other: [notFound("A's entry", async () => ({ json: { phone: seeded.a.dnc[2]!, reason: 'added by mistake' } }))],
    },
    importDoNotContact: {
      own: [
        {
          name: 'a new number',
          request: async () => ({ body: `phone,source\n${system.newLeadPhone()},web\n`, contentType: 'text/csv' }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.body.added, 1);
          },
        },
      ],
      other: [
        {
          name: "A's listed number",
          request: async () => ({ body: `phone,source\n${seeded.a.dnc[3]!},web\n`, contentType: 'text/csv' }),
          // New to B's list: A's entry neither blocks the import nor is touched by it.
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.deepEqual([answer.body.added, answer.body.alreadyListed], [1, 0]);
          },
        },
      ],
    },
    exportConsentEvents: {
      own: [
        {
          name: "B's lead's number",
          request: async () => ({ query: { phone: seeded.b.phone } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            const lines = answer.text
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line));
            assert.ok(lines.length > 0 && lines.every((line) => line.phone === seeded.b.phone));
          },
        },
      ],
      other: [
        {
          name: "A's lead's number",
          request: async () => ({ query: { phone: seeded.a.phone } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.text, '');
          },
        },
        {
          name: "A's listed number",
          request: async () => ({ query: { phone: seeded.a.dnc[0]! } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.equal(answer.text, '');
          },
        },
      ],
    },
    getA2pStatus: sameForBothTenants({
      name: "the caller's account",
      request: async () => ({}),
      expect: (answer) => assert.deepEqual([answer.status, answer.body.status], [200, 'pending']),
    }),
    setA2pStatus: sameForBothTenants({
      name: "the caller's account",
      request: async () => ({ json: { status: 'pending' } }),
      expect: (answer) => assert.deepEqual([answer.status, answer.body.status], [200, 'pending']),
    }),
    getMessagingSettings: sameForBothTenants({
      name: "the caller's account",
      request: async () => ({}),
      expect: (answer) => {
        assert.equal(answer.status, 200);
        assert.doesNotMatch(JSON.stringify(answer.body), /ALTOA/);
        assert.notEqual(answer.body.holdLimitDays, 14);
      },
    }),
    setMessagingSettings: sameForBothTenants({
      name: "the caller's account",
      request: async () => ({ json: { holdLimitDays: 3, keywords: { optOut: ['ALTOB'] } } }),
      expect: (answer) => assert.deepEqual([answer.status, answer.body.holdLimitDays], [200, 3]),
    }),
    getSendingWindow: sameForBothTenants({
      name: "the caller's sending window",
      request: async () => ({}),
      expect: (answer) => assert.equal(answer.status, 200),
    }),
    setSendingWindow: sameForBothTenants({
      name: "the caller's sending window",
      request: async () => ({ json: { start: '09:00', end: '17:00' } }),
      expect: (answer) => assert.deepEqual([answer.status, answer.body.start], [200, '09:00']),
    }),
    getAccountText: sameForBothTenants({
      name: "the caller's HELP reply",
      request: async () => ({ params: { name: 'help-reply' } }),
      expect: (answer) => {
        assert.equal(answer.status, 200);
        assert.doesNotMatch(answer.body.template, /A-HELP-MARKER/);
      },
    }),
    setAccountText: sameForBothTenants({
      name: "the caller's HELP reply",
      request: async () => ({ params: { name: 'help-reply' }, json: { template: bHelpText } }),
      expect: (answer) => assert.deepEqual([answer.status, answer.body.template], [200, bHelpText]),
    }),
    removeLocalizedAccountText: sameForBothTenants({
      name: "the caller's Spanish HELP reply",
      request: async () => ({ params: { name: 'help-reply' }, query: { language: 'es' } }),
      expect: (answer) => assert.equal(answer.status, 204),
    }),
    listTemplates: {
      own: [
        {
          name: "B's templates",
          request: async () => ({}),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(answer.body.templates.some((t: { templateId: string }) => t.templateId === seeded.b.templateId));
          },
        },
      ],
      other: [
        {
          name: "looking for A's template",
          request: async () => ({}),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.doesNotMatch(answer.text, new RegExp(`${seeded.a.templateId}|${seeded.a.templateName}`));
          },
        },
      ],
    },
    createTemplate: {
      own: [
        {
          name: 'a new name',
          request: async () => ({ json: { name: unique('b-new'), body: 'Hello {{firstName}}' } }),
          expect: (answer) => assert.equal(answer.status, 201),
        },
      ],
      other: [
        {
          name: "A's template name",
          request: async () => ({ json: { name: seeded.a.templateName, body: 'Hello {{firstName}}' } }),
          // Names are unique per account: A's name is free in B (201), never a 409 that reveals A's template.
          expect: (answer) => assert.equal(answer.status, 201),
        },
      ],
    },
    getTemplate: {
      own: [
        {
          name: "B's template",
          request: async () => ({ params: { templateId: seeded.b.templateId } }),
          expect: (answer) => assert.equal(answer.status, 200),
        },
      ],
      other: [notFound("A's template", async () => ({ params: { templateId: seeded.a.templateId } }))],
    },
    updateTemplate: {
      own: [
        {
          name: "B's template",
          request: async () => ({ params: { templateId: seeded.b.templateId }, json: { body: unique('Hi {{x}}') } }),
          expect: (answer) => assert.equal(answer.status, 200),
        },
      ],
      other: [
        notFound("A's template", async () => ({
          params: { templateId: seeded.a.templateId },
          json: { body: 'Hacked {{x}}' },
        })),
      ],
    },
    // The account's latest texts: each tenant only ever sees its own (A's number never shows up for B).
    listRecentMessages: sameForBothTenants({
      name: 'recent texts',
      request: async () => ({ query: { limit: '50' } }),
      expect: (answer) => {
        assert.equal(answer.status, 200);
        assert.ok(!answer.text.includes(seeded.a.phone), "A's number in B's recent texts");
      },
    }),
    // The codec is not scoped to an account: each tenant column sends the documented example payloads.
    encodePayloads: sameForBothTenants({
      name: 'a payload in clear',
      request: async () => ({ json: exampleBody('encodePayloads') }),
      expect: (answer) => {
        assert.equal(answer.status, 200);
        assert.equal(answer.body.payloads.length, 1);
      },
    }),
    decodePayloads: sameForBothTenants({
      name: 'a payload it encrypted',
      request: async () => {
        const encoded = await ok('POST', '/v1/codec/encode', b.operatorKey!, exampleBody('encodePayloads'));
        return { json: encoded };
      },
      expect: (answer) => {
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body, exampleBody('encodePayloads'));
      },
    }),
    deleteTemplate: {
      own: [
        {
          name: 'a template B just made',
          request: async () => {
            const created = await ok('POST', '/v1/templates', b.adminKey, { name: unique('b-doomed'), body: 'Bye' });
            return { params: { templateId: created.templateId } };
          },
          expect: (answer) => assert.equal(answer.status, 204),
        },
      ],
      other: [notFound("A's template", async () => ({ params: { templateId: seeded.a.templateId } }))],
    },
    // Event endpoints (admins only). `own` works on B's endpoints; `other` aims at A's, which must answer 404 as if it
    // did not exist, and stay as it was (the snapshot holds A's endpoint, its event and its `failed` delivery).
    listEventEndpoints: {
      own: [
        {
          name: "B's endpoints",
          request: async () => ({}),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(answer.body.endpoints.some((e: { id: string }) => e.id === seeded.b.endpointId));
            assertNoSecret(answer);
          },
        },
      ],
      other: [
        {
          name: "looking for A's endpoint",
          request: async () => ({}),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.doesNotMatch(answer.text, new RegExp(`${seeded.a.endpointId}|A-ENDPOINT-MARKER`));
            assertNoSecret(answer);
          },
        },
      ],
    },
    createEventEndpoint: {
      own: [
        {
          name: 'a new endpoint',
          request: async () => ({ json: { url: `${seeded.b.endpointUrl}/${unique('new')}`, description: 'B probe' } }),
          expect: (answer) => {
            assert.equal(answer.status, 201);
            assert.match(answer.body.secret, /^whsec_/);
            assert.equal(answer.body.health, 'healthy');
          },
        },
      ],
      other: [
        {
          name: "A's URL",
          request: async () => ({ json: { url: seeded.a.endpointUrl } }),
          // URLs are not unique: B gets an endpoint of its own, never A's endpoint or A's secret.
          expect: (answer) => {
            assert.equal(answer.status, 201);
            assert.notEqual(answer.body.id, seeded.a.endpointId);
            assert.notEqual(answer.body.secret, seeded.a.endpointSecret);
            assert.equal(answer.body.description, null);
          },
        },
      ],
    },
    getEventEndpoint: {
      own: [
        {
          name: "B's endpoint",
          request: async () => ({ params: { endpointId: seeded.b.endpointId } }),
          expect: (answer) => {
            assert.deepEqual([answer.status, answer.body.id], [200, seeded.b.endpointId]);
            assertNoSecret(answer);
          },
        },
        endpointNotFound('an endpoint that does not exist', async () => ({ params: { endpointId: randomUUID() } })),
      ],
      other: [endpointNotFound("A's endpoint", async () => ({ params: { endpointId: seeded.a.endpointId } }))],
    },
    deleteEventEndpoint: {
      own: [
        {
          name: 'an endpoint B just made',
          request: async () => {
            const created = await ok('POST', '/v1/event-endpoints', b.adminKey, { url: seeded.b.endpointUrl });
            return { params: { endpointId: created.id } };
          },
          expect: (answer) => assert.equal(answer.status, 204),
        },
      ],
      other: [endpointNotFound("A's endpoint", async () => ({ params: { endpointId: seeded.a.endpointId } }))],
    },
    rotateEventEndpointSecret: {
      own: [
        {
          name: "B's endpoint",
          request: async () => ({ params: { endpointId: seeded.b.endpointId } }),
          expect: (answer) => {
            assert.deepEqual([answer.status, answer.body.id], [200, seeded.b.endpointId]);
            assert.match(answer.body.secret, /^whsec_/);
            assert.notEqual(answer.body.secret, seeded.b.endpointSecret, 'a new secret');
            seeded.b.endpointSecret = answer.body.secret;
          },
        },
      ],
      other: [endpointNotFound("A's endpoint", async () => ({ params: { endpointId: seeded.a.endpointId } }))],
    },
    listEventDeliveries: {
      own: [
        {
          name: "B's endpoint",
          request: async () => ({ params: { endpointId: seeded.b.endpointId }, query: { limit: '500' } }),
          expect: (answer) => {
            assert.equal(answer.status, 200);
            assert.ok(Array.isArray(answer.body.deliveries));
            assert.doesNotMatch(answer.text, new RegExp(seeded.a.webhookId));
          },
        },
      ],
      other: [
        endpointNotFound("A's endpoint", async () => ({ params: { endpointId: seeded.a.endpointId } })),
        endpointNotFound("A's failed deliveries", async () => ({
          params: { endpointId: seeded.a.endpointId },
          query: { status: 'failed' },
        })),
      ],
    },
    replayEventDeliveries: {
      own: [
        {
          name: "B's failed deliveries",
          request: async () => ({ params: { endpointId: seeded.b.endpointId }, json: {} }),
          expect: (answer) => {
            assert.equal(answer.status, 202);
            assert.equal(typeof answer.body.replayed, 'number');
          },
        },
      ],
      other: [
        endpointNotFound("A's failed deliveries", async () => ({
          params: { endpointId: seeded.a.endpointId },
          json: {},
        })),
        endpointNotFound("A's event, on A's endpoint", async () => ({
          params: { endpointId: seeded.a.endpointId },
          json: { webhookIds: [seeded.a.webhookId] },
        })),
        {
          name: "A's event, on B's endpoint",
          request: async () => ({
            params: { endpointId: seeded.b.endpointId },
            json: { webhookIds: [seeded.a.webhookId] },
          }),
          expect: (answer) => assert.deepEqual([answer.status, answer.body], [202, { replayed: 0, remaining: 0 }]),
        },
      ],
    },
  };

  const apiOperations = OPERATIONS.filter((operation) => operation.access.kind === 'apiKey');

  it("has cases for every /v1 operation in the routers' OpenAPI registries", () => {
    assert.ok(apiOperations.length >= 19, `only ${apiOperations.length} /v1 operations`);
    assert.deepEqual(Object.keys(probes).sort(), apiOperations.map((operation) => operation.operationId).sort());
  });

  for (const operation of apiOperations) {
    const access = operation.access as { kind: 'apiKey'; roles: readonly string[] };
    const route = `${operation.method.toUpperCase()} ${operation.path}`;

    it(`answers ${route} by role and tenant, and B never reaches A's data`, async () => {
      assert.ok(probes[operation.operationId], `no cases for ${operation.operationId}: add them to the matrix`);
      const failures: string[] = [];
      for (const role of ROLES) {
        for (const tenant of TENANTS) {
          for (const testCase of probes[operation.operationId]?.[tenant] ?? []) {
            const { params, query, ...rest } = await testCase.request();
            const key = { admin: b.adminKey, agent: b.agentKey, none: undefined, bad: badKey() }[role];
            const search = query ? `?${new URLSearchParams(query)}` : '';
            const request: RawRequest = {
              ...rest,
              method: operation.method.toUpperCase(),
              path: `${pathOf(operation, params)}${search}`,
              key,
            };

            const answer = await send(system.apiUrl, request);
            cells += 1;

            const cell = `${route} [${role}, ${tenant}: ${testCase.name}] → ${answer.status} ${answer.text.slice(0, 200)}`;
            try {
              if (role === 'none' || role === 'bad') {
                assert.deepEqual([answer.status, answer.body.error], [401, 'unauthorized']);
              } else if (!access.roles.includes(role)) {
                assert.deepEqual([answer.status, answer.body.error], [403, 'forbidden']);
              } else {
                testCase.expect(answer);
              }
            } catch (error) {
              failures.push(`${cell}\n    ${(error as Error).message.split('\n')[0]}`);
            }
          }
        }
      }

      assert.deepEqual(failures, []);
    });
  }

  it("does not decrypt account A's workflow payloads for account B's admin key", async () => {
    const handle = system.env.client.workflow.getHandle(
      smsConsentWorkflowId(a.accountId, phoneKeyOf(seeded.a.phone, PHONE_HASH_KEY)),
    );
    const history = await handle.fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(input, "A's workflow has a start input");
    const digits = seeded.a.phone.slice(1);
    assert.doesNotMatch(JSON.stringify(payloadToJSON(input)), new RegExp(digits), 'stored encrypted');

    const answer = await send(system.apiUrl, {
      method: 'POST',
      path: '/v1/codec/decode',
      key: b.adminKey,
      json: { payloads: [payloadToJSON(input)] },
    });

    // Only operator keys (the people running the service) decrypt; no tenant key does.
    assert.equal(answer.status, 403, answer.text);
    assert.doesNotMatch(answer.text, new RegExp(digits), "B's admin key read A's phone number");
  });

  it('leaves every row of account A exactly as it was after the whole matrix', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));

    const afterMatrix = await snapshotOf(system, a.accountId);

    assert.ok(cells > 0);
    for (const table of Object.keys(before_)) {
      assert.deepEqual(afterMatrix[table], before_[table], `account A's ${table} changed`);
    }
  });
});

function exampleBody(operationId: string): unknown {
  const operation = OPERATIONS.find((o) => o.operationId === operationId);
  return Object.values(operation?.requestBody?.content['application/json']?.examples ?? {})[0]?.value;
}

/** A lead search that must find none of A's leads (`q` read when the cell runs: seeded values are filled in late). */
function noLeads(name: string, q: string | (() => string)): Case {
  return {
    name,
    request: async () => ({ query: { q: typeof q === 'string' ? q : q() } }),
    expect: (answer) => assert.deepEqual([answer.status, answer.body.leads], [200, []]),
  };
}

/** Another account's resource: answered 404, as if it did not exist. */
function notFound(name: string, request: Case['request']): Case {
  return { name, request, expect: (answer) => assert.equal(answer.status, 404) };
}

/** An event endpoint the caller does not have: 404, with nothing of A's endpoint in the answer. */
function endpointNotFound(name: string, request: Case['request']): Case {
  return {
    name,
    request,
    expect: (answer) => {
      assert.deepEqual([answer.status, answer.body.error], [404, 'not_found']);
      assert.doesNotMatch(answer.text, /whsec_|A-ENDPOINT-MARKER|acme-a/);
    },
  };
}

/** A secret is shown only by the answers that create or rotate it: never in a GET. */
function assertNoSecret(answer: Answer): void {
  const endpoints: object[] = answer.body.endpoints ?? [answer.body];
  for (const endpoint of endpoints) assert.ok(!('secret' in endpoint), `a secret in a GET answer: ${answer.text}`);
  assert.doesNotMatch(answer.text, /whsec_/);
}

/**
 * Writes one event of A's and its delivery to A's endpoint, ended `failed` (as after 25 hours of retries) and already
 * dispatched, so neither the relay nor a delivery workflow ever picks it up. Returns the event's `webhook-id`.
 */
async function seedFailedDelivery(
  system: TestSystem,
  accountId: string,
  endpointId: string,
  phone: string,
): Promise<string> {
  const knex = system.db.knex;
  const webhookId = `msg_${randomBytes(16).toString('hex')}`;
  const [event] = await knex('crm_events')
    .insert({
      webhook_id: webhookId,
      account_id: accountId,
      phone_key: phoneKeyOf(phone, PHONE_HASH_KEY),
      type: 'do_not_contact.changed',
      data: { phone, change: 'added', source: 'web' },
      dispatched_at: knex.fn.now(),
    })
    .returning('id');
  await knex('event_deliveries').insert({
    endpoint_id: endpointId,
    event_id: event.id,
    status: 'failed',
    attempts: 3,
    last_attempt_at: knex.fn.now(),
    last_error: 'connect ECONNREFUSED 127.0.0.1:9',
  });
  return webhookId;
}

function sameForBothTenants(testCase: Case): Record<Tenant, Case[]> {
  // Settings have no identifier to aim at another account: the key decides, so `other` checks B sees only its own.
  return { own: [testCase], other: [testCase] };
}

function badKey(): string {
  return `sk_${randomBytes(32).toString('base64url')}`;
}
