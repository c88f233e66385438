import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../src/app';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { AccountsRepository } from '../../src/db/accounts-repository';
import { createKnex } from '../../src/db/knex';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { createWorker } from '../../src/worker-setup';
import { sendAtAnyHour } from '../../src/sending-window/plan-send';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { freePort, launchBrowser, type TestBrowser } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  PAYLOAD_ENCRYPTION_KEYS,
  PHONE_HASH_KEY,
  sandboxVonageOptions,
  SIGNATURE_SECRET,
  waitFor,
} from '../support/system';
import { temporalCliPath } from '../support/temporal-cli';

const SANDBOX_CREDENTIAL = 'sandbox';
const UI_TIMEOUT_MS = 30_000;

/**
 * The path from the console to the Temporal Web UI. test/support/system.ts runs its dev server without
 * the UI, so this file starts its own, with the UI on a free port, and the worker, sandbox and API against it. The
 * dev server points the UI at the API's development codec endpoint, as `make start` does, so the UI shows payloads
 * decoded.
 */
describe('Temporal Web UI', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sandbox: Sandbox;
  let browser: TestBrowser;
  let uiUrl: string;
  let apiUrl: string;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const uiPort = await freePort();
    uiUrl = `http://127.0.0.1:${uiPort}`;
    // Chosen before the dev server starts, because the server is told the codec endpoint's URL.
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    // The browser first: without Chromium the file fails at once, before there is a server to clean up.
    browser = await launchBrowser();
    [env, db] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: temporalCliPath() },
          searchAttributes: [...SEARCH_ATTRIBUTES],
          ip: '127.0.0.1',
          ui: true,
          uiPort,
          extraArgs: ['--ui-codec-endpoint', `${apiUrl}/v1/codec/local`],
        },
      }),
      createTestDatabase(),
    ]);
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    sandbox = createSandbox({
      apiKey: SANDBOX_CREDENTIAL,
      apiSecret: SANDBOX_CREDENTIAL,
      signatureSecret: SIGNATURE_SECRET,
      logger,
    });
    const sandboxListener = await sandbox.listen(0, '127.0.0.1');
    const payloadCodec = new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS);
    const appKnex = createKnex({ databaseUrl: db.url, poolMax: 5 });
    const app = createApp({
      knex: appKnex,
      client: new Client({
        connection: env.connection,
        namespace: 'default',
        dataConverter: { payloadCodecs: [payloadCodec] },
      }),
      logger,
      phoneHashKey: PHONE_HASH_KEY,
      vonageSignatureSecret: SIGNATURE_SECRET,
      webhookMaxAgeSeconds: 300,
      payloadCodec,
      temporalUiUrl: uiUrl,
      isLocalUiCodecOpen: true,
    });
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(apiPort, '127.0.0.1', () => resolve(listening));
    });
    sandbox.setWebhookBaseUrl(apiUrl);
    const workerKnex = createKnex({ databaseUrl: db.url, poolMax: 10 });
    const lockKnex = createKnex({ databaseUrl: db.url, poolMax: 10 });
    const worker: Worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      knex: workerKnex,
      lockKnex,
      vonage: sandboxVonageOptions(sandboxListener.url),
      payloadCodec,
      shutdownGraceMs: 2_000,
      // The suite runs at any hour; with quiet hours, a 212 number's opt-in would wait for 08:00 in New York.
      planSend: sendAtAnyHour,
    });
    const running = worker.run();
    closers.push(
      async () => {
        worker.shutdown();
        await running;
      },
      async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
      },
      () => sandboxListener.close(),
      async () => {
        await Promise.all([appKnex.destroy(), workerKnex.destroy(), lockKnex.destroy()]);
      },
    );
  });
  after(async () => {
    for (const close of closers) await close();
    await browser?.close();
    await env?.teardown();
    await db?.drop();
  });

  /** Creates a verified account and queues `text` with its agent key (202: the lead's workflow has started). */
  async function queueForNewAccount(input: {
    name: string;
    senderNumber: string;
    text: { leadId: string; phone: string; body: string };
  }): Promise<string> {
    const accounts = new AccountsRepository(db.knex);
    const created = await accounts.createAccount({
      name: input.name,
      senderNumber: input.senderNumber,
      a2pStatus: 'verified',
    });
    const { apiKey } = await accounts.createApiKey(created.id, 'agent');
    const queued = await fetch(`${apiUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(input.text),
    });
    assert.equal(queued.status, 202);
    return apiKey;
  }

  /** The ID of the first workflow the visibility `query` lists, once it lists one. */
  function firstListed(what: string, query: string): Promise<string> {
    return waitFor(
      what,
      async () => {
        for await (const workflow of env.client.workflow.list({ query })) {
          return workflow.workflowId;
        }
        return undefined;
      },
      UI_TIMEOUT_MS,
    );
  }

  it('finds the lead\'s workflow from the console\'s link, and by ConsentStatus="Accepted"', async () => {
    const senderNumber = '+12015550142';
    const phone = '+12125550143';
    const leadId = 'lead-temporal-ui';
    const apiKey = await queueForNewAccount({
      name: 'Acme Realty',
      senderNumber,
      text: { leadId, phone, body: 'Hi Dana, the Elm St showing is on.' },
    });
    await sandbox.reply({ from: phone, to: senderNumber, text: 'START' });
    const workflowId = await firstListed('the workflow to be listed as Accepted', 'ConsentStatus="Accepted"');

    const page = await browser.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${apiUrl}/#/leads/${leadId}`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-opt-in="accepted"]').waitFor();
    const [fromLink] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: /Open this lead's workflow in the Temporal Web UI/ }).click(),
    ]);
    await fromLink.getByText(workflowId).first().waitFor({ timeout: UI_TIMEOUT_MS });
    const linkUrl = fromLink.url();
    await fromLink.close();

    const ui = await browser.newPage();
    ui.setDefaultTimeout(UI_TIMEOUT_MS);
    await ui.goto(`${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent('ConsentStatus="Accepted"')}`);
    await ui.getByText(workflowId).first().waitFor();
    await browser.screenshot(ui, '11-temporal-ui-accepted');

    assert.equal(linkUrl, `${uiUrl}/namespaces/default/workflows?query=LeadIds%3D%22${leadId}%22`);
    assert.match(workflowId, /^smsConsent:/);
    assert.doesNotMatch(workflowId, /2125550143/, 'no phone number in the workflow id');
    await page.close();
    await ui.close();
  });

  it("shows the lead ID and text decoded in the workflow's history, with no codec error, when opened", async () => {
    const senderNumber = '+12015550152';
    const phone = '+12125550153';
    const leadId = 'lead-decoded-in-ui';
    const text = 'Hi Sam, the Oak Ave open house starts at noon.';
    await queueForNewAccount({ name: 'Birch Homes', senderNumber, text: { leadId, phone, body: text } });
    const workflowId = await firstListed('the workflow to be listed', `LeadIds="${leadId}"`);

    const ui = await browser.newPage();
    ui.setDefaultTimeout(UI_TIMEOUT_MS);
    const codecCalls: number[] = [];
    ui.on('response', (response) => {
      if (response.url().startsWith(`${apiUrl}/v1/codec/local/`)) codecCalls.push(response.status());
    });
    await ui.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    await ui.getByText(workflowId).first().waitFor();
    // The workflow's input (account and number) shows on the first screen; the lead's text arrived as the
    // queueMessage update, whose request the history shows once its event is opened.
    await ui.getByText(`"${phone}"`).first().waitFor();
    await ui.getByText('Event History').first().click();
    await ui.getByText('Workflow Execution Update Accepted').first().click();
    await ui.getByText(`"${leadId}"`).first().waitFor();
    await browser.screenshot(ui, '12-temporal-ui-decoded');
    const shown = await ui.locator('body').innerText();

    assert.ok(shown.includes(`"leadId": "${leadId}"`), 'the decoded lead ID');
    assert.ok(shown.includes(`"body": "${text}"`), 'the decoded text');
    assert.doesNotMatch(shown, /binary\/encrypted/, 'no payload left encrypted');
    assert.doesNotMatch(shown, /Codec Server could not connect/);
    assert.ok(codecCalls.length > 0 && codecCalls.every((status) => status === 200), `codec calls: ${codecCalls}`);
    await ui.close();
  });
});
