import { TypedSearchAttributes } from '@temporalio/common';
import { accountIdAttribute, consentStatusAttribute } from '../../workflows/search-attributes';
import type { SmsConsentInput } from '../../workflows/sms-consent.contract';
import { maskPhone } from '../phone';
import { TASK_QUEUE } from '../temporal';

/**
 * Start options of an smsConsentWorkflow, shared by every caller that may start one (signal-with-start from the
 * webhook, update-with-start from the API), so both start it the same way. The summary is what an operator reads
 * in the Web UI; it masks the number.
 */
export function consentWorkflowStartOptions(input: {
  accountId: string;
  phone: string;
  phoneKey: string;
  workflowId: string;
  maxHistoryEvents?: number;
}) {
  const args: [SmsConsentInput] = [
    {
      accountId: input.accountId,
      phone: input.phone,
      phoneKey: input.phoneKey,
      maxHistoryEvents: input.maxHistoryEvents,
    },
  ];
  return {
    workflowId: input.workflowId,
    taskQueue: TASK_QUEUE,
    args,
    staticSummary: `SMS consent for ${maskPhone(input.phone)} (account ${input.accountId})`,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: accountIdAttribute, value: input.accountId },
      { key: consentStatusAttribute, value: 'NotSent' },
    ]),
  };
}
