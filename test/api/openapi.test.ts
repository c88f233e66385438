import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createKnex } from '../../src/db/knex';
import { buildOpenApiDocument, COMPONENT_SCHEMAS, type OpenApiDocument } from '../../src/openapi';
import { NO_NUL } from '../../src/api/text-rules';
import { toE164, usNumberPattern } from '../../src/phone';
import { startSystem, type TestAccount, type TestSystem } from '../support/system';

/** The parts of an Express 5 router layer the walk reads (router 2.x keeps the mount path in `rawPath`). */
interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/** `METHOD /path/{param}` for every route in the stack, mounts included. */
function routesOf(stack: RouterLayer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      assert.equal(typeof layer.route.path, 'string', 'route paths are strings');
      const path = toTemplate(`${prefix}${String(layer.route.path)}`);
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (layer.handle.stack) {
      assert.equal(typeof layer.rawPath, 'string', 'mount paths are strings');
      const mount = layer.rawPath === '/' ? '' : String(layer.rawPath);
      return routesOf(layer.handle.stack, `${prefix}${mount}`);
    }
    return [];
  });
}

/** Express `/:leadId/messages/` → OpenAPI `/{leadId}/messages`. */
function toTemplate(path: string): string {
  const template = path.replace(/:(\w+)/g, '{$1}');
  return template.length > 1 ? template.replace(/\/+$/, '') : template;
}

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** Every object in the document, with its JSON pointer. */
function* walk(value: unknown, pointer = '#'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* walk(item, `${pointer}/${index}`);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    yield [pointer, object];
    for (const [key, child] of Object.entries(object)) {
      yield* walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}

function resolvePointer(document: unknown, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `${ref} is a local reference`);
  return ref
    .slice(2)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, token) =>
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined,
      document,
    );
}

/** Every example in the document with the component schema it sits under. */
function examplesOf(document: OpenApiDocument): { where: string; component: string; value: unknown }[] {
  const found: { where: string; component: string; value: unknown }[] = [];
  for (const [pointer, node] of walk(document)) {
    const schema = node.schema as { $ref?: string } | undefined;
    const examples = node.examples as Record<string, { value: unknown }> | undefined;
    if (!examples || !schema?.$ref?.startsWith('#/components/schemas/')) continue;
    const component = schema.$ref.slice('#/components/schemas/'.length);
    for (const [name, example] of Object.entries(examples)) {
      found.push({ where: `${pointer}/examples/${name}`, component, value: example.value });
    }
  }
  return found;
}

describe('openapi document', () => {
  const document = buildOpenApiDocument();

  it('lists every route the Express app serves, and nothing else, when the app is walked', async () => {
    const knex = createKnex({ databaseUrl: 'postgres://nobody@127.0.0.1:1/never-connected' });
    const app = createApp({
      knex,
      client: {} as Client,
      logger: pino({ level: 'silent' }),
      phoneHashKey: 'unused-phone-hash-key-0123456789',
      vonageSignatureSecret: 'unused-signature-secret-0123456789',
      webhookMaxAgeSeconds: 300,
    });

    const served = routesOf((app.router as unknown as { stack: RouterLayer[] }).stack).sort();
    await knex.destroy();

    assert.ok(served.length >= 26, `the walk found only ${served.length} routes`);
    assert.ok(served.includes('GET /v1/leads/{leadId}/consent'), 'the walk reaches nested routers');
    assert.deepEqual(served, [...new Set(served)], 'no route is registered twice');
    assert.deepEqual(documentedRoutes(document).sort(), served);
  });

  it('parses every example with the zod schema its component came from', () => {
    const examples = examplesOf(document);

    assert.ok(examples.length >= 20, `only ${examples.length} examples found`);
    for (const example of examples) {
      const source = COMPONENT_SCHEMAS[example.component];
      assert.ok(source, `${example.where}: ${example.component} has no zod schema`);
      const result = source.schema.safeParse(example.value);
      assert.ok(result.success, `${example.where}: ${result.error?.message}`);
    }
  });

  it('refuses an example when it is deliberately broken', () => {
    const body = document.paths['/v1/messages']?.post?.requestBody?.content['application/json'];
    const composed = body?.examples?.composed?.value as Record<string, unknown>;
    const status = document.paths['/webhooks/vonage/status']?.post?.requestBody?.content['application/json'];
    const delivered = status?.examples?.delivered?.value as Record<string, unknown>;

    const both = { ...composed, templateId: randomUUID() };
    const noLead = { ...composed, leadId: undefined };
    const noMessageUuid = { ...delivered, message_uuid: undefined };

    const queueMessage = COMPONENT_SCHEMAS.QueueMessageRequest!.schema;
    assert.equal(queueMessage.safeParse(composed).success, true);
    assert.equal(queueMessage.safeParse(both).success, false, 'body and templateId together');
    assert.equal(queueMessage.safeParse(noLead).success, false, 'no leadId');
    assert.equal(COMPONENT_SCHEMAS.VonageMessageStatus!.schema.safeParse(noMessageUuid).success, false);
  });

  it('states in the document each rule a route checks beyond the field types', () => {
    const schemas = document.components.schemas as Record<string, Record<string, any>>;
    const queueMessage = schemas.QueueMessageRequest!;
    const recentQuery = document.paths['/v1/messages']?.get?.parameters?.[0];
    const csv = document.paths['/v1/do-not-contact/import']?.post?.requestBody?.content['text/csv']?.schema;

    assert.deepEqual(queueMessage.oneOf, [
      { required: ['body'], properties: { templateId: false, variables: false } },
      { required: ['templateId'], properties: { body: false } },
    ]);
    assert.equal(queueMessage.properties.phone.format, 'phone');
    assert.match(queueMessage.properties.phone.description, /E\.164/);
    assert.equal(schemas.UpdateTemplateRequest!.minProperties, 1);
    assert.equal(recentQuery?.explode, true);
    assert.deepEqual(recentQuery?.schema.not, { required: ['status', 'optIn'] });
    assert.ok(new RegExp(String(csv?.pattern)).test('phone,source\n+14155550123,email'), 'a plain CSV fits');
    assert.ok(!new RegExp(String(csv?.pattern)).test(' \n '), 'a blank CSV does not');
    assert.ok(JSON.stringify(schemas.CreateTemplateRequest).includes(JSON.stringify(NO_NUL.source)), 'NUL is refused');
  });

  it('generates from its phone pattern only numbers toE164 accepts, when sampled', () => {
    const pattern = new RegExp(usNumberPattern());
    const samples = ['+12125550123', '14155550123', '+19832000000', '+18005550123', '+10005550123', '+1415555012'];

    for (const sample of samples) {
      if (pattern.test(sample)) assert.ok(toE164(sample), `${sample} matches but is refused`);
    }
    assert.ok(pattern.test('+14155550123') && pattern.test('14155550123'));
    assert.ok(!pattern.test('+10005550123'), 'area code 000 is not in service');
  });

  it('gives an example for every request body', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
          assert.ok(Object.keys(media.examples ?? {}).length > 0, `${method} ${path} ${mediaType} has no example`);
        }
      }
    }
  });

  it('is structurally valid OpenAPI 3.1 when checked field by field', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    const tagNames = new Set(document.tags.map((tag) => tag.name));
    const schemes = new Set(Object.keys(document.components.securitySchemes));

    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.info.title && document.info.version, 'info has a title and a version');
    assert.deepEqual(JSON.parse(JSON.stringify(document)), document, 'plain JSON: no undefined, no functions');
    assert.ok(operations.length > 0);
    const ids = operations.map(({ operation }) => operation.operationId);
    assert.deepEqual([...new Set(ids)], ids, 'operationIds are unique');
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.match(path, /^\//);
      assert.ok(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method), where);
      assert.match(operation.operationId, /^[a-z][A-Za-z0-9]*$/, where);
      assert.ok(operation.summary.length > 0 && operation.description.length > 0, `${where} summary`);
      assert.ok(operation.tags.length > 0 && operation.tags.every((tag) => tagNames.has(tag)), `${where} tags`);
      for (const requirement of operation.security) {
        for (const name of Object.keys(requirement)) assert.ok(schemes.has(name), `${where} security ${name}`);
      }
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      assert.deepEqual(pathParameters.map((parameter) => parameter.name).sort(), templated, `${where} path params`);
      assert.ok(
        pathParameters.every((parameter) => parameter.required),
        `${where} path params are required`,
      );
      const statuses = Object.keys(operation.responses);
      assert.ok(statuses.length > 0 && statuses.every((status) => /^[1-5]\d\d$/.test(status)), `${where} statuses`);
    }
    for (const [pointer, node] of walk(document)) {
      if (typeof node.$ref !== 'string') continue;
      assert.notEqual(resolvePointer(document, node.$ref), undefined, `${pointer}: ${node.$ref} does not resolve`);
    }
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      assert.ok(!('$schema' in schema) && !('$id' in schema), `${name} carries no standalone-schema keywords`);
    }
  });

  it('secures /v1 with an API key, the webhooks with the Vonage JWT, and nothing else', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(operation.responses);
        // The codec session page is public on purpose: it is where an operator presents the key.
        if (path.startsWith('/v1/') && path !== '/v1/codec/session') {
          assert.deepEqual(operation.security, [{ apiKey: [] }], where);
          const roles = operation['x-roles'] ?? [];
          assert.ok(roles.includes('admin') || roles.includes('operator'), `${where} roles`);
          assert.ok(statuses.includes('401') && statuses.includes('503'), `${where} 401/503`);
          if (!roles.includes('agent')) assert.ok(statuses.includes('403'), `${where} 403`);
        } else if (path.startsWith('/webhooks/')) {
          assert.deepEqual(operation.security, [{ vonageSignature: [] }], where);
          for (const status of ['200', '400', '401', '503']) assert.ok(statuses.includes(status), `${where} ${status}`);
        } else {
          assert.deepEqual(operation.security, [], where);
        }
      }
    }
    const jwt = document.components.securitySchemes.vonageSignature;
    assert.equal(jwt?.bearerFormat, 'JWT');
    assert.match(jwt?.description ?? '', /HS256/);
    assert.match(jwt?.description ?? '', /payload_hash/);
    assert.match(jwt?.description ?? '', /iat/);
  });
});

describe('openapi routes', () => {
  let system: TestSystem;
  let account: TestAccount;
  const document = buildOpenApiDocument();

  before(async () => {
    system = await startSystem({ inProcessWorker: false });
    account = await system.createAccount();
  });
  after(async () => {
    await system?.close();
  });

  it('serves the document at /openapi.json without a key', async () => {
    const response = await fetch(`${system.apiUrl}/openapi.json`);

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), document);
  });

  it('serves a script-free HTML page naming every path and operation at /docs without a key', async () => {
    const response = await fetch(`${system.apiUrl}/docs`);
    const html = await response.text();

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.doesNotMatch(html, /<script/i);
    for (const [path, item] of Object.entries(document.paths)) {
      assert.ok(html.includes(`<code>${path}</code>`), `${path} is on the page`);
      for (const operation of Object.values(item)) {
        assert.ok(html.includes(`id="op-${operation.operationId}"`), `${operation.operationId} is on the page`);
      }
    }
  });

  it('answers 405 with Allow when a declared path is called with an undeclared method', async () => {
    const put = await fetch(`${system.apiUrl}/v1/templates`, { method: 'PUT' });
    const patch = await fetch(`${system.apiUrl}/v1/templates/${randomUUID()}`, { method: 'PATCH' });
    const head = await fetch(`${system.apiUrl}/healthz`, { method: 'HEAD' });
    const preflight = await fetch(`${system.apiUrl}/v1/codec/decode`, { method: 'OPTIONS' });
    const unknown = await fetch(`${system.apiUrl}/no-such-route`, { method: 'PATCH' });

    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST, HEAD');
    assert.equal(((await put.json()) as { error: string }).error, 'method_not_allowed');
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.get('allow'), 'GET, PUT, DELETE, HEAD');
    assert.equal(head.status, 200, 'HEAD is answered wherever GET is');
    assert.equal(preflight.status, 204, 'the codec still answers its CORS preflight');
    assert.equal(unknown.status, 404);
  });

  it('refuses a NUL in a template name at validation, with its path, when one is sent', async () => {
    const response = await system.api('POST', '/v1/templates', {
      key: account.adminKey,
      body: { name: 'nul\u0000name', body: 'Hi {{firstName}}' },
    });

    assert.equal(response.status, 400);
    assert.equal(response.body.error, 'invalid_request');
    assert.deepEqual(
      response.body.details.map((detail: { path: string }) => detail.path),
      ['body.name'],
    );
  });

  it('reaches a handler for every documented operation when each is called with an admin key', async () => {
    const samples: Record<string, string> = {
      leadId: 'lead-openapi-probe',
      templateId: randomUUID(),
      name: 'opt-in-template',
    };
    const unknown = await system.api('GET', '/v1/no-such-route', { key: account.adminKey });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.message, 'no such route');

    for (const route of documentedRoutes(document)) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => samples[name] ?? 'x');

      // No body: each call stops at validation (400), a lookup (404 with its own message) or the signature check.
      const response = await system.api(method, url, { key: path.startsWith('/v1/') ? account.adminKey : undefined });

      assert.ok(
        !(response.status === 404 && response.body?.message === 'no such route'),
        `${route} is documented but the app has no such route`,
      );
    }
  });
});
