import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { consentWorkflowStartOptions } from '../../src/consent/workflow-start';
import { phoneKeyOf } from '../../src/phone';
import type { InboundIntent } from '../../workflows/classify-inbound';
import type { ReplyLanguage } from '../../workflows/inbound-keywords';
import { smsConsentWorkflow } from '../../workflows/sms-consent';
import {
  getConsentStateQuery,
  inboundReceivedSignal,
  queueMessageUpdate,
  smsConsentWorkflowId,
  type ConsentState,
  type QueueMessageResult,
} from '../../workflows/sms-consent.contract';
import type { FakeActivities } from './fake-activities';
import { waitFor } from './system';
import { bundleConsentWorkflows, createTestEnvironment } from './temporal-cli';

/**
 * Workflow tests' harness: one (account, number) driven only through the contract, run by a fresh Worker with fake
 * activities on its own task queue.
 */

const PHONE_HASH_KEY = 'workflow-test-phone-hash-key';

/** What a workflow test file shares: one test environment and one workflow bundle (STYLE: one of each per file). */
export interface WorkflowTestFile {
  env: TestWorkflowEnvironment;
  workflowBundle: WorkflowBundle;
}

/** Creates the environment and the bundle before the enclosing describe's tests and tears the environment down after. */
export function startWorkflowEnvironmentPerFile(use: (started: WorkflowTestFile) => void): void {
  let env: TestWorkflowEnvironment | undefined;
  before(async () => {
    env = await createTestEnvironment();
    use({ env, workflowBundle: await bundleConsentWorkflows() });
  });
  after(async () => {
    await env?.teardown();
  });
}

/** One (account, number) under test: its workflow driven only through the contract. */
export interface NumberUnderTest {
  accountId: string;
  phone: string;
  workflowId: string;
  /** Follows the latest run, so it keeps working across continue-as-new. */
  handle: WorkflowHandle<typeof smsConsentWorkflow>;
  /** Queues a text with update-with-start, as POST /v1/messages does, and returns the workflow's answer. */
  queue(leadId: string, body: string): Promise<QueueMessageResult>;
  /** Signals an inbound text and waits until the workflow has handled it; returns its provider message id. */
  inbound(intent: InboundIntent, text: string, providerMessageId?: string, language?: ReplyLanguage): Promise<string>;
  state(): Promise<ConsentState>;
}

/** The IDs of the texts the workflow holds, in queue order. */
export function heldMessageIds(state: ConsentState): string[] {
  return state.held.map((held) => held.messageId);
}

let numberCounter = 0;
function newLeadPhone(): string {
  numberCounter += 1;
  const line = ((process.pid * 7919 + numberCounter * 104729 + Date.now()) % 10000).toString().padStart(4, '0');
  return `+1646555${line}`;
}

export function numberUnderTest(
  client: Client,
  taskQueue: string,
  options: { maxHistoryEvents?: number },
): NumberUnderTest {
  const accountId = randomUUID();
  const phone = newLeadPhone();
  const phoneKey = phoneKeyOf(phone, PHONE_HASH_KEY);
  const workflowId = smsConsentWorkflowId(accountId, phoneKey);
  const handle = client.workflow.getHandle<typeof smsConsentWorkflow>(workflowId);
  const state = () => handle.query(getConsentStateQuery);
  const startOptions = {
    ...consentWorkflowStartOptions({
      accountId,
      phone,
      phoneKey,
      workflowId,
      maxHistoryEvents: options.maxHistoryEvents,
    }),
    taskQueue,
  };
  return {
    accountId,
    phone,
    workflowId,
    handle,
    state,
    async queue(leadId, body) {
      const messageId = randomUUID();
      return client.workflow.executeUpdateWithStart(queueMessageUpdate, {
        args: [{ messageId, leadId, body }],
        updateId: messageId,
        startWorkflowOperation: new WithStartWorkflowOperation(smsConsentWorkflow, {
          ...startOptions,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    },
    async inbound(intent, text, providerMessageId = randomUUID(), language) {
      // Signal-with-start, as the inbound webhook does: a reply may be the first thing a number's workflow hears.
      const handledBefore = await state().then(
        (current) => current.eventsHandled,
        () => 0,
      );
      await client.workflow.signalWithStart(smsConsentWorkflow, {
        ...startOptions,
        signal: inboundReceivedSignal,
        signalArgs: [
          {
            providerMessageId,
            intent,
            text,
            receivedAt: new Date().toISOString(),
            ...(language ? { language } : {}),
          },
        ],
      });
      await waitFor(`inbound ${intent} handled`, async () => (await state()).eventsHandled > handledBefore, 15_000);
      return providerMessageId;
    },
  };
}

/** Runs one scenario against a fresh Worker on its own task queue, with the given fake activities. */
export async function runWorkflowScenario(options: {
  env: TestWorkflowEnvironment;
  workflowBundle: WorkflowBundle;
  fake: FakeActivities;
  scenario: (number: NumberUnderTest) => Promise<void>;
  maxHistoryEvents?: number;
}): Promise<void> {
  const { env, fake } = options;
  const taskQueue = `sms-consent-test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: options.workflowBundle,
    activities: fake.activities,
  });
  const number = numberUnderTest(env.client, taskQueue, { maxHistoryEvents: options.maxHistoryEvents });
  await worker.runUntil(async () => {
    await options.scenario(number);
    await number.handle.terminate('test finished');
  });
}
