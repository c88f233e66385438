import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { consentWorkflowStartOptions } from '../../src/consent/workflow-start';
import { phoneKeyOf } from '../../src/phone';
import { smsConsentWorkflow } from '../../workflows/sms-consent';
import {
  getConsentStateQuery,
  inboundReceivedSignal,
  queueMessageUpdate,
  smsConsentWorkflowId,
} from '../../workflows/sms-consent.contract';
import { FakeActivities } from '../support/fake-activities';
import { startWorkflowEnvironmentPerFile } from '../support/workflow-harness';
import { waitFor } from '../support/system';

const QUEUED = 300;
const INBOUND = 700;
const LEADS = ['lead-a', 'lead-b', 'lead-c'];

describe('smsConsentWorkflow over a long life', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;

  startWorkflowEnvironmentPerFile((started) => ({ env, workflowBundle: bundle } = started));

  it('loses nothing across many continue-as-new runs when one number sees a thousand events', async () => {
    const fake = new FakeActivities();
    const taskQueue = `long-life-${randomUUID()}`;
    const accountId = randomUUID();
    const phone = '+12125550142';
    const phoneKey = phoneKeyOf(phone, 'long-life-test-key-0123456789');
    const workflowId = smsConsentWorkflowId(accountId, phoneKey);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: bundle,
      activities: fake.activities,
    });
    const handle = env.client.workflow.getHandle(workflowId);
    const queued: string[] = [];
    const helpIds: string[] = [];
    let expectedEvents = 0;

    await worker.runUntil(async () => {
      for (let i = 0; i < QUEUED; i += 1) {
        const messageId = randomUUID();
        const result = await env.client.workflow.executeUpdateWithStart(queueMessageUpdate, {
          args: [{ messageId, leadId: LEADS[i % LEADS.length]!, body: `text ${i}` }],
          updateId: messageId,
          startWorkflowOperation: new WithStartWorkflowOperation(smsConsentWorkflow, {
            ...consentWorkflowStartOptions({ accountId, phone, phoneKey, workflowId, maxHistoryEvents: 400 }),
            taskQueue,
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        });
        assert.equal(result.status, 'held');
        queued.push(messageId);
        expectedEvents += 1;
      }
      for (let i = 0; i < INBOUND; i += 1) {
        // A third are HELP (each answered once), a third ordinary replies, a third redeliveries of an earlier HELP.
        const redelivery = i % 3 === 2 && helpIds.length > 0;
        const providerMessageId = redelivery ? helpIds[helpIds.length - 1]! : randomUUID();
        const intent = i % 3 === 1 ? 'other' : 'help';
        if (intent === 'help' && !redelivery) helpIds.push(providerMessageId);
        // Every signal is an event the workflow handles, a redelivery too (it handles it by ignoring it).
        expectedEvents += 1;
        await handle.signal(inboundReceivedSignal, {
          providerMessageId,
          intent,
          text: intent,
          receivedAt: new Date().toISOString(),
        });
      }
      await handle.signal(inboundReceivedSignal, {
        providerMessageId: randomUUID(),
        intent: 'opt_in',
        text: 'START',
        receivedAt: new Date().toISOString(),
      });
      expectedEvents += 1;
      await waitFor(
        'every event handled',
        async () => (await handle.query(getConsentStateQuery)).eventsHandled >= expectedEvents,
        240_000,
      );
      const state = await handle.query(getConsentStateQuery);

      assert.equal(state.eventsHandled, expectedEvents, 'no event lost or handled twice');
      assert.equal(state.held.length, 0);
      for (const lead of LEADS) assert.equal(state.leads[lead]?.status, 'accepted');
      const released = fake.sends('lead').map((send) => send.messageId);
      assert.deepEqual(released, queued, 'every held text released once, in queue order');
      assert.equal(fake.sends('help_reply').length, helpIds.length, 'one HELP reply per distinct HELP');
      assert.equal(fake.sends('opt_in').length, LEADS.length);
      let runs = 0;
      for await (const execution of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        if (execution.workflowId === workflowId) runs += 1;
      }
      assert.ok(runs >= 5, `continued as new several times (${runs} runs)`);
      await handle.terminate('test finished');
    });
  });
});
