import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities, type OutboundKind, type SendTextResult } from '../../activities';
import { FOOTER } from '../../src/consent/footer';
import { AccountsRepository, type A2pStatus } from '../../src/db/accounts-repository';
import { OutboxRepository } from '../../src/db/outbox-repository';
import { createKnex } from '../../src/db/knex';
import { WebhookRepository } from '../../src/db/webhook-repository';
import { phoneKeyOf } from '../../src/phone';
import { createSandbox, type Sandbox, type SandboxListener } from '../../src/sandbox/sandbox';
import { createVonageClient, VonageSmsGateway } from '../../src/vonage/sms-gateway';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { uniqueNumber, waitFor } from '../support/system';
import { sendAtAnyHour } from '../../src/sending-window/plan-send';

const SANDBOX_CREDENTIAL = 'sandbox';
const PHONE_HASH_KEY = 'activity-test-phone-hash-key';
const DEFAULT_RECONCILE_WINDOW_MS = 60_000;

/** Expected refusals and retryable failures log warnings; only errors are worth reading in test output. */
const QUIET_LOGGER = new DefaultLogger('ERROR');

const countFooter = (text: string) => text.split(FOOTER).length - 1;

/** Runs one activity call the way a worker would, in its own mock activity context. */
function runActivity<P extends unknown[], R>(fn: (...args: P) => Promise<R>, ...args: P): Promise<R> {
  return new MockActivityEnvironment(undefined, { logger: QUIET_LOGGER }).run(fn, ...args);
}

/** Asserts that `promise` rejects with a retryable ApplicationFailure of `type`. */
async function assertRetryableFailure(promise: Promise<unknown>, type: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
    assert.equal(error.type, type);
    assert.equal(error.nonRetryable, false);
    return true;
  });
}

describe('messaging activities', () => {
  let db: TestDatabase;
  let lockKnex: Knex;
  let sandbox: Sandbox;
  let sandboxListener: SandboxListener;
  let accounts: AccountsRepository;
  let webhooks: WebhookRepository;

  before(async () => {
    db = await createTestDatabase();
    lockKnex = createKnex({ databaseUrl: db.url, poolMax: 4 });
    sandbox = createSandbox({
      apiKey: SANDBOX_CREDENTIAL,
      apiSecret: SANDBOX_CREDENTIAL,
      signatureSecret: 'activity-test-signature-secret',
    });
    sandboxListener = await sandbox.listen(0, '127.0.0.1');
    accounts = new AccountsRepository(db.knex);
    webhooks = new WebhookRepository(db.knex);
  });
  afterEach(() => {
    sandbox.setFault(null);
  });
  after(async () => {
    await sandboxListener?.close();
    await lockKnex?.destroy();
    await db?.drop();
  });

  /** The real activities over the test database and the real Vonage SDK pointed at the sandbox. */
  function activitiesWith(options: { timeoutMs?: number; reconcileWindowMs?: number; lockPool?: Knex } = {}) {
    const vonage = createVonageClient({
      apiHost: sandboxListener.url,
      apiKey: SANDBOX_CREDENTIAL,
      apiSecret: SANDBOX_CREDENTIAL,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    return createActivities({
      store: new OutboxRepository(db.knex, options.lockPool ?? lockKnex),
      sms: new VonageSmsGateway(vonage),
      reconcileWindowMs: options.reconcileWindowMs ?? DEFAULT_RECONCILE_WINDOW_MS,
      // These tests are about the send itself; quiet hours have their own suite (test/e2e/quiet-hours.test.ts).
      planSend: sendAtAnyHour,
    });
  }

  /** A new account and a new lead number on it; every test owns its rows. */
  async function newNumber(options: { a2pStatus?: A2pStatus; phone?: string } = {}) {
    const account = await accounts.createAccount({
      name: 'Acme Realty',
      senderNumber: uniqueNumber('201555'),
      a2pStatus: options.a2pStatus ?? 'verified',
    });
    const phone = options.phone ?? uniqueNumber('212555');
    const phoneKey = phoneKeyOf(phone, PHONE_HASH_KEY);
    return { accountId: account.id, phone, phoneKey, workflowId: smsConsentWorkflowId(account.id, phoneKey), account };
  }
  type TestNumber = Awaited<ReturnType<typeof newNumber>>;

  const sendInput = (number: TestNumber, kind: OutboundKind, messageId: string = randomUUID(), leadId = 'lead-1') => ({
    accountId: number.accountId,
    phone: number.phone,
    phoneKey: number.phoneKey,
    workflowId: number.workflowId,
    messageId,
    kind,
    leadId,
  });

  async function queueLeadText(number: TestNumber, leadId: string, body: string): Promise<string> {
    const messageId = randomUUID();
    await runActivity(activitiesWith().recordQueuedMessage, {
      accountId: number.accountId,
      phone: number.phone,
      phoneKey: number.phoneKey,
      workflowId: number.workflowId,
      messageId,
      leadId,
      body,
    });
    return messageId;
  }

  async function recordConsent(
    number: TestNumber,
    change: { eventType: 'opted_in' | 'opted_out'; leadIds: string[]; doNotContact?: 'add' | 'remove' },
    eventKey: string = randomUUID(),
  ): Promise<void> {
    await runActivity(activitiesWith().recordConsentChange, {
      accountId: number.accountId,
      phone: number.phone,
      phoneKey: number.phoneKey,
      workflowId: number.workflowId,
      eventKey,
      source: 'sms',
      newStatus: change.eventType === 'opted_in' ? 'accepted' : 'rejected',
      occurredAt: new Date().toISOString(),
      rawText: change.eventType === 'opted_in' ? 'START' : 'STOP',
      ...change,
    });
  }

  async function messageRow(messageId: string) {
    return db.knex('messages').where({ id: messageId }).first();
  }

  /** Asserts the send ended as `status` for `reason`, its row says `status`, and nothing reached the number; returns the row. */
  async function assertNotSent(
    number: TestNumber,
    messageId: string,
    result: SendTextResult,
    expected: Pick<SendTextResult, 'status' | 'reason'>,
  ) {
    assert.equal(result.status, expected.status);
    assert.equal(result.reason, expected.reason);
    const row = await messageRow(messageId);
    assert.equal(row.status, expected.status);
    assert.deepEqual(sandbox.sent({ to: number.phone }), []);
    return row;
  }

  describe('sendText', () => {
    it('sends the opt-in once with the footer exactly once when the lead is new', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');

      const result = await runActivity(activitiesWith().sendText, input);

      const sent = sandbox.sent({ to: number.phone });
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.clientRef, input.messageId);
      assert.equal(sent[0]?.text, `${number.account.optInTemplate}\n${FOOTER}`);
      assert.equal(countFooter(sent[0]?.text ?? ''), 1);
      assert.ok(sent[0]?.text.endsWith(FOOTER));
      assert.deepEqual(result, {
        status: 'sent',
        text: sent[0]?.text,
        providerMessageId: sent[0]?.messageUuid,
        reason: undefined,
      } satisfies SendTextResult);
      const row = await messageRow(input.messageId);
      assert.equal(row.status, 'sent');
      assert.equal(row.kind, 'opt_in');
      assert.equal(row.provider_message_id, sent[0]?.messageUuid);
    });

    it('sends nothing more and returns the same providerMessageId when called again with the same messageId', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');
      const first = await runActivity(activitiesWith().sendText, input);

      const again = await runActivity(activitiesWith().sendText, input);

      assert.equal(sandbox.sent({ to: number.phone }).length, 1);
      assert.equal(again.status, 'sent');
      assert.equal(again.providerMessageId, first.providerMessageId);
      assert.equal(again.text, first.text);
    });

    for (const a2pStatus of ['unverified', 'pending', 'failed'] as const) {
      it(`fails every kind with a2p_not_verified and sends nothing when the account's A2P status is ${a2pStatus}`, async () => {
        const number = await newNumber({ a2pStatus });
        const leadTextId = await queueLeadText(number, 'lead-1', 'Hi Dana');
        await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
        const kinds: OutboundKind[] = ['opt_in', 'opt_out_confirmation', 'opt_in_confirmation', 'help_reply'];

        const results = [await runActivity(activitiesWith().sendText, sendInput(number, 'lead', leadTextId))];
        for (const kind of kinds) results.push(await runActivity(activitiesWith().sendText, sendInput(number, kind)));

        for (const result of results) {
          assert.equal(result.status, 'failed');
          assert.equal(result.reason, 'a2p_not_verified');
        }
        assert.equal((await messageRow(leadTextId)).status, 'failed');
        assert.deepEqual(sandbox.sent({ to: number.phone }), []);
      });
    }

    it('blocks lead texts, opt-ins and opt-in confirmations but sends the opt-out confirmation and HELP reply when the number is on Do Not Contact', async () => {
      const number = await newNumber();
      const leadTextId = await queueLeadText(number, 'lead-1', 'Hi Dana');
      await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
      await recordConsent(number, { eventType: 'opted_out', leadIds: [], doNotContact: 'add' });
      const sendText = activitiesWith().sendText;

      const lead = await runActivity(sendText, sendInput(number, 'lead', leadTextId));
      const optIn = await runActivity(sendText, sendInput(number, 'opt_in', randomUUID(), 'lead-2'));
      const optInConfirmation = await runActivity(sendText, sendInput(number, 'opt_in_confirmation'));
      const optOutConfirmation = await runActivity(sendText, sendInput(number, 'opt_out_confirmation'));
      const helpReply = await runActivity(sendText, sendInput(number, 'help_reply'));

      for (const blocked of [lead, optIn, optInConfirmation]) {
        assert.equal(blocked.status, 'blocked');
        assert.equal(blocked.reason, 'do_not_contact');
      }
      assert.equal((await messageRow(leadTextId)).status, 'blocked');
      assert.equal(optOutConfirmation.status, 'sent');
      assert.equal(helpReply.status, 'sent');
      assert.deepEqual(
        sandbox.sent({ to: number.phone }).map((message) => message.text),
        [`${number.account.optOutConfirmationTemplate}\n${FOOTER}`, `${number.account.helpTemplate}\n${FOOTER}`],
      );
    });

    it('blocks a lead text with not_opted_in and sends nothing when the lead has not accepted', async () => {
      const number = await newNumber();
      const leadTextId = await queueLeadText(number, 'lead-1', 'Hi Dana');

      const result = await runActivity(activitiesWith().sendText, sendInput(number, 'lead', leadTextId));

      await assertNotSent(number, leadTextId, result, { status: 'blocked', reason: 'not_opted_in' });
    });

    it('sends the lead text once with the footer exactly once when the lead has accepted', async () => {
      const number = await newNumber();
      const leadTextId = await queueLeadText(number, 'lead-1', 'Hi Dana, the house on Elm St is available.');
      await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });

      const result = await runActivity(activitiesWith().sendText, sendInput(number, 'lead', leadTextId));

      assert.equal(result.status, 'sent');
      const sent = sandbox.sent({ to: number.phone });
      assert.deepEqual(
        sent.map((message) => message.text),
        [`Hi Dana, the house on Elm St is available.\n${FOOTER}`],
      );
      assert.equal((await messageRow(leadTextId)).status, 'sent');
    });

    for (const mode of ['http500', 'http429'] as const) {
      it(`throws a retryable ProviderUnavailable, requeues the row and sends once after the fault clears when the sandbox answers ${mode}`, async () => {
        const number = await newNumber();
        const input = sendInput(number, 'opt_in');
        sandbox.setFault({ mode });

        const failing = runActivity(activitiesWith().sendText, input);

        await assertRetryableFailure(failing, 'ProviderUnavailable');
        const requeued = await messageRow(input.messageId);
        assert.equal(requeued.status, 'queued');
        assert.equal(requeued.send_attempted_at, null);
        assert.deepEqual(sandbox.sent({ to: number.phone }), []);
        sandbox.setFault(null);
        const retried = await runActivity(activitiesWith().sendText, input);
        assert.equal(retried.status, 'sent');
        assert.equal(sandbox.sent({ to: number.phone }).length, 1);
        assert.equal((await messageRow(input.messageId)).status, 'sent');
      });
    }

    it('throws SendOutcomeUnknown, keeps the row sending and sends nothing on retry when the SDK times out', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');
      const impatient = activitiesWith({ timeoutMs: 300 });
      sandbox.setFault({ mode: 'timeout', delayMs: 10_000 });

      const timedOut = runActivity(impatient.sendText, input);

      await assertRetryableFailure(timedOut, 'SendOutcomeUnknown');
      assert.equal((await messageRow(input.messageId)).status, 'sending');
      sandbox.setFault(null);
      await assertRetryableFailure(runActivity(impatient.sendText, input), 'SendOutcomeUnknown');
      assert.equal((await messageRow(input.messageId)).status, 'sending');
      assert.deepEqual(sandbox.sent({ to: number.phone }), []);
    });

    it('returns sent without a second send when the status callback reconciled a send whose answer was lost', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');
      const impatient = activitiesWith({ timeoutMs: 300 });
      // The sandbox takes the text after the SDK gave up: Vonage has it, we do not know.
      sandbox.setFault({ mode: 'slow', delayMs: 800, remaining: 1 });
      await assertRetryableFailure(runActivity(impatient.sendText, input), 'SendOutcomeUnknown');
      const [taken] = await waitFor('the sandbox to take the slow text', () => {
        const sent = sandbox.sent({ to: number.phone });
        return sent.length === 1 ? sent : undefined;
      });

      const reconciled = await webhooks.recordStatus({
        accountId: number.accountId,
        providerMessageId: taken!.messageUuid,
        clientRef: taken!.clientRef,
        status: 'submitted',
        timestamp: new Date().toISOString(),
      });
      const result = await runActivity(impatient.sendText, input);

      assert.equal(taken!.clientRef, input.messageId);
      assert.equal(reconciled.matched, true);
      assert.equal(result.status, 'sent');
      assert.equal(result.providerMessageId, taken!.messageUuid);
      assert.equal(sandbox.sent({ to: number.phone }).length, 1);
      const row = await messageRow(input.messageId);
      assert.equal(row.status, 'sent');
      assert.equal(row.provider_message_id, taken!.messageUuid);
    });

    it('answers a receipt that moves nothing without writing, and applies one that moves the text forward', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');
      const result = await runActivity(activitiesWith().sendText, input);
      const receipt = (status: 'submitted' | 'delivered') =>
        webhooks.recordStatus({
          accountId: number.accountId,
          providerMessageId: result.providerMessageId!,
          status,
          timestamp: new Date().toISOString(),
        });
      const sent = await messageRow(input.messageId);

      const submitted = await receipt('submitted');
      const afterSubmitted = await messageRow(input.messageId);
      const delivered = await receipt('delivered');
      const afterDelivered = await messageRow(input.messageId);
      const again = await receipt('delivered');
      const afterAgain = await messageRow(input.messageId);

      assert.equal(sent.status, 'sent');
      assert.equal(submitted.matched, true);
      assert.deepEqual(afterSubmitted, sent, 'a submitted after sent writes nothing, not even updated_at');
      assert.equal(delivered.matched, true);
      assert.equal(afterDelivered.status, 'delivered');
      assert.equal(again.matched, true);
      assert.deepEqual(afterAgain, afterDelivered);
    });

    it('fails with send_outcome_unknown and never resends when a sending row is older than the reconcile window', async () => {
      const number = await newNumber();
      const input = sendInput(number, 'opt_in');
      const impatient = activitiesWith({ timeoutMs: 200, reconcileWindowMs: 500 });
      sandbox.setFault({ mode: 'timeout', delayMs: 10_000 });
      await assertRetryableFailure(runActivity(impatient.sendText, input), 'SendOutcomeUnknown');
      sandbox.setFault(null);
      await new Promise((resolve) => setTimeout(resolve, 700));

      const result = await runActivity(impatient.sendText, input);

      const row = await assertNotSent(number, input.messageId, result, {
        status: 'failed',
        reason: 'send_outcome_unknown',
      });
      assert.equal(row.reason, 'send_outcome_unknown');
      const again = await runActivity(impatient.sendText, input);
      assert.equal(again.status, 'failed');
      assert.deepEqual(sandbox.sent({ to: number.phone }), []);
    });

    it('fails with invalid_number and records nothing at the sandbox when the provider refuses the number', async () => {
      const number = await newNumber({ phone: uniqueNumber('3055559') });
      const input = sendInput(number, 'opt_in');

      const result = await runActivity(activitiesWith().sendText, input);

      const row = await assertNotSent(number, input.messageId, result, { status: 'failed', reason: 'invalid_number' });
      assert.equal(row.reason, 'invalid_number');
    });
  });

  describe('the send path on the lock connection', () => {
    it("prepares the lock's, the claim's and the gate's statements once per connection and reuses them for the next send", async () => {
      // One connection, so every send's lock and claim run on it and pg_prepared_statements is that session's.
      const oneConnection = createKnex({ databaseUrl: db.url, poolMax: 1 });
      try {
        const activities = activitiesWith({ lockPool: oneConnection });
        const number = await newNumber();
        /** This session's backend and its named statements, each with the instant it was prepared. */
        const preparedNow = async () => {
          const { rows } = await oneConnection.raw(
            `select pg_backend_pid() as pid, name, statement, prepare_time::text as prepared_at
               from pg_prepared_statements where name like 'sms_consent_%' order by name`,
          );
          return rows as { pid: number; name: string; statement: string; prepared_at: string }[];
        };
        const optIn = await runActivity(activities.sendText, sendInput(number, 'opt_in'));
        const afterOptIn = await preparedNow();
        const messageId = await queueLeadText(number, 'lead-1', 'The house on Elm St is available.');
        await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
        const text = await runActivity(activities.sendText, sendInput(number, 'lead', messageId));
        assert.deepEqual([optIn.status, text.status], ['sent', 'sent']);

        const rows = await preparedNow();
        assert.deepEqual(
          rows.map((row) => row.name),
          [
            'sms_consent_claim_row',
            'sms_consent_claim_sending',
            'sms_consent_gate_lead_status',
            'sms_consent_is_on_do_not_contact',
            'sms_consent_number_lock_session',
            'sms_consent_number_unlock_all',
            'sms_consent_send_gate_lock',
          ],
        );
        // The second send ran on the same session and used what the first prepared, unchanged; only the lead's
        // gate read is new.
        assert.equal(afterOptIn.length, 6);
        assert.ok(rows.every((row) => row.pid === afterOptIn[0]?.pid));
        for (const first of afterOptIn) {
          assert.equal(rows.find((row) => row.name === first.name)?.prepared_at, first.prepared_at, first.name);
        }
        // Named columns, never `select *`: a migration that adds a column must not break a prepared read.
        for (const row of rows) assert.doesNotMatch(row.statement, /select \*/i);
      } finally {
        await oneConnection.destroy();
      }
    });
  });

  describe("recordQueuedMessage with a new lead's opt-in", () => {
    const queueWithOptIn = (number: TestNumber, optInId: string, messageId: string = randomUUID()) => ({
      accountId: number.accountId,
      phone: number.phone,
      phoneKey: number.phoneKey,
      workflowId: number.workflowId,
      messageId,
      leadId: 'lead-1',
      body: 'Hi Dana, the house on Elm St is available.',
      optIn: { messageId: optInId },
    });

    it('records the text, then sends the opt-in once; a retry after the provider failed sends it once and records the text once', async () => {
      const number = await newNumber();
      const input = queueWithOptIn(number, randomUUID());
      sandbox.setFault({ mode: 'http500', remaining: 1 });

      await assertRetryableFailure(runActivity(activitiesWith().recordQueuedMessage, input), 'ProviderUnavailable');
      const textAfterFailure = await messageRow(input.messageId);
      const retried = await runActivity(activitiesWith().recordQueuedMessage, input);

      assert.equal(textAfterFailure.status, 'queued', 'the text was committed before the opt-in was tried');
      assert.equal(retried.isDuplicate, false, 'the retry carries on as the first attempt');
      assert.equal(retried.optIn?.status, 'sent');
      const sent = sandbox.sent({ to: number.phone });
      assert.deepEqual(
        sent.map((message) => message.clientRef),
        [input.optIn.messageId],
      );
      assert.equal(retried.optIn?.providerMessageId, sent[0]?.messageUuid);
      assert.equal((await messageRow(input.optIn.messageId)).status, 'sent');
      const texts = await db.knex('messages').where({ phone: number.phone, kind: 'lead' }).count({ n: '*' });
      assert.equal(Number(texts[0]?.n), 1);
    });

    it('sends no opt-in when the number is on Do Not Contact or the text is a duplicate', async () => {
      const onList = await newNumber();
      await recordConsent(onList, { eventType: 'opted_out', leadIds: [], doNotContact: 'add' });
      const fresh = await newNumber();

      const blocked = await runActivity(activitiesWith().recordQueuedMessage, queueWithOptIn(onList, randomUUID()));
      const keyed = await runActivity(activitiesWith().recordQueuedMessage, {
        ...queueWithOptIn(fresh, randomUUID()),
        idempotencyKey: 'same-request',
      });
      const again = await runActivity(activitiesWith().recordQueuedMessage, {
        ...queueWithOptIn(fresh, randomUUID()),
        idempotencyKey: 'same-request',
      });

      assert.equal(blocked.isOnDoNotContact, true);
      assert.equal(blocked.optIn, undefined);
      assert.equal(keyed.optIn?.status, 'sent', 'the first text under the key gets its opt-in');
      assert.equal(again.isDuplicate, true);
      assert.equal(again.optIn, undefined);
      assert.deepEqual(sandbox.sent({ to: onList.phone }), []);
      assert.equal(sandbox.sent({ to: fresh.phone }).length, 1, 'one opt-in: none for the duplicate');
    });
  });

  describe('recordQueuedMessage with sendNow (the lead has accepted)', () => {
    it('records the text and sends it once, with the footer; a duplicate request sends nothing more', async () => {
      const number = await newNumber();
      await queueLeadText(number, 'lead-1', 'First: held, then released.');
      await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
      const input = {
        accountId: number.accountId,
        phone: number.phone,
        phoneKey: number.phoneKey,
        workflowId: number.workflowId,
        messageId: randomUUID(),
        leadId: 'lead-1',
        body: 'The open house is Sunday at 2.',
        idempotencyKey: `now-${randomUUID()}`,
        sendNow: true,
      };

      const first = await runActivity(activitiesWith().recordQueuedMessage, input);
      const again = await runActivity(activitiesWith().recordQueuedMessage, { ...input, messageId: randomUUID() });

      assert.equal(first.sent?.status, 'sent');
      assert.equal(again.isDuplicate, true);
      assert.equal(again.sent, undefined);
      assert.deepEqual(
        sandbox.sent({ to: number.phone }).map((message) => [message.clientRef, message.text]),
        [[input.messageId, `The open house is Sunday at 2.\n${FOOTER}`]],
      );
      assert.equal((await messageRow(input.messageId)).status, 'sent');
    });
  });

  describe('sendTexts', () => {
    it('sends a START confirmation and the released texts in order, and a retry after a failure part-way sends none twice', async () => {
      const number = await newNumber();
      const first = await queueLeadText(number, 'lead-1', 'First: the house on Elm St.');
      const second = await queueLeadText(number, 'lead-1', 'Second: the open house is Sunday.');
      await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
      const {
        messageId: confirmationId,
        kind: _kind,
        leadId: _leadId,
        ...ref
      } = sendInput(number, 'opt_in_confirmation');
      const input = {
        ...ref,
        texts: [
          { messageId: confirmationId, kind: 'opt_in_confirmation' as const },
          { messageId: first, kind: 'lead' as const, leadId: 'lead-1', canSchedule: true },
          { messageId: second, kind: 'lead' as const, leadId: 'lead-1', canSchedule: true },
        ],
      };
      // The first attempt: once the confirmation is accepted, the sandbox answers the next send with a real 500.
      const activities = activitiesWith();
      const real = new VonageSmsGateway(
        createVonageClient({
          apiHost: sandboxListener.url,
          apiKey: SANDBOX_CREDENTIAL,
          apiSecret: SANDBOX_CREDENTIAL,
          timeoutMs: 5000,
        }),
      );
      let isFaultSet = false;
      const failingAfterOne = createActivities({
        store: new OutboxRepository(db.knex, lockKnex),
        sms: {
          async sendSms(request) {
            const outcome = await real.sendSms(request);
            if (!isFaultSet) sandbox.setFault({ mode: 'http500', remaining: 1 });
            isFaultSet = true;
            return outcome;
          },
        },
        reconcileWindowMs: DEFAULT_RECONCILE_WINDOW_MS,
        planSend: sendAtAnyHour,
      });

      await assertRetryableFailure(runActivity(failingAfterOne.sendTexts, input), 'ProviderUnavailable');
      const afterFailure = sandbox.sent({ to: number.phone }).map((message) => message.clientRef);
      const results = await runActivity(activities.sendTexts, input);

      assert.deepEqual(afterFailure, [confirmationId]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['sent', 'sent', 'sent'],
      );
      assert.deepEqual(
        sandbox.sent({ to: number.phone }).map((message) => message.clientRef),
        [confirmationId, first, second],
        'each text once, in the order given',
      );
      for (const id of [confirmationId, first, second]) assert.equal((await messageRow(id)).status, 'sent');
    });

    it('blocks a released text at the gate when the number went on Do Not Contact before its batch ran', async () => {
      const number = await newNumber();
      const first = await queueLeadText(number, 'lead-1', 'First: the house on Elm St.');
      await recordConsent(number, { eventType: 'opted_in', leadIds: ['lead-1'] });
      await recordConsent(number, { eventType: 'opted_out', leadIds: ['lead-1'], doNotContact: 'add' });
      const { messageId: _id, kind: _kind, leadId: _leadId, ...ref } = sendInput(number, 'lead');

      const results = await runActivity(activitiesWith().sendTexts, {
        ...ref,
        texts: [{ messageId: first, kind: 'lead', leadId: 'lead-1', canSchedule: true }],
      });

      assert.deepEqual(
        results.map((result) => [result.status, result.reason]),
        [['blocked', 'do_not_contact']],
      );
      assert.deepEqual(sandbox.sent({ to: number.phone }), []);
    });
  });

  describe('recordConsentChange', () => {
    it('appends each ledger row once when the same eventKey is recorded twice', async () => {
      const number = await newNumber();
      await queueLeadText(number, 'lead-1', 'Hi Dana');
      const eventKey = `test:${randomUUID()}`;

      await recordConsent(number, { eventType: 'opted_out', leadIds: ['lead-1'], doNotContact: 'add' }, eventKey);
      await recordConsent(number, { eventType: 'opted_out', leadIds: ['lead-1'], doNotContact: 'add' }, eventKey);

      const rows = await db
        .knex('consent_events')
        .where('event_key', 'like', `${eventKey}%`)
        .orderBy('id')
        .select('event_key', 'event_type', 'lead_id');
      assert.deepEqual(rows, [
        { event_key: `${eventKey}:lead-1`, event_type: 'opted_out', lead_id: 'lead-1' },
        { event_key: `${eventKey}:dnc-add`, event_type: 'do_not_contact_added', lead_id: null },
      ]);
      const lead = await db
        .knex('lead_consents')
        .where({ account_id: number.accountId, lead_id: 'lead-1', phone: number.phone })
        .first('status');
      assert.equal(lead.status, 'rejected');
    });

    it('is refused by the database when a consent_events row is updated or deleted', async () => {
      const number = await newNumber();
      const eventKey = `test:${randomUUID()}`;
      await recordConsent(number, { eventType: 'opted_out', leadIds: [] }, eventKey);
      const ledgerRow = () => db.knex('consent_events').where({ event_key: eventKey });

      const [update, remove] = await Promise.allSettled([ledgerRow().update({ raw_text: 'START' }), ledgerRow().del()]);

      assert.equal(update.status, 'rejected');
      assert.equal(update.reason.code, '42501');
      assert.match(update.reason.message, /consent_events is append-only: UPDATE refused/);
      assert.equal(remove.status, 'rejected');
      assert.equal(remove.reason.code, '42501');
      assert.match(remove.reason.message, /consent_events is append-only: DELETE refused/);
      const row = await ledgerRow().first('raw_text');
      assert.equal(row.raw_text, 'STOP');
    });
  });
});
