import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InboundIntent } from './classify-inbound';
import type { ReplyLanguage } from './inbound-keywords';

/**
 * What the outside world may say to an smsConsentWorkflow: one workflow per (account, phone number).
 * The webhooks, the API, the scripts and the tests import from here; nothing else of the workflow is public.
 */

/** The workflow type name stored in history; never rename. Callers start the workflow by this name. */
export const SMS_CONSENT_WORKFLOW_TYPE = 'smsConsentWorkflow';

/** The workflow's signature, so callers get typed arguments without importing its implementation. */
export type SmsConsentWorkflow = (input: SmsConsentInput) => Promise<void>;

/**
 * Derives the one workflow ID an (account, number) can have. `phoneKey` is a keyed hash of the E.164 number
 * (see src/phone.ts), so no phone number ever appears in a workflow ID.
 */
export const smsConsentWorkflowId = (accountId: string, phoneKey: string): string =>
  `smsConsent:${accountId}:${phoneKey}`;

/** A lead's opt-in status, the seed's four words. */
export type LeadOptInStatus = 'not_sent' | 'sent' | 'accepted' | 'rejected';

/** Why a text did not go out, as shown to API users. */
export type FailureReason =
  | 'a2p_not_verified'
  | 'invalid_number'
  | 'provider_refused'
  | 'provider_auth_failed'
  /** Vonage refused the text because the account's balance is too low (topping up fixes it). */
  | 'insufficient_balance'
  | 'send_outcome_unknown'
  | 'do_not_contact'
  | 'lead_rejected'
  | 'not_opted_in'
  | 'hold_expired'
  | 'opted_out'
  /** An unclear reply paused sends to the number; the lead's opt-in waits for START. */
  | 'sends_paused'
  /** Quiet hours: the lead's opt-in waits for the recipient's sending window (docs/quiet-hours.md). */
  | 'outside_sending_window'
  /** No sending window can be found for the number (no time zone known, or none within 14 days). */
  | 'no_sending_window';

/** Every status a text can have; the terminal ones are sent/delivered, failed, blocked, cancelled, expired. */
export type MessageStatus =
  | 'queued'
  | 'held'
  /** Waiting for the recipient's sending window (quiet hours); goes out at `sendAt`. */
  | 'scheduled'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'blocked'
  | 'cancelled'
  | 'expired'
  | 'received';

/** A held message: queued for a lead whose opt-in is still waiting for START. */
export interface HeldMessage {
  messageId: string;
  leadId: string;
  heldAt: number;
}

/** One lead's consent, as the workflow tracks it. */
export interface LeadState {
  status: LeadOptInStatus;
  reason?: FailureReason;
  optInMessageId?: string;
}

/** The whole state; carried across continue-as-new and returned by the state query. */
export interface ConsentState {
  accountId: string;
  /** True from STOP until START: the number is on the account's Do Not Contact list. */
  isOptedOut: boolean;
  /** True once the opt-out confirmation went out, until START: a further STOP sends nothing. */
  isOptOutConfirmed?: boolean;
  /**
   * True from a reply the classifier could not settle (intent `unclear`) until START or STOP: no lead content and
   * no new opt-in goes to the number meanwhile; queued texts are held (docs/keywords.md, "Unclear replies").
   */
  isPaused?: boolean;
  leads: Record<string, LeadState>;
  held: HeldMessage[];
  /** Provider message ids of inbound events already handled, newest last (bounded). */
  seenEventIds: string[];
  /** Account's hold limit, refreshed on every queued message. */
  holdLimitMs: number;
  eventsHandled: number;
  /** Texts waiting for the recipient's sending window, in the order they go out (docs/quiet-hours.md). */
  scheduled?: ScheduledText[];
}

/** A text due outside the recipient's sending window: a lead's text or a lead's opt-in, waiting on a timer. */
export interface ScheduledText {
  messageId: string;
  leadId: string;
  kind: 'lead' | 'opt_in';
  /** Epoch milliseconds at which the window opens; the send activity re-checks the window then. */
  sendAt: number;
}

/** Workflow input. `phone` is E.164; it stays in payloads (encrypted by the codec), never in IDs or attributes. */
export interface SmsConsentInput {
  accountId: string;
  phone: string;
  phoneKey: string;
  /** Present only when continuing as new. */
  state?: ConsentState;
  /** Continue-as-new after this many history events, unless the server suggests it sooner; tests lower it. */
  maxHistoryEvents?: number;
}

/** Queue one text for a lead. The update ID is the message ID, so a retried request is one update. */
export interface QueueMessageInput {
  messageId: string;
  leadId: string;
  body: string;
  idempotencyKey?: string;
  /** The API key that queued it, for the ledger. */
  actor?: string;
  /** Which template the body came from, if any. */
  templateId?: string;
  /** The lead's IANA time zone, from the CRM; it wins over the number's area code for quiet hours. */
  timeZone?: string;
  /** The lead's US state (two letters), from the CRM; state quiet-hours rules apply on top of the window. */
  state?: string;
}

/** What happened to a queued text, as far as the workflow decided it before answering. */
export interface QueueMessageResult {
  messageId: string;
  status: MessageStatus;
  optIn: LeadOptInStatus;
  reason?: FailureReason;
  isDuplicate: boolean;
  /** When a `scheduled` text (or a held text's scheduled opt-in) goes out: ISO 8601. */
  sendAt?: string;
}

/** The account's sending window, or a lead's time zone, changed: texts waiting for the window are planned again. */
export interface SendingWindowChanged {
  changedAt: string;
}

/** An inbound text from the number, already classified by the webhook with the account's keywords. */
export interface InboundReceived {
  providerMessageId: string;
  intent: InboundIntent;
  text: string;
  receivedAt: string;
  /** The language the reply's keyword was in; the answer (confirmation, HELP, clarification) goes out in it. */
  language?: ReplyLanguage;
}

/**
 * Where a Do Not Contact entry came from. `sms` is a STOP reply; the rest are the FCC's revocation by "any
 * reasonable means", the carrier's own opt-out list, and a CSV import.
 */
export type DoNotContactSource = 'sms' | 'phone_call' | 'email' | 'web' | 'operator' | 'carrier' | 'import';

/** The number was put on, or taken off, the Do Not Contact list by something other than a STOP/START reply. */
export interface DoNotContactChanged {
  /** Unique per change; redeliveries are ignored. */
  eventId: string;
  change: 'added' | 'removed';
  /** Never `sms`: a STOP or START reply reaches the workflow as inboundReceived. */
  source: Exclude<DoNotContactSource, 'sms'>;
  reason?: string;
  actor?: string;
  occurredAt: string;
}

/**
 * Queue a text. An update rather than a signal: the caller (POST /v1/messages) answers with what happened,
 * opt-in sent or not and why, so it waits for the workflow's decision.
 */
export const queueMessageUpdate = defineUpdate<QueueMessageResult, [QueueMessageInput]>('queueMessage');

/** An inbound SMS from the number (STOP, START, HELP, or anything else). */
export const inboundReceivedSignal = defineSignal<[InboundReceived]>('inboundReceived');

/**
 * An operator, the CRM or the carrier changed the number's Do Not Contact entry. Added: like STOP (leads rejected,
 * held texts cancelled) but without a confirmation text. Removed: rejected leads go back to not_sent, so the
 * next text starts with a fresh opt-in; nothing else is sent.
 */
export const doNotContactChangedSignal = defineSignal<[DoNotContactChanged]>('doNotContactChanged');

/** The full consent state of the number: every lead, every held message. */
export const getConsentStateQuery = defineQuery<ConsentState>('getConsentState');

/**
 * The account's sending window changed: every text of the number waiting for its window is planned again (it may
 * now be due, or later). A signal: the settings API answers at once and each number re-plans on its own.
 */
export const sendingWindowChangedSignal = defineSignal<[SendingWindowChanged]>('sendingWindowChanged');
