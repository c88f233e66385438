import { defineSearchAttributeKey } from '@temporalio/common';
import type { ConsentState } from './sms-consent.contract';

/** `ConsentStatus` (Keyword): NotSent, Sent, Accepted or Rejected — how the number stands, for the Web UI. */
export const consentStatusAttribute = defineSearchAttributeKey('ConsentStatus', 'KEYWORD');
/** `AccountId` (Keyword): the account the number belongs to. */
export const accountIdAttribute = defineSearchAttributeKey('AccountId', 'KEYWORD');
/** `LeadIds` (KeywordList): every lead texting this number (the most recent 100). */
export const leadIdsAttribute = defineSearchAttributeKey('LeadIds', 'KEYWORD_LIST');

/** Every search attribute the dev server and the production cluster must register. */
export const SEARCH_ATTRIBUTES = [consentStatusAttribute, accountIdAttribute, leadIdsAttribute] as const;

/** The ConsentStatus keyword of a number: Rejected after STOP, else Sent while any lead waits, Accepted, NotSent. */
export function toConsentStatusKeyword(state: ConsentState): 'NotSent' | 'Sent' | 'Accepted' | 'Rejected' {
  const statuses = Object.values(state.leads).map((lead) => lead.status);
  if (state.isOptedOut || (statuses.length > 0 && statuses.every((s) => s === 'rejected'))) return 'Rejected';
  if (statuses.includes('sent')) return 'Sent';
  if (statuses.includes('accepted')) return 'Accepted';
  return 'NotSent';
}
