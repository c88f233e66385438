import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { ACCOUNT_TEXTS } from '../../src/consent/template-rules';
import { OPERATIONS } from '../../src/openapi';
import type { OperationSpec } from '../../src/openapi/operation-spec';
import { phoneKeyOf, toE164, toVonageNumber } from '../../src/phone';
import { signWebhook } from '../../src/vonage/webhook-signature';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import {
  apiOk,
  PAYLOAD_ENCRYPTION_KEYS,
  PHONE_HASH_KEY,
  SIGNATURE_SECRET,
  startSystem,
  type TestAccount,
  type TestSystem,
} from '../support/system';
import { listenApp, send, type Answer, type ExtraApi } from './harness';

/**
 * Hostile input at every route: fast-check generates malformed, oversized, wrongly typed, unicode-heavy,
 * prototype-polluting and injection-shaped bodies, query strings and path segments. Every answer must be a 2xx
 * (the input happened to be valid) or a 4xx with the JSON error shape, never a 5xx or a hang, and no request may
 * leave rows its answer does not explain.
 *
 * Each group of routes runs through its own account, one request at a time, so the row counts of that account
 * before and after a request belong to that request alone. Asynchronous effects (a Do Not Contact change or an
 * opt-out reaching the number's workflow) are waited for after the 2xx that caused them.
 */

const SEED = Number(process.env.HOSTILE_INPUT_SEED ?? Date.now() % 2 ** 31);
const SCALE = Number(process.env.HOSTILE_INPUT_SCALE ?? 1);
const REQUEST_TIMEOUT_MS = 20_000;

const TABLES = ['messages', 'consent_events', 'do_not_contact', 'sms_templates', 'lead_consents'] as const;
type Table = (typeof TABLES)[number];
type Counts = Record<Table, number>;
/** Per table, the smallest and largest change a request may cause. Tables not named must not change. */
type Allowed = Partial<Record<Table, [number, number]>>;

type Group = 'reads' | 'messages' | 'doNotContact' | 'settings' | 'templates' | 'webhooks' | 'other';
const GROUP_OF: Record<string, Group> = {
  getLeadMessages: 'reads',
  getLeadConsent: 'reads',
  searchDoNotContact: 'reads',
  exportConsentEvents: 'reads',
  getA2pStatus: 'reads',
  getMessagingSettings: 'reads',
  getSendingWindow: 'reads',
  getAccountText: 'reads',
  listTemplates: 'reads',
  getTemplate: 'reads',
  queueMessage: 'messages',
  addDoNotContact: 'doNotContact',
  removeDoNotContact: 'doNotContact',
  importDoNotContact: 'doNotContact',
  setA2pStatus: 'settings',
  setMessagingSettings: 'settings',
  setSendingWindow: 'settings',
  setAccountText: 'settings',
  createTemplate: 'templates',
  updateTemplate: 'templates',
  deleteTemplate: 'templates',
  receiveInboundMessage: 'webhooks',
  receiveMessageStatus: 'webhooks',
};
const GROUPS: Group[] = ['reads', 'messages', 'doNotContact', 'settings', 'templates', 'webhooks', 'other'];

/** Requests per operation: more where the input is richest. Public and unlisted operations get the default. */
const RUNS: Record<string, number> = {
  queueMessage: 360,
  addDoNotContact: 160,
  removeDoNotContact: 120,
  importDoNotContact: 120,
  setMessagingSettings: 120,
  setAccountText: 120,
  setA2pStatus: 80,
  createTemplate: 140,
  updateTemplate: 120,
  deleteTemplate: 80,
  searchDoNotContact: 200,
  exportConsentEvents: 120,
  receiveInboundMessage: 450,
  receiveMessageStatus: 300,
};
const DEFAULT_RUNS = 80;

const INJECTIONS = [
  "' OR 1=1 --",
  "'; DROP TABLE messages; --",
  '" OR ""="',
  "1' UNION SELECT key_hash FROM api_keys --",
  '${process.exit(1)}',
  '${7*7}',
  '#{7*7}',
  '{{7*7}}',
  '{{constructor.constructor("return process")()}}',
  '{{__proto__}}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  "=cmd|' /C calc'!A0",
  '$where',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  'prototype',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  '0x1f',
];
const UNICODE = [
  '\u202Eolleh',
  'مرحبا بالعالم',
  'שָׁלוֹם',
  '\u200B\u200C\u200D\u2060\uFEFF',
  '👩‍👩‍👧‍👦🏳️‍🌈👍🏽',
  '\uD800',
  '\uDFFF',
  'a\uD83Dz',
  '\uDE00\uD83D',
  'Z̴̡̢͇̅a̶̛̘l̸̰̓g̷͚̈́o̵̱͝',
  'e\u0301\u0301\u0301\u0301',
  'ＳＴＯＰ',
  '𝐒𝐓𝐎𝐏',
  'İıſ',
  '\u00A0\u2028\u2029\u3000',
  '\u{10FFFF}\u{E0001}',
  '＋１４１５５５５０１２３',
  '+1 (415) 555-0123 ext. 1',
];
const POLLUTION = [
  '{"__proto__":{"isAdmin":true,"role":"admin"}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
].map((text) => JSON.parse(text) as Record<string, unknown>);

const seeds = fc.constantFrom(...INJECTIONS, ...UNICODE);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: seeds },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('\u202E', '\u200B', '\u0000', 'a')) }),
  },
  { weight: 2, arbitrary: fc.tuple(seeds, seeds).map(([a, b]) => a + b) },
  // Postgres text cannot hold NUL: the one character that must be refused before it reaches an insert.
  { weight: 1, arbitrary: seeds.map((text) => `${text}\u0000`) },
  { weight: 1, arbitrary: fc.integer({ min: 600, max: 20_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t\n', '0', 'true', 'null', '[]', '{}') },
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', ''),
  hostileString,
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 2 ** 53 + 1, 1e308, -1)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...POLLUTION) },
);

/** Sets `key` as an own property, so `__proto__` is serialised as a key rather than changing the prototype. */
function withField(value: unknown, key: string, field: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
  Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true });
  return copy;
}

function asText(field: unknown): string {
  return typeof field === 'string' ? field : (JSON.stringify(field) ?? '');
}

function withoutField(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** A valid body, or that body with one thing wrong, or something else entirely. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return valid.chain((value) => {
    const keys = Object.keys(value);
    const someKey = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x');
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(value) },
      { weight: 5, arbitrary: fc.tuple(someKey, hostileValue).map(([key, field]) => withField(value, key, field)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(someKey, hostileString)
          .map(([key, suffix]) => withField(value, key, `${asText(value[key])}${suffix}`)),
      },
      { weight: 1, arbitrary: someKey.map((key) => withoutField(value, key)) },
      { weight: 2, arbitrary: fc.tuple(hostileKey, hostileValue).map(([key, field]) => withField(value, key, field)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...POLLUTION).map((pollution) => Object.assign(withField(value, 'x', 1), pollution)),
      },
      { weight: 1, arbitrary: hostileValue },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    );
  });
}

/** The bytes on the wire and the content type they claim. */
interface Encoded {
  bytes: Buffer;
  contentType?: string;
  how: string;
}

const INVALID_UTF8 = [
  Buffer.from([0xed, 0xa0, 0x80]), // a lone high surrogate, CESU-8 style
  Buffer.from([0xed, 0xbf, 0xbf]), // a lone low surrogate
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc0, 0xaf]), // an overlong '/'
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0x00]),
];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = [
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=latin1',
  'application/json; charset=bogus-8',
  'application/vnd.api+json',
  'application/xml',
  'application/octet-stream',
  'image/png',
  '*/*',
  'application/json, text/html',
];

function encoded(value: unknown, bodyLimitBytes: number): fc.Arbitrary<Encoded> {
  const text = JSON.stringify(value) ?? 'undefined';
  const json = Buffer.from(text);
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...JSON_TYPES) },
    fc.constantFrom(...OTHER_TYPES),
  );
  return fc.oneof(
    { weight: 10, arbitrary: contentType.map((type) => ({ bytes: json, contentType: type, how: 'json' })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat({ max: json.length }), fc.constantFrom(...INVALID_UTF8)).map(([at, bad]) => ({
        bytes: Buffer.concat([json.subarray(0, at), bad, json.subarray(at)]),
        contentType: 'application/json',
        how: 'invalid utf-8',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.nat({ max: Math.max(json.length - 1, 0) }).map((at) => ({
        bytes: json.subarray(0, at),
        contentType: 'application/json',
        how: 'truncated',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        bytes: Buffer.concat([Buffer.from('\uFEFF'), json]),
        contentType: 'application/json',
        how: 'bom',
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        bytes: Buffer.from(text, 'utf16le'),
        contentType: 'application/json; charset=utf-16le',
        how: 'utf-16',
      }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: Math.floor(bodyLimitBytes / 2) - 10 }).map((depth) => ({
        bytes: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`),
        contentType: 'application/json',
        how: 'deep nesting',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(hostileKey, hostileValue).map(([key, field]) => ({
        bytes: Buffer.from(
          text.startsWith('{') ? `{${JSON.stringify(key)}:${JSON.stringify(field) ?? 'null'},${text.slice(1)}` : text,
        ),
        contentType: 'application/json',
        how: 'duplicate or extra key',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 2048 }).chain((bytes) =>
        fc.option(fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES)).map((type) => ({
          bytes: Buffer.from(bytes),
          contentType: type ?? undefined,
          how: 'garbage bytes',
        })),
      ),
    },
  );
}

/** Percent-encodes the UTF-8 bytes of `text` (encodeURIComponent throws on a lone surrogate). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '..',
  '%2e%2e',
  '%2F',
  '.',
  '~',
  '%FF%FE',
  '%ED%A0%80',
  "'%20OR%201=1--",
  '%F0%9F%92%A9',
  ';',
  '%3Cscript%3E',
  'a'.repeat(3000),
];

function segment(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...valid).map(encodeURIComponent) },
    { weight: 3, arbitrary: hostileString.map((text) => percentEncode(text.slice(0, 2000))) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    { weight: 1, arbitrary: fc.uuid().map(String) },
  );
}

function queryString(keys: string[], valid: Record<string, string[]>): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 4, arbitrary: keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('q') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('__proto__', 'constructor[prototype][x]', 'phone[]', 'phone[__proto__]', 'a[b][c]'),
    },
    { weight: 1, arbitrary: hostileString.map((text) => percentEncode(text.slice(0, 200))) },
  );
  const value = (name: string) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(...(Object.hasOwn(valid, name) ? valid[name]! : ['x'])).map(encodeURIComponent),
      },
      { weight: 4, arbitrary: hostileString.map((text) => percentEncode(text.slice(0, 3000))) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '&&', '==', '%ED%A0%80', '+', '%2B1') },
    );
  return fc
    .array(
      key.chain((name) => value(name).map((v) => `${name}=${v}`)),
      { maxLength: 4 },
    )
    .map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

type Auth = { kind: 'admin' | 'agent' | 'none' | 'bad' } | { kind: 'raw'; header: string };
const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 16, arbitrary: fc.constant({ kind: 'admin' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'agent' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bad' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer  ',
          'Basic dXNlcjpwYXNz',
          `Bearer sk_${'A'.repeat(4000)}`,
          "Bearer ' OR 1=1 --",
        ),
        fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((text) => `Bearer ${text}`),
      )
      .map((header) => ({ kind: 'raw' as const, header })),
  },
);

/** One generated request, before its webhook token (if any) is signed. */
interface Spec {
  group: Group;
  method: string;
  path: string;
  auth: Auth;
  body?: Encoded;
  /** The value the body encodes, to find the number a 2xx changed. */
  value?: unknown;
  webhookToken?: 'valid' | 'garbage';
}

const WEBHOOK_BODY_LIMIT = 64 * 1024;
const API_BODY_LIMIT = 256 * 1024;

describe('hostile input', () => {
  let system: TestSystem;
  let api: ExtraApi;
  const accounts = {} as Record<Group, TestAccount>;
  const context = {
    leadIds: [] as string[],
    leadPhones: [] as string[],
    readsTemplateIds: [] as string[],
    messageTemplateIds: [] as string[],
    templateIds: [] as string[],
    dncPhones: [] as string[],
  };
  const tally = { requests: 0, fiveXx: 0, headerOverflows: 0, byStatus: new Map<number, number>() };

  const ok = (method: string, route: string, key: string, body?: unknown) => apiOk(system, method, route, key, body);

  before(async () => {
    system = await startSystem();
    // Limits far above the fuzz's rate: this test is about input, test/security/rate-limits.test.ts about limits.
    api = await listenApp(
      system,
      { apiPerMinute: 1_000_000, sendsPerMinute: 1_000_000 },
      { payloadCodec: new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS) },
    );
    // Not A2P verified: a valid send is decided (and every row written) before the update returns.
    for (const group of GROUPS) accounts[group] = await system.createAccount({ a2pStatus: 'unverified' });

    for (let i = 0; i < 3; i += 1) {
      const phone = system.newLeadPhone();
      const leadId = `lead-fuzz-${i}`;
      const listed = system.newLeadPhone();
      await ok('POST', '/v1/messages', accounts.reads.agentKey, { leadId, phone, body: 'Hello' });
      await ok('POST', '/v1/do-not-contact', accounts.reads.agentKey, { phone: listed, source: 'web' });
      await settleNumber(accounts.reads.accountId, listed);
      context.leadIds.push(leadId);
      context.leadPhones.push(phone);
    }
    const readTemplate = await ok('POST', '/v1/templates', accounts.reads.adminKey, { name: 'r', body: 'Hi {{a}}' });
    context.readsTemplateIds.push(readTemplate.templateId);
    // Placeholders named like Object.prototype members: a render must not find them on the prototype.
    for (const body of ['Hi {{firstName}}', 'Hi {{constructor}}', 'Hi {{__proto__}} {{toString}}', 'Plain text']) {
      const template = await ok('POST', '/v1/templates', accounts.messages.adminKey, { name: body, body });
      context.messageTemplateIds.push(template.templateId);
    }
    for (let i = 0; i < 6; i += 1) {
      const template = await ok('POST', '/v1/templates', accounts.templates.adminKey, { name: `t-${i}`, body: 'Hi' });
      context.templateIds.push(template.templateId);
    }
    for (let i = 0; i < 24; i += 1) context.dncPhones.push(system.newLeadPhone());
    for (const phone of context.dncPhones.slice(0, 8)) {
      await ok('POST', '/v1/do-not-contact', accounts.doNotContact.agentKey, { phone, source: 'email' });
      await settleNumber(accounts.doNotContact.accountId, phone);
    }
  });

  after(async () => {
    await api?.close();
    await system?.close();
  });

  /** Valid bodies per operation, built from this run's accounts; the mutations start from these. */
  function validBody(operation: OperationSpec): fc.Arbitrary<Record<string, unknown>> | undefined {
    const example = Object.values(operation.requestBody?.content['application/json']?.examples ?? {})[0]?.value as
      Record<string, unknown> | undefined;
    const phones = context.leadPhones;
    switch (operation.operationId) {
      case 'queueMessage':
        return fc.oneof(
          fc.record({
            leadId: fc.constantFrom('lead-a', 'lead-b', 'lead.c@x', 'lead:d'),
            phone: fc.constantFrom(...phones),
            body: fc.oneof(fc.constant('Hello there'), hostileString),
            idempotencyKey: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }),
          }),
          fc.record({
            leadId: fc.constantFrom('lead-a', 'lead-t'),
            phone: fc.constantFrom(...phones),
            templateId: fc.constantFrom(...context.messageTemplateIds),
            variables: fc.dictionary(
              fc.constantFrom('firstName', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'),
              fc.oneof(fc.constant('Dana'), hostileString),
              { maxKeys: 4 },
            ),
          }),
        );
      case 'addDoNotContact':
        return fc.record({
          phone: fc.constantFrom(...context.dncPhones),
          source: fc.constantFrom('sms', 'phone_call', 'email', 'web', 'operator'),
          reason: fc.option(hostileString, { nil: undefined }),
        });
      case 'removeDoNotContact':
        return fc.record({
          phone: fc.constantFrom(...context.dncPhones),
          reason: fc.oneof(fc.constant('added by mistake'), hostileString),
        });
      case 'setMessagingSettings':
        return fc.record(
          {
            holdLimitDays: fc.integer({ min: 1, max: 365 }),
            keywords: fc.record(
              { optOut: fc.array(hostileString, { maxLength: 3 }), optIn: fc.array(hostileString, { maxLength: 3 }) },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        );
      case 'setAccountText':
        return fc.record({
          template: fc.oneof(
            fc.constant('Acme: call 555-0100 for help. Msg & data rates may apply. Reply STOP to opt out.'),
            fc.constant('Acme: reply START to get texts. Msg & data rates may apply.'),
            hostileString,
          ),
        });
      case 'createTemplate':
      case 'updateTemplate':
        return fc.record(
          {
            name: fc.oneof(fc.uuid().map(String), hostileString),
            body: fc.oneof(hostileString, fc.constant('Hi {{x}}')),
          },
          { requiredKeys: operation.operationId === 'createTemplate' ? ['name', 'body'] : [] },
        );
      case 'receiveInboundMessage':
        return fc.record({
          channel: fc.constant('sms'),
          message_type: fc.constant('text'),
          message_uuid: fc.uuid().map(String),
          to: fc.constant(toVonageNumber(accounts.webhooks.senderNumber)),
          from: fc.constantFrom(...phones.map(toVonageNumber)),
          timestamp: fc.oneof(fc.constant(new Date().toISOString()), hostileString),
          text: fc.oneof(fc.constantFrom('STOP', 'START', 'HELP', 'hi'), hostileString),
        });
      case 'receiveMessageStatus':
        return fc.record({
          message_uuid: fc.uuid().map(String),
          to: fc.constantFrom(...phones.map(toVonageNumber)),
          from: fc.constant(toVonageNumber(accounts.webhooks.senderNumber)),
          timestamp: fc.constant(new Date().toISOString()),
          status: fc.constantFrom('submitted', 'delivered', 'rejected', 'undeliverable', 'read'),
          client_ref: fc.option(fc.oneof(fc.uuid().map(String), hostileString), { nil: undefined }),
          error: fc.option(fc.dictionary(hostileKey, hostileValue, { maxKeys: 3 }), { nil: undefined }),
        });
      default:
        return example && typeof example === 'object' ? fc.constant(example) : undefined;
    }
  }

  function csvBody(): fc.Arbitrary<Encoded> {
    const cell = fc.oneof(
      fc.constantFrom(
        ...context.dncPhones,
        'phone',
        'source',
        'reason',
        'web',
        'email',
        'import',
        '"',
        '""',
        '"unclosed',
      ),
      hostileString.map((text) => text.slice(0, 300)),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    return fc
      .tuple(
        fc.option(fc.constantFrom('phone,source,reason', 'PHONE', '\uFEFFphone,source')),
        fc.array(row, { maxLength: 30 }),
        fc.oneof(
          { weight: 6, arbitrary: fc.constant('text/csv') },
          fc.constantFrom('text/plain', 'application/json', 'text/csv; charset=latin1'),
        ),
        fc.constantFrom('\n', '\r\n', '\r'),
      )
      .map(([header, rows, type, newline]) => ({
        bytes: Buffer.from([...(header ? [header] : []), ...rows].join(newline)),
        contentType: type,
        how: 'csv',
      }));
  }

  function requestArb(operation: OperationSpec): fc.Arbitrary<Spec> {
    const group = operation.access.kind === 'public' ? 'reads' : (GROUP_OF[operation.operationId] ?? 'other');
    const isWebhook = operation.access.kind === 'vonageSignature';
    const params: Record<string, string[]> = {
      leadId: group === 'reads' ? context.leadIds : ['lead-x'],
      templateId: group === 'templates' ? context.templateIds : context.readsTemplateIds,
      name: Object.keys(ACCOUNT_TEXTS),
    };
    const path = fc
      .tuple(...[...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => segment(params[match[1]!] ?? ['x'])))
      .map((segments) => {
        let index = 0;
        return operation.path.replace(/\{(\w+)\}/g, () => segments[index++]!);
      });
    const queryKeys = Object.keys(operation.query?.schema.shape ?? {});
    const query = queryString(queryKeys, {
      phone: [...context.leadPhones, ...context.dncPhones],
      limit: ['1', '50', '500'],
      skipInvalid: ['true', 'false'],
      cursor: [
        Buffer.from(JSON.stringify([new Date().toISOString(), '+12125550000'])).toString('base64url'),
        Buffer.from(JSON.stringify(['1', '+1'])).toString('base64url'),
        Buffer.from(JSON.stringify(['275760-09-13T00:00:00Z', 'x'])).toString('base64url'),
        Buffer.from(JSON.stringify(['2026-02-30', "' OR 1=1 --"])).toString('base64url'),
        Buffer.from(JSON.stringify(['2026-01-01', 'a\u0000b'])).toString('base64url'),
        Buffer.from('null').toString('base64url'),
      ],
    });
    const method = fc.oneof(
      { weight: 12, arbitrary: fc.constant(operation.method.toUpperCase()) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    );
    const limit = isWebhook ? WEBHOOK_BODY_LIMIT : API_BODY_LIMIT;
    const valid = validBody(operation);
    const body: fc.Arbitrary<{ encoded?: Encoded; value?: unknown }> =
      operation.operationId === 'importDoNotContact'
        ? csvBody().map((encoded) => ({ encoded }))
        : valid
          ? mutated(valid).chain((value) => encoded(value, limit).map((e) => ({ encoded: e, value })))
          : fc
              .option(hostileValue)
              .chain((value) =>
                value === null ? fc.constant({}) : encoded(value, limit).map((e) => ({ encoded: e, value })),
              );
    return fc
      .record({
        method,
        path,
        query: fc.oneof({ weight: 3, arbitrary: queryKeys.length > 0 ? query : fc.constant('') }, query),
        auth: isWebhook || operation.access.kind === 'public' ? fc.constant<Auth>({ kind: 'none' }) : authArb,
        body,
        webhookToken: fc.oneof(
          { weight: 9, arbitrary: fc.constant<'valid' | 'garbage'>('valid') },
          fc.constant<'valid' | 'garbage'>('garbage'),
        ),
      })
      .map((r) => ({
        group,
        method: r.method,
        path: `${r.path}${r.query}`,
        auth: r.auth,
        body: ['GET', 'HEAD'].includes(r.method) ? undefined : r.body.encoded,
        value: r.body.value,
        webhookToken: isWebhook ? r.webhookToken : undefined,
      }));
  }

  async function execute(spec: Spec): Promise<Answer> {
    const account = accounts[spec.group];
    const headers: Record<string, string> = {};
    const auth = spec.auth;
    if (auth.kind === 'admin') headers.authorization = `Bearer ${account.adminKey}`;
    if (auth.kind === 'agent') headers.authorization = `Bearer ${account.agentKey}`;
    if (auth.kind === 'bad') headers.authorization = `Bearer sk_${randomUUID()}`;
    if (auth.kind === 'raw') headers.authorization = auth.header;
    if (spec.webhookToken === 'valid') {
      headers.authorization = `Bearer ${await signWebhook({ rawBody: spec.body?.bytes ?? Buffer.alloc(0), secret: SIGNATURE_SECRET })}`;
    }
    if (spec.webhookToken === 'garbage') headers.authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
    if (spec.body?.contentType) headers['content-type'] = spec.body.contentType;
    return send(api.url, {
      method: spec.method,
      path: spec.path,
      headers,
      body: spec.body ? new Uint8Array(spec.body.bytes) : undefined,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }

  async function countsOf(accountId: string): Promise<Counts> {
    const columns = TABLES.map((table) => `(select count(*) from ${table} where account_id = :id)::int as ${table}`);
    const result = await system.db.knex.raw(`select ${columns.join(', ')}`, { id: accountId });
    return result.rows[0] as Counts;
  }

  /** The operation a request actually reached: its method and path, not the one it was generated for. */
  function operationReached(spec: Spec): OperationSpec | undefined {
    const pathname = spec.path.split('?')[0]!;
    return OPERATIONS.find(
      (operation) =>
        operation.method === spec.method.toLowerCase() &&
        new RegExp(`^${operation.path.replace(/\{\w+\}/g, '[^/]+')}/?$`).test(pathname),
    );
  }

  /** Operations documented as HTML only: pages for a browser rather than API calls. */
  function isHtmlPage(operation: OperationSpec | undefined): boolean {
    const contents = Object.values(operation?.responses ?? {}).flatMap((response) =>
      Object.keys(response?.content ?? {}),
    );
    return contents.length > 0 && contents.every((type) => type === 'text/html');
  }

  function allowedChange(spec: Spec, answer: Answer): Allowed {
    if (answer.status >= 300) return {};
    switch (operationReached(spec)?.operationId) {
      case 'queueMessage':
        return { messages: [0, 3], consent_events: [0, 4], lead_consents: [0, 1] };
      case 'addDoNotContact':
        return answer.status === 201 ? { do_not_contact: [1, 1], consent_events: [1, 3] } : { consent_events: [0, 2] };
      case 'removeDoNotContact':
        return { do_not_contact: [-1, -1], consent_events: [1, 3] };
      case 'importDoNotContact': {
        const added = Number(answer.body?.added ?? 0);
        return { do_not_contact: [added, added], consent_events: [added, added] };
      }
      case 'setA2pStatus':
      case 'setMessagingSettings':
      case 'setSendingWindow':
      case 'setAccountText':
        return { consent_events: [0, 1] };
      case 'createTemplate':
        return { sms_templates: [1, 1] };
      case 'deleteTemplate':
        return { sms_templates: [-1, -1] };
      case 'receiveInboundMessage':
        return answer.body?.status === 'accepted'
          ? { messages: [1, 3], consent_events: [0, 6], do_not_contact: [-1, 1] }
          : {};
      case 'receiveMessageStatus':
        return answer.body?.status === 'applied' ? { do_not_contact: [0, 1], consent_events: [0, 2] } : {};
      default:
        return {};
    }
  }

  /** Waits until the number's workflow has nothing left to do, when a 2xx handed it work. */
  async function settle(spec: Spec, answer: Answer): Promise<void> {
    const reached = operationReached(spec)?.operationId;
    const value = spec.value as Record<string, unknown> | undefined;
    let raw: unknown;
    if (reached === 'addDoNotContact' || reached === 'removeDoNotContact') raw = value?.phone;
    else if (reached === 'receiveInboundMessage' && answer.body?.status === 'accepted') raw = value?.from;
    else return;
    const phone = typeof raw === 'string' ? toE164(raw) : undefined;
    assert.ok(phone, `a 2xx for ${spec.method} ${spec.path} with no phone in its body`);
    await settleNumber(accounts[spec.group].accountId, phone);
  }

  /** Polls the number's workflow until it has no workflow task and no activity pending, twice in a row. */
  async function settleNumber(accountId: string, phone: string): Promise<void> {
    const handle = system.client.workflow.getHandle(smsConsentWorkflowId(accountId, phoneKeyOf(phone, PHONE_HASH_KEY)));
    const deadline = Date.now() + 15_000;
    let quiet = 0;
    while (quiet < 2) {
      assert.ok(Date.now() < deadline, `the workflow of ${phone} never settled`);
      try {
        const { raw: description } = await handle.describe();
        const isBusy = (description.pendingActivities?.length ?? 0) > 0 || Boolean(description.pendingWorkflowTask);
        quiet = isBusy ? 0 : quiet + 1;
      } catch (error) {
        if ((error as Error).name === 'WorkflowNotFoundError') return;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  function describeSpec(spec: Spec): string {
    const body = spec.body
      ? ` ${spec.body.how} ${spec.body.contentType ?? '(no type)'} ${spec.body.bytes.toString('utf8').slice(0, 160)}`
      : '';
    return `${spec.method} ${spec.path.slice(0, 200)} [${spec.group}, ${spec.auth.kind}${spec.webhookToken ? `, ${spec.webhookToken} token` : ''}]${body}`;
  }

  async function runGroup(group: Group, specs: Spec[], failures: Map<string, string[]>): Promise<void> {
    const accountId = accounts[group].accountId;
    let counts = await countsOf(accountId);
    let previous = '(the first request)';
    const fail = (kind: string, detail: string) => {
      const examples = failures.get(kind) ?? [];
      if (examples.length < 3) examples.push(detail);
      failures.set(kind, examples);
    };
    for (const spec of specs) {
      let answer: Answer;
      try {
        answer = await execute(spec);
      } catch (error) {
        tally.requests += 1;
        fail(`no answer (${(error as Error).name})`, describeSpec(spec));
        counts = await countsOf(accountId);
        continue;
      }
      tally.requests += 1;
      tally.byStatus.set(answer.status, (tally.byStatus.get(answer.status) ?? 0) + 1);
      const route = `${spec.method} ${operationReached(spec)?.path ?? spec.path.split('?')[0]!.slice(0, 60)}`;
      if (answer.status >= 500) {
        tally.fiveXx += 1;
        fail(`${route} answered ${answer.status} ${answer.body?.error ?? ''}`, describeSpec(spec));
      } else if (answer.status >= 300 && answer.status < 400) {
        fail(`${route} answered a redirect ${answer.status}`, describeSpec(spec));
      } else if (answer.status === 431) {
        // Node's HTTP parser refuses more than 16 kB of request line and headers before the app is called; the
        // server's clientError handler (src/client-errors.ts) still answers in the JSON error shape. An answer to a
        // HEAD has no body for the client to read (RFC 9110, 9.3.2), so there only the declared type is checked.
        tally.headerOverflows += 1;
        const isErrorShape =
          spec.method === 'HEAD'
            ? answer.headers.get('content-type')?.startsWith('application/json') === true
            : answer.body?.error === 'headers_too_large';
        if (!isErrorShape) fail(`${route} 431 without the JSON error shape`, describeSpec(spec));
      } else if (answer.status >= 400 && isHtmlPage(operationReached(spec))) {
        // A page for a browser (a form) answers its errors as the page again, which is what the browser shows.
        if (!answer.headers.get('content-type')?.startsWith('text/html')) {
          fail(`${route} ${answer.status} is neither the page nor JSON`, describeSpec(spec));
        }
      } else if (answer.status >= 400 && spec.method !== 'HEAD') {
        const isErrorShape = typeof answer.body?.error === 'string' && typeof answer.body?.message === 'string';
        if (!isErrorShape)
          fail(
            `${route} ${answer.status} without the JSON error shape`,
            `${describeSpec(spec)} → ${answer.text.slice(0, 200)}`,
          );
      }
      if (answer.status < 300) await settle(spec, answer);

      const next = await countsOf(accountId);
      const allowed = allowedChange(spec, answer);
      for (const table of TABLES) {
        const change = next[table] - counts[table];
        const [min, max] = allowed[table] ?? [0, 0];
        if (change < min || change > max) {
          fail(
            `${route} ${answer.status} changed ${table} by ${change} (allowed ${min}..${max})`,
            `${describeSpec(spec)} → ${answer.text.slice(0, 200)}\n        after ${previous}`,
          );
        }
      }
      counts = next;
      previous = `${answer.status} ${describeSpec(spec)}`;
    }
  }

  it('answers thousands of hostile requests at every route with a 2xx or a JSON 4xx, never a 5xx, and writes nothing unexplained', async (t) => {
    const startedAt = Date.now();
    const byGroup = new Map<Group, Spec[]>();
    for (const [index, operation] of OPERATIONS.entries()) {
      const runs = Math.round((RUNS[operation.operationId] ?? DEFAULT_RUNS) * SCALE);
      for (const spec of fc.sample(requestArb(operation), { numRuns: runs, seed: SEED + index })) {
        byGroup.set(spec.group, [...(byGroup.get(spec.group) ?? []), spec]);
      }
    }
    const failures = new Map<string, string[]>();

    await Promise.all([...byGroup.entries()].map(([group, specs]) => runGroup(group, specs, failures)));
    const health = await Promise.all([
      send(api.url, { method: 'GET', path: '/healthz' }),
      send(system.apiUrl, { method: 'GET', path: '/healthz' }),
    ]);

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`);
    const summary = `hostile input: ${tally.requests} requests in ${seconds}s, ${tally.fiveXx} 5xx (seed ${SEED}); ${statuses.join(' ')}; ${tally.headerOverflows} 431 (headers over 16 kB)`;
    t.diagnostic(summary);
    console.log(summary);
    assert.deepEqual(
      [...failures.entries()].map(([kind, examples]) => `${kind}\n      ${examples.join('\n      ')}`),
      [],
    );
    assert.equal(tally.fiveXx, 0);
    assert.ok(tally.requests >= 3000 * SCALE, `only ${tally.requests} requests`);
    assert.deepEqual(
      health.map((answer) => answer.status),
      [200, 200],
      'the server still answers /healthz',
    );
    const probe = {} as Record<string, unknown>;
    assert.deepEqual(
      [probe.isAdmin, probe.role, probe.polluted],
      [undefined, undefined, undefined],
      'Object.prototype is clean',
    );
  });

  it('refuses a 70 kB webhook with 413 and the JSON error shape before checking anything else', async () => {
    const body = JSON.stringify({ channel: 'sms', text: 'x'.repeat(70 * 1024) });
    const token = await signWebhook({ rawBody: body, secret: SIGNATURE_SECRET });

    const answers = await Promise.all(
      ['/webhooks/vonage/inbound', '/webhooks/vonage/status'].map((path) =>
        send(api.url, {
          method: 'POST',
          path,
          body,
          contentType: 'application/json',
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );

    for (const answer of answers) {
      assert.equal(answer.status, 413);
      assert.deepEqual([answer.body.error, answer.body.message], ['entity_too_large', 'request body too large']);
    }
  });

  it('refuses a 300 kB API body with 413 and the JSON error shape, with or without a key', async () => {
    const before_ = await countsOf(accounts.messages.accountId);
    const body = { leadId: 'lead-big', phone: context.leadPhones[0], body: 'x'.repeat(300 * 1024) };

    const withKey = await send(api.url, {
      method: 'POST',
      path: '/v1/messages',
      key: accounts.messages.agentKey,
      json: body,
    });
    const withoutKey = await send(api.url, {
      method: 'POST',
      path: '/v1/templates',
      json: { name: 'big', body: body.body },
    });

    for (const answer of [withKey, withoutKey]) {
      assert.equal(answer.status, 413);
      assert.deepEqual([answer.body.error, answer.body.message], ['entity_too_large', 'request body too large']);
      assert.equal(typeof answer.body.requestId, 'string');
    }
    assert.deepEqual(await countsOf(accounts.messages.accountId), before_);
  });
});
