import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundle } from '@temporalio/worker';
import { accountIdAttribute, consentStatusAttribute, leadIdsAttribute } from '../../workflows/search-attributes';
import { type FailureReason } from '../../workflows/sms-consent.contract';
import { FakeActivities } from '../support/fake-activities';
import {
  heldMessageIds,
  runWorkflowScenario,
  startWorkflowEnvironmentPerFile,
  type NumberUnderTest,
} from '../support/workflow-harness';
import { waitFor } from '../support/system';

/** The forms a US number could appear in: E.164, Vonage's digits, the national number. */
const phoneForms = (phone: string) => [phone, phone.slice(1), phone.slice(2)];

describe('smsConsentWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;

  startWorkflowEnvironmentPerFile((started) => ({ env, workflowBundle } = started));

  const runScenario = (
    fake: FakeActivities,
    scenario: (number: NumberUnderTest) => Promise<void>,
    options: { maxHistoryEvents?: number } = {},
  ) => runWorkflowScenario({ env, workflowBundle, fake, scenario, ...options });

  /** Waits until the ConsentStatus search attribute reads `status`, then returns the description. */
  async function describeWhenStatus(number: NumberUnderTest, status: 'NotSent' | 'Sent' | 'Accepted' | 'Rejected') {
    return waitFor(`ConsentStatus ${status}`, async () => {
      const description = await number.handle.describe();
      return description.typedSearchAttributes.get(consentStatusAttribute) === status ? description : undefined;
    });
  }

  /** Everything an operator sees of the workflow: ID, search attributes, summary, details, current details. */
  async function operatorVisibleText(number: NumberUnderTest): Promise<string> {
    const description = await number.handle.describe();
    const metadata = await number.handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    return [
      description.workflowId,
      JSON.stringify(description.typedSearchAttributes),
      JSON.stringify(description.searchAttributes),
      (await description.staticSummary()) ?? '',
      (await description.staticDetails()) ?? '',
      metadata.currentDetails ?? '',
    ].join('\n');
  }

  it('sends the opt-in first and holds the message when the lead is new', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const result = await number.queue('lead-1', 'Hi Dana, the house on Elm St is available.');

      assert.equal(result.status, 'held');
      assert.equal(result.optIn, 'sent');
      assert.equal(result.isDuplicate, false);
      assert.deepEqual(
        fake.sends().map((send) => [send.kind, send.leadId]),
        [['opt_in', 'lead-1']],
      );
      assert.equal(fake.statusOf(result.messageId), 'held');
      const optInSent = fake.consentChanges().find((change) => change.eventType === 'opt_in_sent');
      assert.deepEqual(optInSent?.leadIds, ['lead-1']);
      assert.equal(optInSent?.newStatus, 'sent');
      assert.equal(optInSent?.optInMessageId, fake.sends('opt_in')[0]?.messageId);
      // One activity records the text and sends the opt-in: no sendText activity of its own.
      const activities = fake.calls.filter((call) => call.name === 'recordQueuedMessage' || call.name === 'sendText');
      assert.deepEqual(
        activities.map((call) => [call.name, call.name === 'recordQueuedMessage' ? call.input.optIn?.messageId : '']),
        [
          ['recordQueuedMessage', fake.sends('opt_in')[0]?.messageId],
          ['sendText', ''],
        ],
      );
      const state = await number.state();
      assert.equal(state.leads['lead-1']?.status, 'sent');
      assert.deepEqual(heldMessageIds(state), [result.messageId]);
    });
  });

  it('blocks the message and sends nothing when a new lead is queued for a number on Do Not Contact', async () => {
    const fake = new FakeActivities();
    fake.isOnDoNotContact = true;

    await runScenario(fake, async (number) => {
      const result = await number.queue('lead-1', 'Hello there');

      assert.equal(result.status, 'blocked');
      assert.equal(result.reason, 'do_not_contact');
      assert.equal(fake.sends().length, 0);
      assert.equal(fake.statusOf(result.messageId), 'blocked');
      assert.deepEqual((await number.state()).held, []);
    });
  });

  for (const reason of [
    'a2p_not_verified',
    'invalid_number',
    'provider_refused',
  ] as const satisfies readonly FailureReason[]) {
    it(`fails the message with ${reason}, marks the lead not_sent and holds nothing when the opt-in fails with ${reason}`, async () => {
      const fake = new FakeActivities();
      fake.sendTextOutcome = (input) => (input.kind === 'opt_in' ? { status: 'failed', reason } : undefined);

      await runScenario(fake, async (number) => {
        const result = await number.queue('lead-1', 'Hi Dana');

        assert.equal(result.status, 'failed');
        assert.equal(result.reason, reason);
        assert.equal(result.optIn, 'not_sent');
        assert.deepEqual(
          fake.sends().map((send) => send.kind),
          ['opt_in'],
        );
        assert.equal(fake.statusOf(result.messageId), 'failed');
        assert.equal(fake.messages.get(result.messageId)?.reason, reason);
        const state = await number.state();
        assert.deepEqual(state.leads['lead-1'], {
          status: 'not_sent',
          reason,
          optInMessageId: fake.sends('opt_in')[0]?.messageId,
        });
        assert.deepEqual(state.held, []);
        const notSent = fake.consentChanges().find((change) => change.eventType === 'opt_in_not_sent');
        assert.equal(notSent?.reason, reason);
      });
    });
  }

  it('tries the opt-in again when a not_sent lead gets another message', async () => {
    const fake = new FakeActivities();
    fake.sendTextOutcome = () => ({ status: 'failed', reason: 'a2p_not_verified' });

    await runScenario(fake, async (number) => {
      const first = await number.queue('lead-1', 'first try');
      fake.sendTextOutcome = () => undefined;

      const second = await number.queue('lead-1', 'after the account was verified');

      assert.equal(first.status, 'failed');
      assert.equal(second.status, 'held');
      assert.equal(second.optIn, 'sent');
      const optIns = fake.sends('opt_in');
      assert.equal(optIns.length, 2);
      assert.notEqual(optIns[0]?.messageId, optIns[1]?.messageId);
      assert.equal(fake.statusOf(first.messageId), 'failed');
      const state = await number.state();
      assert.equal(state.leads['lead-1']?.status, 'sent');
      assert.deepEqual(heldMessageIds(state), [second.messageId]);
    });
  });

  it('holds every message in queue order and sends no further opt-in when the lead is waiting for START', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const first = await number.queue('lead-1', 'one');

      const second = await number.queue('lead-1', 'two');
      const third = await number.queue('lead-1', 'three');

      assert.deepEqual(
        [first, second, third].map((result) => [result.status, result.optIn]),
        [
          ['held', 'sent'],
          ['held', 'sent'],
          ['held', 'sent'],
        ],
      );
      assert.deepEqual(
        fake.sends().map((send) => send.kind),
        ['opt_in'],
      );
      assert.deepEqual(heldMessageIds(await number.state()), [first.messageId, second.messageId, third.messageId]);
    });
  });

  it('records consent, confirms and releases the held texts in queue order when the number replies START', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const queued = [];
      for (const body of ['one', 'two', 'three']) queued.push(await number.queue('lead-1', body));

      const providerMessageId = await number.inbound('opt_in', 'START');

      assert.deepEqual(
        fake.sends().map((send) => [send.kind, send.messageId]),
        [
          ['opt_in', fake.sends('opt_in')[0]?.messageId],
          ['opt_in_confirmation', fake.sends('opt_in_confirmation')[0]?.messageId],
          ...queued.map((result) => ['lead', result.messageId]),
        ],
      );
      const optedInAt = fake.calls.findIndex(
        (call) => call.name === 'recordConsentChange' && call.input.eventType === 'opted_in',
      );
      const firstLeadSendAt = fake.calls.findIndex((call) => call.name === 'sendText' && call.input.kind === 'lead');
      assert.ok(optedInAt >= 0 && optedInAt < firstLeadSendAt, 'consent recorded before any lead text is sent');
      const optedIn = fake.consentChanges().find((change) => change.eventType === 'opted_in');
      assert.deepEqual(optedIn?.leadIds, ['lead-1']);
      assert.equal(optedIn?.newStatus, 'accepted');
      assert.equal(optedIn?.rawText, 'START');
      assert.equal(optedIn?.providerMessageId, providerMessageId);
      assert.equal(optedIn?.doNotContact, undefined);
      for (const result of queued) assert.equal(fake.statusOf(result.messageId), 'sent');
      // One activity for the START's sends: the confirmation first, then the released texts (fewer Temporal tasks).
      const batches = fake.calls.flatMap((call) => (call.name === 'sendTexts' ? [call.input.texts] : []));
      assert.deepEqual(
        batches.map((texts) => texts.map((text) => [text.kind, text.kind === 'lead' ? text.messageId : 'new'])),
        [[['opt_in_confirmation', 'new'], ...queued.map((result) => ['lead', result.messageId])]],
      );
      const state = await number.state();
      assert.equal(state.leads['lead-1']?.status, 'accepted');
      assert.deepEqual(state.held, []);
    });
  });

  it('splits a START that releases more than twenty texts into activities of twenty, in queue order', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const queued = [];
      for (let i = 0; i < 24; i += 1) queued.push(await number.queue('lead-1', `text ${i}`));

      await number.inbound('opt_in', 'START');

      const batches = fake.calls.flatMap((call) => (call.name === 'sendTexts' ? [call.input.texts] : []));
      assert.deepEqual(
        batches.map((texts) => texts.length),
        [20, 5],
      );
      assert.deepEqual(
        batches.flat().map((text) => text.messageId),
        [fake.sends('opt_in_confirmation')[0]?.messageId, ...queued.map((result) => result.messageId)],
      );
      for (const result of queued) assert.equal(fake.statusOf(result.messageId), 'sent');
    });
  });

  it('sends the message at once when the lead has accepted', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held first');
      await number.inbound('opt_in', 'START');
      const sendsBefore = fake.sends().length;

      const result = await number.queue('lead-1', 'sent now');

      assert.equal(result.status, 'sent');
      assert.equal(result.optIn, 'accepted');
      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => [send.kind, send.messageId, send.leadId]),
        [['lead', result.messageId, 'lead-1']],
      );
      // One activity records the text and sends it.
      const recorded = fake.calls.filter((call) => call.name === 'recordQueuedMessage').at(-1);
      assert.equal(recorded?.name === 'recordQueuedMessage' && recorded.input.sendNow, true);
      assert.deepEqual((await number.state()).held, []);
    });
  });

  it('rejects every lead, adds Do Not Contact, cancels held texts and confirms once when the number replies STOP', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const heldA = await number.queue('lead-a', 'for a');
      const heldB = await number.queue('lead-b', 'for b');
      const heldA2 = await number.queue('lead-a', 'for a again');
      const sendsBefore = fake.sends().length;

      const providerMessageId = await number.inbound('opt_out', 'STOP');

      const optedOut = fake.consentChanges().filter((change) => change.eventType === 'opted_out');
      assert.equal(optedOut.length, 1);
      assert.deepEqual([...(optedOut[0]?.leadIds ?? [])].sort(), ['lead-a', 'lead-b']);
      assert.equal(optedOut[0]?.newStatus, 'rejected');
      assert.equal(optedOut[0]?.doNotContact, 'add');
      assert.equal(optedOut[0]?.rawText, 'STOP');
      assert.equal(optedOut[0]?.providerMessageId, providerMessageId);
      const cancelled = fake.statusChanges('cancelled');
      assert.deepEqual(
        cancelled.flatMap((change) => change.messageIds),
        [heldA.messageId, heldB.messageId, heldA2.messageId],
      );
      for (const held of [heldA, heldB, heldA2]) assert.equal(fake.statusOf(held.messageId), 'cancelled');
      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => send.kind),
        ['opt_out_confirmation'],
      );
      const state = await number.state();
      assert.equal(state.isOptedOut, true);
      assert.equal(state.leads['lead-a']?.status, 'rejected');
      assert.equal(state.leads['lead-b']?.status, 'rejected');
      assert.deepEqual(state.held, []);
    });
  });

  it('sends no second confirmation when the number replies STOP again', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held');
      await number.inbound('opt_out', 'STOP');
      const sendsBefore = fake.sends().length;

      await number.inbound('opt_out', 'Stop texting me please');

      assert.deepEqual(fake.sendsAfter(sendsBefore), []);
      assert.equal(fake.sends('opt_out_confirmation').length, 1);
      assert.equal((await number.state()).leads['lead-1']?.status, 'rejected');
    });
  });

  it('blocks the message and sends nothing when a rejected lead gets a message', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held');
      await number.inbound('opt_out', 'STOP');
      const sendsBefore = fake.sends().length;

      const result = await number.queue('lead-1', 'after stop');

      assert.equal(result.status, 'blocked');
      assert.equal(result.reason, 'do_not_contact');
      assert.equal(result.optIn, 'rejected');
      assert.equal(fake.statusOf(result.messageId), 'blocked');
      assert.deepEqual(fake.sendsAfter(sendsBefore), []);
      assert.deepEqual((await number.state()).held, []);
    });
  });

  it('blocks a new lead and sends no opt-in when the number has replied STOP', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held');
      await number.inbound('opt_out', 'STOP');
      const sendsBefore = fake.sends().length;

      const result = await number.queue('lead-2', 'a new lead on an opted-out number');

      assert.equal(result.status, 'blocked');
      assert.equal(result.reason, 'do_not_contact');
      assert.deepEqual(fake.sendsAfter(sendsBefore), []);
    });
  });

  it('accepts the lead, removes Do Not Contact and keeps cancelled texts cancelled when a rejected number replies START', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const cancelled = [await number.queue('lead-1', 'one'), await number.queue('lead-1', 'two')];
      await number.inbound('opt_out', 'STOP');
      const sendsBefore = fake.sends().length;

      await number.inbound('opt_in', 'START');

      const resubscribed = fake.consentChanges().filter((change) => change.eventType === 'resubscribed');
      assert.equal(resubscribed.length, 1);
      assert.deepEqual(resubscribed[0]?.leadIds, ['lead-1']);
      assert.equal(resubscribed[0]?.newStatus, 'accepted');
      assert.equal(resubscribed[0]?.doNotContact, 'remove');
      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => send.kind),
        ['opt_in_confirmation'],
      );
      for (const message of cancelled) {
        assert.equal(fake.statusOf(message.messageId), 'cancelled');
        assert.ok(!fake.sends('lead').some((send) => send.messageId === message.messageId));
      }
      const state = await number.state();
      assert.equal(state.isOptedOut, false);
      assert.equal(state.leads['lead-1']?.status, 'accepted');
      const afterResubscribe = await number.queue('lead-1', 'welcome back');
      assert.equal(afterResubscribe.status, 'sent');
    });
  });

  // Source bug (see the report): the workflow sets isOptedOut only on a STOP it receives itself, and onOptIn
  // resubscribes rejected leads only when isOptedOut. A lead rejected because Postgres already had the number on
  // Do Not Contact (CSV import, or a gate refusal of the opt-in) can never opt back in with START.
  const doNotContactWithoutStop = [
    {
      how: 'the number was already on Do Not Contact when the lead was queued',
      arrange: (fake: FakeActivities) => {
        fake.isOnDoNotContact = true;
      },
    },
    {
      how: 'the opt-in was blocked by Do Not Contact at the send gate',
      arrange: (fake: FakeActivities) => {
        fake.sendTextOutcome = (input) =>
          input.kind === 'opt_in' ? { status: 'blocked', reason: 'do_not_contact' } : undefined;
      },
    },
  ];
  for (const { how, arrange } of doNotContactWithoutStop) {
    it(`takes the number off Do Not Contact on START and gives the lead a fresh opt-in after ${how}`, async () => {
      const fake = new FakeActivities();
      arrange(fake);

      await runScenario(fake, async (number) => {
        const blocked = await number.queue('lead-1', 'while on Do Not Contact');

        await number.inbound('opt_in', 'START');
        fake.isOnDoNotContact = false;
        fake.sendTextOutcome = () => undefined;
        const next = await number.queue('lead-1', 'after START');

        assert.equal(blocked.status, 'blocked');
        assert.equal(blocked.optIn, 'not_sent', 'a lead that never saw an opt-in cannot have rejected one');
        const removals = fake.consentChanges().filter((change) => change.doNotContact === 'remove');
        assert.equal(removals.length, 1, 'START takes the number off Do Not Contact');
        assert.deepEqual(removals[0]?.leadIds, [], 'no lead is accepted without an opt-in');
        assert.equal(next.status, 'held');
        assert.equal(next.optIn, 'sent');
        assert.deepEqual(
          fake
            .sends()
            .map((send) => send.kind)
            .filter((kind) => kind !== 'opt_in_confirmation')
            .slice(-1),
          ['opt_in'],
          "the lead's first text is its opt-in (invariant 4)",
        );
        assert.equal(fake.sends('lead').length, 0);
      });
    });
  }

  it('answers with the HELP reply and leaves consent unchanged when the number sends HELP', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const held = await number.queue('lead-1', 'held');
      const stateBefore = await number.state();
      const consentChangesBefore = fake.consentChanges().length;

      await number.inbound('help', 'HELP');

      assert.deepEqual(
        fake.sends().map((send) => send.kind),
        ['opt_in', 'help_reply'],
      );
      assert.equal(fake.consentChanges().length, consentChangesBefore);
      const state = await number.state();
      assert.deepEqual(state.leads, stateBefore.leads);
      assert.equal(state.isOptedOut, false);
      assert.deepEqual(
        state.held.map((h) => h.messageId),
        [held.messageId],
      );
    });
  });

  it('answers with the HELP reply and stays opted out when an opted-out number sends HELP', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held');
      await number.inbound('opt_out', 'STOP');
      const sendsBefore = fake.sends().length;

      await number.inbound('help', 'HELP');

      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => send.kind),
        ['help_reply'],
      );
      const state = await number.state();
      assert.equal(state.isOptedOut, true);
      assert.equal(state.leads['lead-1']?.status, 'rejected');
    });
  });

  it('sends a new lead its own opt-in first and holds its message when the number has already accepted', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'for the first lead');
      await number.inbound('opt_in', 'START');
      const sendsBefore = fake.sends().length;

      const result = await number.queue('lead-2', 'for the duplicate lead');

      assert.equal(result.status, 'held');
      assert.equal(result.optIn, 'sent');
      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => [send.kind, send.leadId]),
        [['opt_in', 'lead-2']],
      );
      const state = await number.state();
      assert.equal(state.leads['lead-1']?.status, 'accepted');
      assert.equal(state.leads['lead-2']?.status, 'sent');
    });
  });

  it('accepts every waiting lead and releases their texts in queue order when the number replies START once', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      const queued = [
        await number.queue('lead-a', 'a1'),
        await number.queue('lead-b', 'b1'),
        await number.queue('lead-a', 'a2'),
        await number.queue('lead-c', 'c1'),
      ];

      await number.inbound('opt_in', 'START');

      const optedIn = fake.consentChanges().filter((change) => change.eventType === 'opted_in');
      assert.equal(optedIn.length, 1);
      assert.deepEqual([...(optedIn[0]?.leadIds ?? [])].sort(), ['lead-a', 'lead-b', 'lead-c']);
      assert.equal(fake.sends('opt_in_confirmation').length, 1);
      assert.deepEqual(
        fake.sends('lead').map((send) => send.messageId),
        queued.map((result) => result.messageId),
      );
      const state = await number.state();
      for (const leadId of ['lead-a', 'lead-b', 'lead-c']) assert.equal(state.leads[leadId]?.status, 'accepted');
      assert.deepEqual(state.held, []);
    });
  });

  it('ignores an inbound event when its providerMessageId was already handled', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'held');
      const providerMessageId = await number.inbound('opt_in', 'START');
      const held = await number.queue('lead-2', 'for a lead that has not replied');
      const sendsBefore = fake.sends().length;
      const consentChangesBefore = fake.consentChanges().length;

      await number.inbound('opt_in', 'START', providerMessageId);

      assert.deepEqual(fake.sendsAfter(sendsBefore), []);
      assert.equal(fake.consentChanges().length, consentChangesBefore);
      const state = await number.state();
      assert.equal(state.leads['lead-2']?.status, 'sent');
      assert.deepEqual(
        state.held.map((h) => h.messageId),
        [held.messageId],
      );
      assert.equal(state.seenEventIds.filter((id) => id === providerMessageId).length, 1);
    });
  });

  it('expires each held text when it has been held longer than the account hold limit', async () => {
    const fake = new FakeActivities();
    fake.holdLimitMs = 2000;

    await runScenario(fake, async (number) => {
      const queuedAt = Date.now();
      const first = await number.queue('lead-1', 'will expire first');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const second = await number.queue('lead-1', 'will expire a second later');

      await waitFor('first held text expired', () => fake.statusOf(first.messageId) === 'expired', 10_000);
      const firstExpiredAfterMs = Date.now() - queuedAt;
      const stateBetween = await number.state();
      await waitFor('second held text expired', () => fake.statusOf(second.messageId) === 'expired', 10_000);

      assert.ok(firstExpiredAfterMs >= 1900, `expired after ${firstExpiredAfterMs} ms, before the hold limit`);
      assert.deepEqual(heldMessageIds(stateBetween), [second.messageId]);
      assert.deepEqual(
        fake.statusChanges('expired').map((change) => [change.messageIds, change.reason]),
        [
          [[first.messageId], 'hold_expired'],
          [[second.messageId], 'hold_expired'],
        ],
      );
      const state = await number.state();
      assert.deepEqual(state.held, []);
      assert.equal(state.leads['lead-1']?.status, 'sent');
      assert.deepEqual(fake.sends('lead'), []);
    });
  });

  it('keeps every held text, lead status and seen event id when the workflow continues as new', async () => {
    const fake = new FakeActivities();
    fake.sendTextOutcome = (input) =>
      input.kind === 'opt_in' && input.leadId === 'lead-c' ? { status: 'failed', reason: 'invalid_number' } : undefined;

    await runScenario(
      fake,
      async (number) => {
        const held = [await number.queue('lead-a', 'a0')];
        const firstRunId = (await number.handle.describe()).runId;

        const helpId = await number.inbound('help', 'HELP');
        const seen = [helpId];
        for (let i = 1; i <= 8; i += 1) {
          held.push(await number.queue(i % 2 === 0 ? 'lead-a' : 'lead-b', `text ${i}`));
          if (i % 2 === 0) seen.push(await number.inbound('other', `reply ${i}`));
        }
        const failed = await number.queue('lead-c', 'to an invalid number');
        const state = await number.state();
        const runIds = await continuedAsNewChain(env.client, number.workflowId, firstRunId);
        const latestRun = await describeWhenStatus(number, 'Sent');
        const helpRepliesBefore = fake.sends('help_reply').length;
        await number.inbound('help', 'HELP', helpId);
        const helpRepliesAfterRedelivery = fake.sends('help_reply').length;
        await number.inbound('opt_in', 'START');

        assert.ok(runIds.length >= 3, `expected several runs, got ${runIds.length}`);
        const firstRun = await env.client.workflow.getHandle(number.workflowId, firstRunId).describe();
        assert.equal(firstRun.status.name, 'CONTINUED_AS_NEW');
        assert.notEqual(latestRun.runId, firstRunId);
        assert.equal(latestRun.typedSearchAttributes.get(accountIdAttribute), number.accountId);
        assert.deepEqual(latestRun.typedSearchAttributes.get(leadIdsAttribute), ['lead-a', 'lead-b', 'lead-c']);
        assert.equal(failed.status, 'failed');
        assert.deepEqual(
          state.held.map((h) => h.messageId),
          held.map((result) => result.messageId),
        );
        assert.equal(state.leads['lead-a']?.status, 'sent');
        assert.equal(state.leads['lead-b']?.status, 'sent');
        assert.equal(state.leads['lead-c']?.status, 'not_sent');
        assert.equal(state.leads['lead-c']?.reason, 'invalid_number');
        for (const id of seen) assert.ok(state.seenEventIds.includes(id), `seen event ${id} survived`);
        assert.equal(helpRepliesAfterRedelivery, helpRepliesBefore, 'a redelivered HELP from the first run is ignored');
        assert.deepEqual(
          fake.sends('lead').map((send) => send.messageId),
          held.map((result) => result.messageId),
          'START in a later run releases every held text, in queue order',
        );
      },
      { maxHistoryEvents: 60 },
    );
  });

  it('publishes ConsentStatus, AccountId and LeadIds without the phone number as consent changes', async () => {
    const fake = new FakeActivities();
    fake.sendTextOutcome = () => ({ status: 'failed', reason: 'a2p_not_verified' });

    await runScenario(fake, async (number) => {
      await number.queue('lead-1', 'while unverified');
      const notSent = await describeWhenStatus(number, 'NotSent');
      const notSentText = await operatorVisibleText(number);
      fake.sendTextOutcome = () => undefined;
      await number.queue('lead-1', 'verified now');
      await number.queue('lead-2', 'second lead');
      const sent = await describeWhenStatus(number, 'Sent');
      const sentText = await operatorVisibleText(number);
      await number.inbound('opt_in', 'START');
      const accepted = await describeWhenStatus(number, 'Accepted');
      const acceptedText = await operatorVisibleText(number);
      await number.inbound('opt_out', 'STOP');
      const rejected = await describeWhenStatus(number, 'Rejected');
      const rejectedText = await operatorVisibleText(number);

      for (const description of [notSent, sent, accepted, rejected]) {
        assert.equal(description.typedSearchAttributes.get(accountIdAttribute), number.accountId);
      }
      assert.deepEqual(notSent.typedSearchAttributes.get(leadIdsAttribute), ['lead-1']);
      assert.deepEqual(sent.typedSearchAttributes.get(leadIdsAttribute), ['lead-1', 'lead-2']);
      assert.deepEqual(rejected.typedSearchAttributes.get(leadIdsAttribute), ['lead-1', 'lead-2']);
      assert.match(rejectedText, /\*\*Consent:\*\* Rejected/, 'current details are published');
      const summary = await rejected.staticSummary();
      assert.ok(summary && summary.length > 0, 'an operator-readable static summary is set');
      for (const text of [notSentText, sentText, acceptedText, rejectedText]) {
        for (const form of phoneForms(number.phone)) {
          assert.ok(!text.includes(form), `the number appears in what operators see: ${text}`);
        }
      }
    });
  });
});

/** Follows the run chain from `firstRunId` through each ContinuedAsNew event; returns every run ID, oldest first. */
async function continuedAsNewChain(client: Client, workflowId: string, firstRunId: string): Promise<string[]> {
  const runIds = [firstRunId];
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runIds[runIds.length - 1]).fetchHistory();
    const events = history.events ?? [];
    const next = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return runIds;
    runIds.push(next);
  }
}
