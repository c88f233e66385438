import type { Client } from '@temporalio/client';
import {
  doNotContactChangedSignal,
  smsConsentWorkflowId,
  type DoNotContactChanged,
} from '../../workflows/sms-consent.contract';
import { smsConsentWorkflow } from '../../workflows/sms-consent';
import { consentWorkflowStartOptions } from './workflow-start';

/**
 * Tells the number's workflow that its Do Not Contact entry changed (starting it if needed, so a number that
 * has never been texted starts out opted out). Signal-with-start: the event reaches the workflow whether or not
 * it is running.
 */
export async function signalDoNotContactChanged(
  client: Client,
  number: { accountId: string; phone: string; phoneKey: string },
  event: DoNotContactChanged,
): Promise<void> {
  const workflowId = smsConsentWorkflowId(number.accountId, number.phoneKey);
  await client.workflow.signalWithStart(smsConsentWorkflow, {
    ...consentWorkflowStartOptions({ ...number, workflowId }),
    signal: doNotContactChangedSignal,
    signalArgs: [event],
  });
}
