import {
  condition,
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConsentEventType, OutboundKind, RecordQueuedMessageResult, SendTextResult } from '../activities';
import type { ReplyLanguage } from './inbound-keywords';
import { acts, bookkeeping } from './activity-proxies';
import {
  type ConsentState,
  type DoNotContactChanged,
  type FailureReason,
  type InboundReceived,
  type LeadOptInStatus,
  type QueueMessageInput,
  type QueueMessageResult,
  type SmsConsentInput,
} from './sms-consent.contract';
import {
  consentStatusAttribute,
  leadIdsAttribute,
  accountIdAttribute,
  toConsentStatusKeyword,
} from './search-attributes';

// Behaviour changes made after executions started running; each keeps old histories replaying as they ran.
/** A lead blocked before any opt-in reached it is not_sent (do_not_contact), never rejected. */
const PATCH_NO_OPT_IN_IS_NOT_REJECTED = 'lead-without-opt-in-is-not-rejected';
/** The opt-out confirmation is skipped only when an earlier STOP was already confirmed. */
const PATCH_CONFIRM_UNCONFIRMED_STOP = 'confirm-each-unconfirmed-stop';
/**
 * A reply the classifier cannot settle pauses sends and asks once (docs/keywords.md). Histories from before it
 * never carry an `unclear` intent, so the marker only records when a run first took the new path.
 */
const PATCH_UNCLEAR_REPLY_PAUSES = 'unclear-reply-pauses-sends';

const DEFAULT_HOLD_LIMIT_MS = 30 * 24 * 3600 * 1000;
const MAX_SEEN_EVENT_IDS = 500;

/** One thing that happened to the number, handled strictly in arrival order. */
export type ConsentEvent =
  | { kind: 'queue'; input: QueueMessageInput }
  | { kind: 'inbound'; input: InboundReceived }
  | { kind: 'dnc'; input: DoNotContactChanged };

/** The number's state and the rules of the consent table (docs/consent-model.md), one event at a time, in order. */
export class NumberConsent {
  readonly state: ConsentState;
  private readonly queue: ConsentEvent[] = [];
  private readonly results = new Map<string, QueueMessageResult>();
  private readonly ref: { accountId: string; phone: string; phoneKey: string; workflowId: string };

  constructor(input: SmsConsentInput) {
    this.state = input.state ?? {
      accountId: input.accountId,
      isOptedOut: false,
      leads: {},
      held: [],
      seenEventIds: [],
      holdLimitMs: DEFAULT_HOLD_LIMIT_MS,
      eventsHandled: 0,
    };
    this.ref = {
      accountId: input.accountId,
      phone: input.phone,
      phoneKey: input.phoneKey,
      workflowId: workflowInfo().workflowId,
    };
  }

  enqueue(event: ConsentEvent): void {
    this.queue.push(event);
  }

  async queueAndWait(message: QueueMessageInput): Promise<QueueMessageResult> {
    const earlier = this.results.get(message.messageId);
    if (earlier) return earlier;
    this.enqueue({ kind: 'queue', input: message });
    await condition(() => this.results.has(message.messageId));
    const result = this.results.get(message.messageId);
    if (!result) throw new Error('unreachable: result missing after condition');
    // The server dedupes a retried update by its ID (the message ID) within a run; across runs the outbox does.
    this.results.delete(message.messageId);
    return result;
  }

  hasWork(): boolean {
    return this.queue.length > 0;
  }

  async handleNext(): Promise<void> {
    const event = this.queue.shift();
    if (!event) return;
    if (event.kind === 'queue') {
      const result = await this.onMessageQueued(event.input);
      this.results.set(event.input.messageId, result);
    } else if (event.kind === 'inbound') {
      await this.onInbound(event.input);
    } else {
      await this.onDoNotContactChanged(event.input);
    }
    this.state.eventsHandled += 1;
    this.publish();
  }

  /** Milliseconds until the oldest held message passes the account's hold limit; undefined when nothing is held. */
  msUntilNextExpiry(): number | undefined {
    const oldest = this.state.held[0];
    if (!oldest) return undefined;
    return Math.max(oldest.heldAt + this.state.holdLimitMs - Date.now(), 1);
  }

  async expireHeld(): Promise<void> {
    const now = Date.now();
    const expired = this.state.held.filter((held) => held.heldAt + this.state.holdLimitMs <= now);
    if (expired.length === 0) return;
    await bookkeeping().setMessageStatus({
      accountId: this.ref.accountId,
      messageIds: expired.map((held) => held.messageId),
      status: 'expired',
      reason: 'hold_expired',
    });
    const expiredIds = new Set(expired.map((held) => held.messageId));
    this.state.held = this.state.held.filter((held) => !expiredIds.has(held.messageId));
    this.publish();
  }

  private async onMessageQueued(message: QueueMessageInput): Promise<QueueMessageResult> {
    // A regular activity, never a local one: the queueMessage update is accepted by the workflow task that schedules
    // it, so the text reaches Postgres only once Temporal has made the update durable. Run inside that same task, it
    // could write the row and then lose the task (a Temporal restart, fault F2): the caller is told to retry, its
    // retry finds the row by idempotency key, and the workflow never hears of a text left `queued` or `held`.
    const recorded: RecordQueuedMessageResult = await acts.recordQueuedMessage({ ...this.ref, ...message });
    this.state.holdLimitMs = recorded.holdLimitMs;
    const lead = this.state.leads[message.leadId];
    if (recorded.isDuplicate) {
      return {
        messageId: recorded.messageId,
        status: recorded.status,
        optIn: lead?.status ?? 'not_sent',
        reason: recorded.reason,
        isDuplicate: true,
      };
    }
    const messageId = recorded.messageId;

    if (recorded.isOnDoNotContact || this.state.isOptedOut || lead?.status === 'rejected') {
      if (recorded.isOnDoNotContact) this.noteOptedOutInPostgres();
      await bookkeeping().setMessageStatus({
        accountId: this.ref.accountId,
        messageIds: [messageId],
        status: 'blocked',
        reason: 'do_not_contact',
      });
      if (!patched(PATCH_NO_OPT_IN_IS_NOT_REJECTED)) {
        if (lead?.status !== 'rejected') {
          await this.changeLeads([message.leadId], 'rejected', {
            eventType: 'opted_out',
            source: 'system',
            reason: 'do_not_contact',
          });
        }
      } else if (lead?.status === 'sent' || lead?.status === 'accepted') {
        // The lead saw its opt-in; the number's opt-out (learnt from Postgres) rejects it.
        await this.changeLeads([message.leadId], 'rejected', {
          eventType: 'opted_out',
          source: 'system',
          reason: 'do_not_contact',
        });
      } else if ((!lead || lead.status === 'not_sent') && lead?.reason !== 'do_not_contact') {
        // Never shown an opt-in, so it cannot have rejected one: not_sent, and a fresh opt-in once the number is
        // off the list. Otherwise a later START would "accept" a lead that never saw an opt-in (invariant 4).
        await this.changeLeads([message.leadId], 'not_sent', {
          eventType: 'opt_in_not_sent',
          source: 'system',
          reason: 'do_not_contact',
        });
      }
      return this.result(messageId, 'blocked', message.leadId, 'do_not_contact');
    }

    // Paused by an unclear reply: nothing new reaches the number, not even an opt-in, until START or STOP.
    if (this.state.isPaused) return this.holdWhilePaused(messageId, message.leadId);

    if (!lead || lead.status === 'not_sent') {
      const optIn = await this.sendOptIn(message.leadId, message.actor);
      if (optIn.status !== 'sent' && optIn.status !== 'delivered') {
        const status = optIn.status === 'blocked' ? 'blocked' : 'failed';
        await bookkeeping().setMessageStatus({
          accountId: this.ref.accountId,
          messageIds: [messageId],
          status,
          reason: optIn.reason,
        });
        return this.result(messageId, status, message.leadId, optIn.reason);
      }
      return this.hold(messageId, message.leadId);
    }
    if (lead.status === 'sent') return this.hold(messageId, message.leadId);

    // accepted: the lead opted in; send now.
    const sent = await this.send(messageId, 'lead', message.leadId);
    return this.result(messageId, sent.status, message.leadId, sent.reason);
  }

  /** Remembers an event id; false when it was seen before (a redelivery). */
  private firstSighting(eventId: string): boolean {
    if (this.state.seenEventIds.includes(eventId)) return false;
    this.state.seenEventIds.push(eventId);
    if (this.state.seenEventIds.length > MAX_SEEN_EVENT_IDS) this.state.seenEventIds.shift();
    return true;
  }

  private async onDoNotContactChanged(event: DoNotContactChanged): Promise<void> {
    if (!this.firstSighting(event.eventId)) return;
    const base = { source: event.source, actor: event.actor, occurredAt: event.occurredAt } as const;
    if (event.change === 'added') {
      this.state.isOptedOut = true;
      this.state.isPaused = false;
      const leadIds = this.leadsToReject();
      await this.changeLeads(leadIds, 'rejected', { ...base, eventType: 'opted_out', doNotContact: 'add' });
      await this.cancelHeld();
      return;
    }
    // Removed by an operator (a mistaken entry): rejected leads start over with a fresh opt-in, never a release.
    this.state.isOptedOut = false;
    const leadIds = Object.keys(this.state.leads).filter((id) => this.state.leads[id]?.status === 'rejected');
    await this.changeLeads(leadIds, 'not_sent', { ...base, eventType: 'consent_reset' });
  }

  /**
   * The leads an opt-out rejects: those that were shown an opt-in (sent or accepted). A lead that never got one
   * stays not_sent, so that a START can never release content to a lead that never saw the Opt-In template.
   */
  private leadsToReject(): string[] {
    const ids = Object.keys(this.state.leads);
    if (!patched(PATCH_NO_OPT_IN_IS_NOT_REJECTED))
      return ids.filter((id) => this.state.leads[id]?.status !== 'rejected');
    return ids.filter((id) => {
      const status = this.state.leads[id]?.status;
      return status === 'sent' || status === 'accepted';
    });
  }

  private async cancelHeld(): Promise<void> {
    const cancelled = this.state.held.map((held) => held.messageId);
    this.state.held = [];
    await bookkeeping().setMessageStatus({
      accountId: this.ref.accountId,
      messageIds: cancelled,
      status: 'cancelled',
      reason: 'opted_out',
    });
  }

  private async onInbound(event: InboundReceived): Promise<void> {
    if (!this.firstSighting(event.providerMessageId)) return;
    const evidence: Evidence = {
      rawText: event.text,
      providerMessageId: event.providerMessageId,
      occurredAt: event.receivedAt,
      language: event.language,
    };

    switch (event.intent) {
      case 'opt_out':
        return this.onOptOut(evidence);
      case 'opt_in':
        return this.onOptIn(evidence);
      case 'help':
        await this.send(uuid4(), 'help_reply', undefined, evidence.language);
        return;
      case 'unclear':
        return this.onUnclear(evidence);
      case 'other':
        return;
    }
  }

  private async onOptOut(evidence: Evidence): Promise<void> {
    const wasOptedOut = this.state.isOptedOut;
    this.state.isOptedOut = true;
    this.state.isPaused = false;
    const leadIds = this.leadsToReject();
    // The webhook already committed the Do Not Contact row; adding it again is a no-op that also covers an
    // opt-out that reached us by another path.
    await this.changeLeads(leadIds, 'rejected', {
      eventType: 'opted_out',
      source: 'sms',
      doNotContact: 'add',
      ...withoutLanguage(evidence),
    });
    const cancelled = this.state.held.map((held) => held.messageId);
    this.state.held = [];
    await bookkeeping().setMessageStatus({
      accountId: this.ref.accountId,
      messageIds: cancelled,
      status: 'cancelled',
      reason: 'opted_out',
    });
    // One confirmation per opt-out: a second STOP while opted out sends nothing (CTIA: no further messages).
    // "Opted out" means confirmed: a STOP that finds the number already on the list because the webhook's own
    // Do Not Contact row reached this workflow first (through a queued text) still gets its one confirmation.
    if (patched(PATCH_CONFIRM_UNCONFIRMED_STOP)) {
      if (!this.state.isOptOutConfirmed) {
        await this.send(uuid4(), 'opt_out_confirmation', undefined, evidence.language);
        this.state.isOptOutConfirmed = true;
      }
    } else if (!wasOptedOut) {
      await this.send(uuid4(), 'opt_out_confirmation', undefined, evidence.language);
    }
  }

  private async onOptIn(evidence: Evidence): Promise<void> {
    const wasOptedOut = this.state.isOptedOut;
    const wasPaused = this.state.isPaused === true && !wasOptedOut;
    const waiting = Object.keys(this.state.leads).filter((id) => {
      const status = this.state.leads[id]?.status;
      return status === 'sent' || (wasOptedOut && status === 'rejected');
    });
    if (!wasOptedOut && !wasPaused && waiting.length === 0) return;
    this.state.isOptedOut = false;
    this.state.isOptOutConfirmed = false;
    this.state.isPaused = false;
    if (wasPaused) await this.recordNumberEvent('sends_resumed', evidence);
    // Consent is committed before anything is released: the send gate re-reads it from Postgres.
    if (waiting.length > 0 || !wasPaused) {
      await this.changeLeads(waiting, 'accepted', {
        eventType: wasOptedOut ? 'resubscribed' : 'opted_in',
        source: 'sms',
        doNotContact: wasOptedOut ? 'remove' : undefined,
        ...withoutLanguage(evidence),
      });
    }
    await this.send(uuid4(), 'opt_in_confirmation', undefined, evidence.language);
    // After a pause, texts held for leads that had accepted before it go out too; otherwise only the leads this
    // START accepted have held texts.
    const released = wasPaused
      ? (leadId: string) => this.state.leads[leadId]?.status === 'accepted'
      : (leadId: string) => waiting.includes(leadId);
    const release = this.state.held.filter((held) => released(held.leadId));
    for (const held of release) {
      await this.send(held.messageId, 'lead', held.leadId);
      this.state.held = this.state.held.filter((h) => h.messageId !== held.messageId);
    }
    if (wasPaused) await this.sendOptInsHeldByPause();
  }

  /**
   * A reply the rules cannot settle (intent `unclear`): sends to the number pause at once, the ledger records the
   * pause with the raw text, and one clarifying text asks for STOP or START. A false STOP would lose a lead who
   * meant no such thing; a missed one is a TCPA violation; asking costs one text and loses neither. Nothing to ask
   * when the number has opted out (it gets nothing) or is paused already (one clarifying text per pause), nor when
   * no lead of ours was ever texted on it.
   */
  private async onUnclear(evidence: Evidence): Promise<void> {
    if (this.state.isOptedOut || this.state.isPaused || Object.keys(this.state.leads).length === 0) return;
    patched(PATCH_UNCLEAR_REPLY_PAUSES);
    this.state.isPaused = true;
    await this.recordNumberEvent('sends_paused', evidence);
    await this.send(uuid4(), 'clarification', undefined, evidence.language);
  }

  /** Holds a text queued while the number is paused; a lead never shown an opt-in gets it once START resumes. */
  private async holdWhilePaused(messageId: string, leadId: string): Promise<QueueMessageResult> {
    const lead = this.state.leads[leadId];
    if (!lead || (lead.status === 'not_sent' && lead.reason !== 'sends_paused')) {
      await this.changeLeads([leadId], 'not_sent', {
        eventType: 'opt_in_not_sent',
        source: 'system',
        reason: 'sends_paused',
      });
    }
    return this.hold(messageId, leadId);
  }

  /** START ended a pause: each lead whose texts wait without an opt-in now gets its opt-in; the texts stay held. */
  private async sendOptInsHeldByPause(): Promise<void> {
    const leadIds = [...new Set(this.state.held.map((held) => held.leadId))].filter(
      (leadId) => this.state.leads[leadId]?.status === 'not_sent',
    );
    for (const leadId of leadIds) {
      const optIn = await this.sendOptIn(leadId);
      if (optIn.status === 'sent' || optIn.status === 'delivered') continue;
      const failed = this.state.held.filter((held) => held.leadId === leadId).map((held) => held.messageId);
      this.state.held = this.state.held.filter((held) => held.leadId !== leadId);
      await bookkeeping().setMessageStatus({
        accountId: this.ref.accountId,
        messageIds: failed,
        status: optIn.status === 'blocked' ? 'blocked' : 'failed',
        reason: optIn.reason,
      });
    }
  }

  /** A ledger row about the number itself, not a lead's status (a pause, its end). */
  private async recordNumberEvent(eventType: 'sends_paused' | 'sends_resumed', evidence: Evidence): Promise<void> {
    await bookkeeping().recordConsentChange({
      ...this.ref,
      eventKey: `${this.ref.workflowId}:${uuid4()}`,
      eventType,
      source: 'sms',
      leadIds: [],
      ...withoutLanguage(evidence),
    });
  }

  /**
   * Postgres has the number on Do Not Contact although no STOP reached this workflow (a CSV import, or a STOP
   * that raced the opt-in to the gate). Remember it, so a later START re-subscribes the number (DESIGN: rejected +
   * START → accepted). Patched: executions that ran before this rule replay as they ran.
   */
  private noteOptedOutInPostgres(): void {
    if (patched('postgres-do-not-contact-marks-opted-out')) this.state.isOptedOut = true;
  }

  private async sendOptIn(leadId: string, actor?: string): Promise<SendTextResult> {
    const optInMessageId = uuid4();
    const result = await this.send(optInMessageId, 'opt_in', leadId);
    const isSent = result.status === 'sent' || result.status === 'delivered';
    const blockedStatus: LeadOptInStatus = patched(PATCH_NO_OPT_IN_IS_NOT_REJECTED) ? 'not_sent' : 'rejected';
    const newStatus: LeadOptInStatus = isSent ? 'sent' : result.status === 'blocked' ? blockedStatus : 'not_sent';
    if (result.status === 'blocked') this.noteOptedOutInPostgres();
    await this.changeLeads([leadId], newStatus, {
      eventType: isSent ? 'opt_in_sent' : 'opt_in_not_sent',
      source: 'system',
      reason: result.reason,
      optInText: result.text,
      optInMessageId,
      providerMessageId: result.providerMessageId,
      actor,
    });
    return result;
  }

  private async send(
    messageId: string,
    kind: OutboundKind,
    leadId?: string,
    language?: ReplyLanguage,
  ): Promise<SendTextResult> {
    // An absent language stays absent, so the activity input of a replayed run is what it was.
    return acts.sendText({ ...this.ref, messageId, kind, leadId, ...(language ? { language } : {}) });
  }

  private async hold(messageId: string, leadId: string): Promise<QueueMessageResult> {
    await bookkeeping().setMessageStatus({ accountId: this.ref.accountId, messageIds: [messageId], status: 'held' });
    this.state.held.push({ messageId, leadId, heldAt: Date.now() });
    return this.result(messageId, 'held', leadId);
  }

  private async changeLeads(leadIds: string[], status: LeadOptInStatus, change: ChangeDetails): Promise<void> {
    for (const leadId of leadIds) {
      const lead = (this.state.leads[leadId] ??= { status });
      lead.status = status;
      lead.reason = change.reason;
      if (change.optInMessageId) lead.optInMessageId = change.optInMessageId;
    }
    await bookkeeping().recordConsentChange({
      ...this.ref,
      // uuid4() draws from the workflow's seeded random, so a re-run workflow task derives the same key, and the
      // ledger recognizes the change as already applied.
      eventKey: `${this.ref.workflowId}:${uuid4()}`,
      leadIds,
      newStatus: status,
      occurredAt: change.occurredAt ?? new Date(Date.now()).toISOString(),
      ...change,
    });
  }

  private result(
    messageId: string,
    status: QueueMessageResult['status'],
    leadId: string,
    reason?: FailureReason,
  ): QueueMessageResult {
    return { messageId, status, optIn: this.state.leads[leadId]?.status ?? 'not_sent', reason, isDuplicate: false };
  }

  /** Search attributes and current details: what an operator sees in the Temporal Web UI. No phone numbers. */
  publish(): void {
    const leadIds = Object.keys(this.state.leads);
    upsertSearchAttributes([
      { key: accountIdAttribute, value: this.state.accountId },
      { key: consentStatusAttribute, value: toConsentStatusKeyword(this.state) },
      { key: leadIdsAttribute, value: leadIds.slice(-100) },
    ]);
    setCurrentDetails(
      [
        `**Consent:** ${toConsentStatusKeyword(this.state)}${this.state.isOptedOut ? ' (on Do Not Contact)' : ''}`,
        `**Leads:** ${leadIds.length} · **Held texts:** ${this.state.held.length}`,
        ...(this.state.isPaused ? ['**Paused:** an unclear reply; waiting for STOP or START'] : []),
        ...leadIds.slice(-20).map((id) => `- lead \`${id}\`: ${this.state.leads[id]?.status}`),
      ].join('\n'),
    );
    log.debug('consent state published', { leads: leadIds.length, held: this.state.held.length });
  }
}

interface Evidence {
  rawText: string;
  providerMessageId: string;
  occurredAt: string;
  language?: ReplyLanguage;
}

/** The ledger keeps the raw text itself; the detected language only picks which account text answers it. */
function withoutLanguage(evidence: Evidence): Omit<Evidence, 'language'> {
  const { rawText, providerMessageId, occurredAt } = evidence;
  return { rawText, providerMessageId, occurredAt };
}

interface ChangeDetails {
  eventType: Exclude<
    ConsentEventType,
    'sends_paused' | 'sends_resumed' | 'do_not_contact_added' | 'do_not_contact_removed' | 'help_requested'
  >;
  source: 'sms' | 'system' | DoNotContactChanged['source'];
  reason?: FailureReason;
  rawText?: string;
  providerMessageId?: string;
  optInText?: string;
  optInMessageId?: string;
  actor?: string;
  occurredAt?: string;
  doNotContact?: 'add' | 'remove';
}
