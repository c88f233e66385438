import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  doNotContactChangedSignal,
  getConsentStateQuery,
  inboundReceivedSignal,
  queueMessageUpdate,
  sendingWindowChangedSignal,
  type SmsConsentInput,
} from './sms-consent.contract';
import { NumberConsent } from './number-consent';

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

/**
 * One per (account, phone number): sends every new lead's Opt-In template first, holds the lead's texts until
 * the number replies START, honours STOP at once and for good, answers HELP. Long-lived; continues as new to
 * bound its history, carrying the whole state.
 */
export async function smsConsentWorkflow(input: SmsConsentInput): Promise<void> {
  const consent = new NumberConsent(input);

  setHandler(getConsentStateQuery, () => consent.state);
  setHandler(inboundReceivedSignal, (event) => consent.enqueue({ kind: 'inbound', input: event }));
  setHandler(doNotContactChangedSignal, (event) => consent.enqueue({ kind: 'dnc', input: event }));
  setHandler(sendingWindowChangedSignal, (event) => consent.enqueue({ kind: 'window', input: event }));
  setHandler(queueMessageUpdate, (message) => consent.queueAndWait(message), {
    validator: (message) => {
      if (!message || typeof message.messageId !== 'string' || message.messageId.length === 0) {
        throw new Error('messageId is required');
      }
      if (typeof message.leadId !== 'string' || message.leadId.length === 0) throw new Error('leadId is required');
      if (typeof message.body !== 'string' || message.body.trim().length === 0) throw new Error('body is required');
    },
  });

  consent.publish();
  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistoryEvents;

  for (;;) {
    const waitMs = consent.msUntilNextWake();
    const isAwake = () => consent.hasWork() || shouldContinueAsNew();
    const woke = waitMs === undefined ? (await condition(isAwake), true) : await condition(isAwake, waitMs);
    if (!woke) {
      await consent.expireHeld();
      await consent.sendDue();
      continue;
    }
    while (consent.hasWork()) await consent.handleNext();
    // A changed window, a START after a pause or a lead's new zone can make scheduled texts due at once.
    await consent.sendDue();
    if (shouldContinueAsNew()) {
      // Let every update handler return first; an update that arrives meanwhile is handled in this run.
      await condition(() => consent.hasWork() || allHandlersFinished());
      if (consent.hasWork()) continue;
      await continueAsNew<typeof smsConsentWorkflow>({ ...input, state: consent.state });
    }
  }
}
