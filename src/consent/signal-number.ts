import type { Client, SignalDefinition } from '@temporalio/client';
import {
  SMS_CONSENT_WORKFLOW_TYPE,
  doNotContactChangedSignal,
  inboundReceivedSignal,
  sendingWindowChangedSignal,
  smsConsentWorkflowId,
  type DoNotContactChanged,
  type InboundReceived,
  type SendingWindowChanged,
  type SmsConsentWorkflow,
} from '../../workflows/sms-consent.contract';
import { consentWorkflowStartOptions } from './workflow-start';

/** The number a signal is for. */
export interface NumberOfAccount {
  accountId: string;
  phone: string;
  phoneKey: string;
}

/**
 * Tells the number's workflow that its Do Not Contact entry changed (starting it if needed, so a number that
 * has never been texted starts out opted out). Signal-with-start: the event reaches the workflow whether or not
 * it is running.
 */
export async function signalDoNotContactChanged(
  client: Client,
  number: NumberOfAccount,
  event: DoNotContactChanged,
): Promise<void> {
  await signalWithStart(client, number, doNotContactChangedSignal, event);
}

/**
 * Hands a classified reply (STOP, START, HELP, an unclear one) to the number's workflow, starting it if needed: a
 * STOP from a number never texted still gets its confirmation and opts the number out.
 */
export async function signalInboundReply(
  client: Client,
  number: NumberOfAccount,
  event: InboundReceived,
): Promise<void> {
  await signalWithStart(client, number, inboundReceivedSignal, event);
}

/**
 * Tells a number's workflow that the account's sending window changed, so the texts it holds for the window are
 * planned again. Only numbers with scheduled texts are told, and their workflows are running: a plain signal would
 * do, but signal-with-start keeps one way in for every caller and cannot fail on a workflow that just closed.
 */
export async function signalSendingWindowChanged(
  client: Client,
  number: NumberOfAccount,
  event: SendingWindowChanged,
): Promise<void> {
  await signalWithStart(client, number, sendingWindowChangedSignal, event);
}

/** Signal-with-start of the number's workflow: the one way every event reaches it, running or not. */
async function signalWithStart<Event>(
  client: Client,
  number: NumberOfAccount,
  signal: SignalDefinition<[Event]>,
  event: Event,
): Promise<void> {
  const workflowId = smsConsentWorkflowId(number.accountId, number.phoneKey);
  await client.workflow.signalWithStart<SmsConsentWorkflow, [Event]>(SMS_CONSENT_WORKFLOW_TYPE, {
    ...consentWorkflowStartOptions({ ...number, workflowId }),
    signal,
    signalArgs: [event],
  });
}
