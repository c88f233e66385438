import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { FakeActivities } from '../support/fake-activities';
import {
  heldMessageIds,
  runWorkflowScenario,
  startWorkflowEnvironmentPerFile,
  type NumberUnderTest,
} from '../support/workflow-harness';

// A reply the classifier cannot settle (intent `unclear`) pauses sends to the number and asks once; START resumes,
// STOP opts out (docs/keywords.md, "Unclear replies"). Replies in a known language are answered in it.
describe('smsConsentWorkflow: unclear replies and answers in the lead language', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;

  startWorkflowEnvironmentPerFile((started) => ({ env, workflowBundle } = started));

  const runScenario = (fake: FakeActivities, scenario: (number: NumberUnderTest) => Promise<void>) =>
    runWorkflowScenario({ env, workflowBundle, fake, scenario });

  /** A lead that has accepted: its texts go out at once until something pauses them. */
  async function acceptedLead(number: NumberUnderTest, leadId: string): Promise<void> {
    await number.queue(leadId, 'first');
    await number.inbound('opt_in', 'START');
  }

  it('pauses sends, asks once in the reply language and records the pause when a reply is unclear', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await acceptedLead(number, 'lead-1');
      const sendsBefore = fake.sends().length;

      const providerMessageId = await number.inbound('unclear', 'we need to stop the project', undefined, 'es');
      const held = await number.queue('lead-1', 'while paused');
      await number.inbound('unclear', 'stop the project, I said');

      const clarifications = fake.sends('clarification');
      assert.equal(clarifications.length, 1, 'one clarifying text per pause');
      assert.equal(clarifications[0]?.language, 'es');
      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => send.kind),
        ['clarification'],
        'nothing but the clarifying text goes out while paused',
      );
      assert.equal(held.status, 'held');
      assert.equal(held.optIn, 'accepted');
      const pause = fake.consentChanges().filter((change) => change.eventType === 'sends_paused');
      assert.equal(pause.length, 1);
      assert.equal(pause[0]?.rawText, 'we need to stop the project');
      assert.equal(pause[0]?.providerMessageId, providerMessageId);
      const state = await number.state();
      assert.equal(state.isPaused, true);
      assert.equal(state.leads['lead-1']?.status, 'accepted', 'a pause is not an opt-out');
    });
  });

  it('resumes, confirms and releases the texts held by the pause in order when the number replies START', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await acceptedLead(number, 'lead-1');
      await number.inbound('unclear', 'stop the car');
      const first = await number.queue('lead-1', 'one');
      const second = await number.queue('lead-1', 'two');
      const sendsBefore = fake.sends().length;

      await number.inbound('opt_in', 'START');

      assert.deepEqual(
        fake.sendsAfter(sendsBefore).map((send) => [send.kind, send.kind === 'lead' ? send.messageId : '']),
        [
          ['opt_in_confirmation', ''],
          ['lead', first.messageId],
          ['lead', second.messageId],
        ],
      );
      assert.equal(fake.consentChanges().filter((change) => change.eventType === 'sends_resumed').length, 1);
      const state = await number.state();
      assert.equal(state.isPaused, false);
      assert.deepEqual(state.held, []);
    });
  });

  it('sends no opt-in to a new lead while paused, and sends it once START resumes, the text still held', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await acceptedLead(number, 'lead-1');
      await number.inbound('unclear', 'stop the car');

      const queued = await number.queue('lead-2', 'hello new lead');

      assert.equal(queued.status, 'held');
      assert.equal(queued.optIn, 'not_sent');
      assert.equal(fake.sends('opt_in').length, 1, 'only lead-1 got an opt-in so far');
      assert.equal((await number.state()).leads['lead-2']?.reason, 'sends_paused');

      await number.inbound('opt_in', 'START');

      const optIns = fake.sends('opt_in');
      assert.equal(optIns.length, 2);
      assert.equal(optIns[1]?.leadId, 'lead-2');
      assert.equal(fake.statusOf(queued.messageId), 'held', 'the text waits for lead-2 own START');
      const state = await number.state();
      assert.equal(state.leads['lead-2']?.status, 'sent');
      assert.deepEqual(heldMessageIds(state), [queued.messageId]);
    });
  });

  it('cancels what the pause held and confirms once when the number replies STOP', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await acceptedLead(number, 'lead-1');
      await number.inbound('unclear', 'stop the car');
      const held = await number.queue('lead-1', 'never sent');

      await number.inbound('opt_out', 'ALTO', undefined, 'es');

      assert.equal(fake.statusOf(held.messageId), 'cancelled');
      const confirmations = fake.sends('opt_out_confirmation');
      assert.equal(confirmations.length, 1);
      assert.equal(confirmations[0]?.language, 'es');
      const state = await number.state();
      assert.equal(state.isPaused, false);
      assert.equal(state.isOptedOut, true);
      assert.equal(state.leads['lead-1']?.status, 'rejected');
    });
  });

  it('asks nothing when the number has opted out or no lead was ever texted on it', async () => {
    const stranger = new FakeActivities();
    const optedOut = new FakeActivities();

    await runScenario(stranger, async (number) => {
      await number.inbound('unclear', 'stop the car');
      assert.equal((await number.state()).isPaused ?? false, false);
    });
    await runScenario(optedOut, async (number) => {
      await acceptedLead(number, 'lead-1');
      await number.inbound('opt_out', 'STOP');
      await number.inbound('unclear', 'stop the car');
    });

    assert.equal(stranger.sends().length, 0);
    assert.equal(optedOut.sends('clarification').length, 0);
  });

  it('answers HELP in the language of the reply, and in none when the reply named none', async () => {
    const fake = new FakeActivities();

    await runScenario(fake, async (number) => {
      await number.inbound('help', 'AYUDA', undefined, 'es');
      await number.inbound('help', 'HELP');
    });

    const replies = fake.sends('help_reply');
    assert.deepEqual(
      replies.map((reply) => reply.language),
      ['es', undefined],
    );
  });
});
