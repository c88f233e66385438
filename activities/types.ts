import type {
  DoNotContactSource,
  FailureReason,
  LeadOptInStatus,
  MessageStatus,
  QueueMessageInput,
} from '../workflows/sms-consent.contract';
import type { ReplyLanguage } from '../workflows/inbound-keywords';

/** Which kind of outbound text; only `lead` is the CRM's own content and needs an accepted opt-in. */
export type OutboundKind =
  | 'lead'
  | 'opt_in'
  | 'opt_out_confirmation'
  | 'opt_in_confirmation'
  | 'help_reply'
  /** The one text that answers an unclear reply: reply STOP to stop or START to keep getting texts. */
  | 'clarification';

/** Identifies the number a workflow is about. */
export interface NumberRef {
  accountId: string;
  phone: string;
  phoneKey: string;
  workflowId: string;
}

/** Input of recordQueuedMessage. */
export interface RecordQueuedMessageInput extends NumberRef, QueueMessageInput {
  /**
   * The lead is new to the workflow, which sends it the Opt-In template first: with this, the same activity sends
   * that opt-in (under this message ID, as sendText would) once the text is recorded, unless the text turned out a
   * duplicate or the number is on Do Not Contact. One activity instead of two for a new lead.
   */
  optIn?: { messageId: string };
  /**
   * The lead has accepted, so the workflow sends the text at once: with this, the same activity sends it (as
   * sendText would) once it is recorded, unless it turned out a duplicate or the number is on Do Not Contact.
   */
  sendNow?: boolean;
}

/** What Postgres knows when a message is queued. */
export interface RecordQueuedMessageResult {
  messageId: string;
  /** An earlier request with the same idempotency key (or message ID) already queued this text. */
  isDuplicate: boolean;
  status: MessageStatus;
  reason?: FailureReason;
  isOnDoNotContact: boolean;
  holdLimitMs: number;
  /** The CRM gave this lead another time zone or state than before: its scheduled texts are planned again. */
  isZoneChanged?: boolean;
  /** What the opt-in send asked for with `optIn` did; absent when it was not sent (a duplicate, Do Not Contact). */
  optIn?: SendTextResult;
  /** What the send of the text itself asked for with `sendNow` did; absent when it was not sent. */
  sent?: SendTextResult;
}

/** Input of sendText: the row is created if missing (keyed by messageId) and sent at most once. */
export interface SendTextInput extends NumberRef {
  messageId: string;
  kind: OutboundKind;
  leadId?: string;
  /** For an account text: the language to send it in when the account has it (English otherwise). */
  language?: ReplyLanguage;
  /**
   * The caller waits for the recipient's sending window when told `scheduled` (quiet hours). Absent for answers
   * (confirmations, HELP, the clarifying question), which go out at any hour, and from workflow code older than
   * quiet hours.
   */
  canSchedule?: boolean;
}

/** Input of sendTexts: texts to one number, sent one after the other in this order, each as sendText sends it. */
export interface SendTextsInput extends NumberRef {
  texts: Omit<SendTextInput, keyof NumberRef>[];
}

/** The outcome of one sendText. */
export interface SendTextResult {
  status: 'sent' | 'delivered' | 'failed' | 'blocked' | 'scheduled';
  /** For `scheduled`: when the recipient's sending window opens (ISO 8601); nothing was sent. */
  sendAt?: string;
  reason?: FailureReason;
  /** The exact text that went out (footer included), for the ledger. */
  text?: string;
  providerMessageId?: string;
}

/** An account's sending window in the recipient's local time (docs/quiet-hours.md). */
export interface SendingWindowSetting {
  /** 'HH:MM', inclusive. */
  start: string;
  /** 'HH:MM', exclusive. */
  end: string;
  noSendDays: readonly ('sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[];
}

/** What the send gate knows when it asks whether a text may go out now: the account's window and the recipient. */
export interface SendPlanRequest {
  now: Date;
  phone: string;
  window: SendingWindowSetting;
  /** The CRM's zone for the lead; wins over the number's area code. */
  timeZone?: string;
  /** The CRM's US state for the lead. */
  state?: string;
}

/** Whether a text may go out now, when it may, or that no window can be found for the recipient. */
export type SendPlan = { kind: 'now' } | { kind: 'later'; sendAt: Date } | { kind: 'never'; detail: string };

/** Decides when a text may reach its recipient (quiet hours). Implemented by src/sending-window/plan-send.ts. */
export type SendPlanner = (request: SendPlanRequest) => Promise<SendPlan>;

/** Moves messages that are not yet terminal to a new status (held, cancelled, expired, blocked, failed). */
export interface SetMessageStatusInput {
  accountId: string;
  messageIds: string[];
  status: Extract<MessageStatus, 'held' | 'cancelled' | 'expired' | 'blocked' | 'failed'>;
  reason?: FailureReason;
}

/** Consent event types written to the ledger. */
export type ConsentEventType =
  | 'opt_in_sent'
  | 'opt_in_not_sent'
  | 'opted_in'
  | 'opted_out'
  | 'resubscribed'
  | 'do_not_contact_added'
  | 'do_not_contact_removed'
  | 'help_requested'
  | 'consent_reset'
  /** An unclear reply paused sends to the number. */
  | 'sends_paused'
  /** START ended a pause. */
  | 'sends_resumed';

/** Who or what made a consent change, as its ledger rows record it. */
export type ConsentEventSource = DoNotContactSource | 'api' | 'system';

/** One consent change for some leads of a number; lead statuses and ledger rows are written together. */
export interface RecordConsentChangeInput extends NumberRef {
  /** Unique per event; ledger rows are keyed by it (plus lead), so a retried activity appends nothing twice. */
  eventKey: string;
  eventType: ConsentEventType;
  source: ConsentEventSource;
  leadIds: string[];
  newStatus?: LeadOptInStatus;
  reason?: FailureReason;
  rawText?: string;
  providerMessageId?: string;
  optInText?: string;
  optInMessageId?: string;
  actor?: string;
  occurredAt: string;
  /** Put the number on, or take it off, the Do Not Contact list in the same transaction. */
  doNotContact?: 'add' | 'remove';
}
