import type {
  Activities,
  OutboundKind,
  RecordConsentChangeInput,
  RecordQueuedMessageInput,
  RecordQueuedMessageResult,
  SendTextInput,
  SendTextResult,
  SendTextsInput,
  SetMessageStatusInput,
} from '../../activities';
import type { FailureReason, MessageStatus } from '../../workflows/sms-consent.contract';
import { withFooter } from '../../src/consent/footer';

/** One activity call, in the order the workflow made it. */
export type FakeActivityCall =
  | { name: 'recordQueuedMessage'; input: RecordQueuedMessageInput }
  | { name: 'sendText'; input: SendTextInput }
  /** A batch; each of its texts is recorded after it as a sendText call, so a test reads every send in order. */
  | { name: 'sendTexts'; input: SendTextsInput }
  | { name: 'setMessageStatus'; input: SetMessageStatusInput }
  | { name: 'recordConsentChange'; input: RecordConsentChangeInput };

/** A message as the fake outbox holds it. */
export interface FakeMessage {
  kind: OutboundKind;
  leadId?: string;
  body: string;
  status: MessageStatus;
  reason?: FailureReason;
  providerMessageId?: string;
}

/** Texts the fake uses for the account's templates, so tests can tell them apart. */
export const FAKE_TEMPLATES: Record<Exclude<OutboundKind, 'lead'>, string> = {
  opt_in: 'Acme Realty: reply START to get texts from us.',
  opt_out_confirmation: 'Acme Realty: you are unsubscribed.',
  opt_in_confirmation: 'Acme Realty: you are subscribed again.',
  help_reply: 'Acme Realty: help is at acme.example.',
  clarification: 'Acme Realty: did you mean STOP? Reply STOP to stop or START to keep getting texts.',
};

/**
 * An in-memory stand-in for every activity of activities/index.ts. It records each call, keeps a small outbox and
 * Do Not Contact flag the way Postgres would, and sends whatever it is asked to (no consent gate of its own), so a
 * test sees exactly what the workflow decided. Tests script refusals through `sendTextOutcome`.
 */
export class FakeActivities {
  readonly calls: FakeActivityCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** The number's Do Not Contact row; recordConsentChange adds and removes it as the real store does. */
  isOnDoNotContact = false;
  /** The account's hold limit, returned by every recordQueuedMessage. */
  holdLimitMs = 30 * 24 * 3600 * 1000;
  /** Scripts a send's outcome; returning undefined lets the text go out. */
  sendTextOutcome: (input: SendTextInput) => SendTextResult | undefined = () => undefined;

  readonly activities: Activities = {
    recordQueuedMessage: async (input) => {
      this.calls.push({ name: 'recordQueuedMessage', input });
      const recorded = this.recordQueuedMessage(input);
      const { accountId, phone, phoneKey, workflowId, leadId, optIn, sendNow } = input;
      if ((!optIn && !sendNow) || recorded.isDuplicate || recorded.isOnDoNotContact) return recorded;
      // What goes out with the text (its lead's opt-in, or the text itself) is recorded after it as a sendText call,
      // as a batch's texts are.
      const send: SendTextInput = {
        ...{ accountId, phone, phoneKey, workflowId, leadId, canSchedule: true },
        ...(optIn ? { messageId: optIn.messageId, kind: 'opt_in' } : { messageId: recorded.messageId, kind: 'lead' }),
      };
      this.calls.push({ name: 'sendText', input: send });
      const result = this.sendText(send);
      return optIn ? { ...recorded, optIn: result } : { ...recorded, sent: result };
    },
    sendText: async (input) => {
      this.calls.push({ name: 'sendText', input });
      return this.sendText(input);
    },
    sendTexts: async (input) => {
      this.calls.push({ name: 'sendTexts', input });
      const { texts, ...ref } = input;
      const results: SendTextResult[] = [];
      for (const text of texts) {
        this.calls.push({ name: 'sendText', input: { ...ref, ...text } });
        results.push(await this.sendText({ ...ref, ...text }));
      }
      return results;
    },
    setMessageStatus: async (input) => {
      this.calls.push({ name: 'setMessageStatus', input });
      for (const id of input.messageIds) {
        const message = this.messages.get(id);
        if (message && (message.status === 'queued' || message.status === 'held')) {
          message.status = input.status;
          message.reason = input.reason;
        }
      }
    },
    recordConsentChange: async (input) => {
      this.calls.push({ name: 'recordConsentChange', input });
      if (input.doNotContact === 'add') this.isOnDoNotContact = true;
      if (input.doNotContact === 'remove') this.isOnDoNotContact = false;
    },
  };

  /** Every sendText input, oldest first, optionally of one kind. */
  sends(kind?: OutboundKind): SendTextInput[] {
    return this.calls.flatMap((call) =>
      call.name === 'sendText' && (kind === undefined || call.input.kind === kind) ? [call.input] : [],
    );
  }

  /** The sendText inputs after the first `count`, oldest first: what a step sent. */
  sendsAfter(count: number): SendTextInput[] {
    return this.sends().slice(count);
  }

  /** Every recordConsentChange input, oldest first. */
  consentChanges(): RecordConsentChangeInput[] {
    return this.calls.flatMap((call) => (call.name === 'recordConsentChange' ? [call.input] : []));
  }

  /** Every setMessageStatus input, oldest first, optionally to one status. */
  statusChanges(status?: SetMessageStatusInput['status']): SetMessageStatusInput[] {
    return this.calls.flatMap((call) =>
      call.name === 'setMessageStatus' && (status === undefined || call.input.status === status) ? [call.input] : [],
    );
  }

  /** The outbox status of one message. */
  statusOf(messageId: string): MessageStatus | undefined {
    return this.messages.get(messageId)?.status;
  }

  private recordQueuedMessage(input: RecordQueuedMessageInput): RecordQueuedMessageResult {
    const existing = this.messages.get(input.messageId);
    const base = { isOnDoNotContact: this.isOnDoNotContact, holdLimitMs: this.holdLimitMs };
    if (existing) {
      return {
        ...base,
        messageId: input.messageId,
        isDuplicate: true,
        status: existing.status,
        reason: existing.reason,
      };
    }
    this.messages.set(input.messageId, {
      kind: 'lead',
      leadId: input.leadId,
      body: withFooter(input.body),
      status: 'queued',
    });
    return { ...base, messageId: input.messageId, isDuplicate: false, status: 'queued' };
  }

  private sendText(input: SendTextInput): SendTextResult {
    let message = this.messages.get(input.messageId);
    if (!message) {
      if (input.kind === 'lead') throw new Error(`lead message ${input.messageId} is not in the fake outbox`);
      message = {
        kind: input.kind,
        leadId: input.leadId,
        body: withFooter(FAKE_TEMPLATES[input.kind]),
        status: 'queued',
      };
      this.messages.set(input.messageId, message);
    }
    if (message.status === 'sent') {
      return { status: 'sent', text: message.body, providerMessageId: message.providerMessageId };
    }
    const scripted = this.sendTextOutcome(input);
    if (scripted) {
      message.status = scripted.status;
      message.reason = scripted.reason;
      return { ...scripted, text: message.body };
    }
    message.status = 'sent';
    message.providerMessageId = `fake-provider-${input.messageId}`;
    return { status: 'sent', text: message.body, providerMessageId: message.providerMessageId };
  }
}
