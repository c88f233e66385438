import type { OutboundKind as ServiceOutboundKind } from '../../activities';
import type { LeadOptInStatus } from '../../workflows/sms-consent.contract';

/**
 * A reference model of one account's consent, written from the consent table in docs/consent-model.md and nothing else:
 * per number opted out or not, per lead its opt-in status, the held texts in order, and the texts each event must
 * send. The property test (test/e2e/consent-properties.test.ts) runs the real system beside it and compares.
 * Leads and numbers are indexes; the test maps them to the run's fresh lead ids and phone numbers.
 */

/** What the model says a queued lead text became. `sent` stands for the API's `sent` or `delivered`. */
export type ModelMessageStatus = 'held' | 'sent' | 'blocked' | 'cancelled';

/** Every kind of outbound text the model expects: its replies are never unclear, so it never expects a clarification. */
export type OutboundKind = Exclude<ServiceOutboundKind, 'clarification'>;

/** What an inbound reply means; the test picks texts whose meaning the classification rules of docs/keywords.md fix. */
export type ReplyIntent = 'opt_out' | 'opt_in' | 'help' | 'other';

/** A text the model expects to reach the provider, in order. `messageId` is set for lead texts. */
export interface ExpectedText {
  kind: OutboundKind;
  lead?: number;
  messageId?: string;
}

/** A lead text the model has seen queued. */
export interface ModelMessage {
  messageId: string;
  lead: number;
  body: string;
  idempotencyKey?: string;
  status: ModelMessageStatus;
}

/** The model's answer to POST /v1/messages. */
export interface QueuePrediction {
  status: ModelMessageStatus;
  optIn: LeadOptInStatus;
  isDuplicate: boolean;
  messageId?: string;
}

/**
 * One phone number's state. `eventsHandled` counts what the workflow must have handled: queues and signals;
 * `eventsUncertain` more may have reached it (two racing requests with one idempotency key can be one or two).
 */
export interface ModelNumber {
  isOptedOut: boolean;
  /** The opt-out confirmation went out and no START came since: a further STOP sends nothing. */
  isOptOutConfirmed?: boolean;
  eventsHandled: number;
  eventsUncertain: number;
  held: string[];
}

/** One account, `numberCount` phone numbers, and leads each bound to one number (several leads may share one). */
export class ConsentModel {
  readonly numbers: ModelNumber[];
  /** Undefined until the lead's first text is queued. */
  readonly leads: (LeadOptInStatus | undefined)[];
  readonly messages = new Map<string, ModelMessage>();
  /** Queued texts that carried an idempotency key, oldest first: what a client retry can repeat. */
  readonly keyed: ModelMessage[] = [];
  /** Leads that were accepted at some moment of the current step: the only ones a lead text may reach. */
  readonly acceptedThisStep = new Set<number>();

  constructor(
    numberCount: number,
    /** leadNumber[lead] is the index of the lead's phone number. */
    readonly leadNumber: readonly number[],
  ) {
    this.numbers = Array.from({ length: numberCount }, () => ({
      isOptedOut: false,
      eventsHandled: 0,
      eventsUncertain: 0,
      held: [],
    }));
    this.leads = leadNumber.map(() => undefined);
  }

  /** Starts a step: the history the invariant checks read begins with the leads accepted now. */
  beginStep(): void {
    this.acceptedThisStep.clear();
    for (const [lead, status] of this.leads.entries()) if (status === 'accepted') this.acceptedThisStep.add(lead);
  }

  /** The leads on one number. */
  leadsOf(number: number): number[] {
    return this.leadNumber.flatMap((n, lead) => (n === number ? [lead] : []));
  }

  /**
   * Predicts POST /v1/messages for a new text (no idempotency key seen before). Call `recordQueued` with the
   * message ID the API answered to apply it.
   */
  predictQueue(lead: number): { prediction: QueuePrediction; texts: ExpectedText[] } {
    const number = this.numbers[this.numberOf(lead)]!;
    const status = this.leads[lead];
    // "new lead | queued | number on Do Not Contact → blocked"; "rejected | queued | blocked, nothing sent".
    // A lead blocked before any opt-in reached it is `not_sent` (reason do_not_contact), never `rejected`: it never
    // saw an opt-in, so a later START must not accept it; its next text after START starts with its opt-in.
    if (number.isOptedOut || status === 'rejected') {
      const optIn = status === 'rejected' ? 'rejected' : 'not_sent';
      return { prediction: { status: 'blocked', optIn, isDuplicate: false }, texts: [] };
    }
    if (status === undefined || status === 'not_sent') {
      return {
        prediction: { status: 'held', optIn: 'sent', isDuplicate: false },
        texts: [{ kind: 'opt_in', lead }],
      };
    }
    if (status === 'sent') return { prediction: { status: 'held', optIn: 'sent', isDuplicate: false }, texts: [] };
    return { prediction: { status: 'sent', optIn: 'accepted', isDuplicate: false }, texts: [{ kind: 'lead', lead }] };
  }

  /** Applies a new queued text; returns the texts it must send (the lead text carries its message ID). */
  recordQueued(lead: number, messageId: string, body: string, idempotencyKey?: string): ExpectedText[] {
    const { prediction, texts } = this.predictQueue(lead);
    const number = this.numbers[this.numberOf(lead)]!;
    number.eventsHandled += 1;
    const message: ModelMessage = { messageId, lead, body, idempotencyKey, status: prediction.status };
    this.messages.set(messageId, message);
    if (idempotencyKey) this.keyed.push(message);
    this.leads[lead] = prediction.optIn;
    if (prediction.status === 'held') number.held.push(messageId);
    return texts.map((text) => (text.kind === 'lead' ? { ...text, messageId } : text));
  }

  /** A client retry with an idempotency key already used: the same message, as it is now; no event, no text. */
  predictRetry(message: ModelMessage): QueuePrediction {
    return {
      status: message.status,
      optIn: this.leads[message.lead] ?? 'not_sent',
      isDuplicate: true,
      messageId: message.messageId,
    };
  }

  /**
   * Applies the first delivery of an inbound reply from a number; returns the texts it must send. A redelivery
   * (same provider message id) is not an event and must not be passed here.
   */
  receiveReply(numberIndex: number, intent: ReplyIntent): ExpectedText[] {
    const number = this.numbers[numberIndex]!;
    // An ordinary reply is kept in the history but is not a consent event: the workflow never hears of it.
    if (intent === 'other') return [];
    number.eventsHandled += 1;
    const leads = this.leadsOf(numberIndex).filter((lead) => this.leads[lead] !== undefined);

    if (intent === 'help') return [{ kind: 'help_reply' }];

    if (intent === 'opt_out') {
      // "any | STOP | Do Not Contact; held cancelled; one opt-out confirmation | rejected". A second STOP while
      // opted out sends no second confirmation.
      // Only leads that were shown an opt-in (sent, accepted) become rejected.
      const wasConfirmed = number.isOptOutConfirmed === true;
      number.isOptedOut = true;
      number.isOptOutConfirmed = true;
      for (const lead of leads) {
        if (this.leads[lead] === 'sent' || this.leads[lead] === 'accepted') this.leads[lead] = 'rejected';
      }
      for (const messageId of number.held) this.messages.get(messageId)!.status = 'cancelled';
      number.held = [];
      return wasConfirmed ? [] : [{ kind: 'opt_out_confirmation' }];
    }

    // START answers every waiting lead on the number; after STOP it re-subscribes every rejected lead. START when
    // nothing waits and the number is not opted out does nothing.
    const wasOptedOut = number.isOptedOut;
    const waiting = leads.filter(
      (lead) => this.leads[lead] === 'sent' || (wasOptedOut && this.leads[lead] === 'rejected'),
    );
    if (!wasOptedOut && waiting.length === 0) return [];
    number.isOptedOut = false;
    number.isOptOutConfirmed = false;
    for (const lead of waiting) {
      this.leads[lead] = 'accepted';
      this.acceptedThisStep.add(lead);
    }
    const texts: ExpectedText[] = [{ kind: 'opt_in_confirmation' }];
    const released = number.held.filter((messageId) => waiting.includes(this.messages.get(messageId)!.lead));
    for (const messageId of released) {
      const message = this.messages.get(messageId)!;
      message.status = 'sent';
      texts.push({ kind: 'lead', lead: message.lead, messageId });
    }
    number.held = number.held.filter((messageId) => !released.includes(messageId));
    return texts;
  }

  numberOf(lead: number): number {
    return this.leadNumber[lead]!;
  }
}
