import {
  condition,
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RecordQueuedMessageResult } from '../activities';
import { acts, bookkeeping, queueActs } from './activity-proxies';
import {
  type ConsentState,
  type DoNotContactChanged,
  type InboundReceived,
  type QueueMessageInput,
  type QueueMessageResult,
  type SendingWindowChanged,
  type SmsConsentInput,
} from './sms-consent.contract';
import { ScheduledTexts } from './scheduled-texts';
import {
  consentStatusAttribute,
  leadIdsAttribute,
  accountIdAttribute,
  toConsentStatusKeyword,
} from './search-attributes';

import {
  PATCH_CONFIRM_UNCONFIRMED_STOP,
  PATCH_NO_OPT_IN_IS_NOT_REJECTED,
  PATCH_OPT_IN_WITH_QUEUED_TEXT,
  PATCH_QUIET_HOURS,
  PATCH_SEND_WITH_QUEUED_TEXT,
  PATCH_START_SENDS_IN_ONE_ACTIVITY,
  PATCH_UNCLEAR_REPLY_PAUSES,
} from './patches';
import { NumberEffects, withoutLanguage, type Evidence } from './number-effects';

const DEFAULT_HOLD_LIMIT_MS = 30 * 24 * 3600 * 1000;
const MAX_SEEN_EVENT_IDS = 500;

/** One thing that happened to the number, handled strictly in arrival order. */
export type ConsentEvent =
  | { kind: 'queue'; input: QueueMessageInput }
  | { kind: 'inbound'; input: InboundReceived }
  | { kind: 'dnc'; input: DoNotContactChanged }
  | { kind: 'window'; input: SendingWindowChanged };

/** The number's state and the rules of the consent table (docs/consent-model.md), one event at a time, in order. */
export class NumberConsent {
  readonly state: ConsentState;
  private readonly queue: ConsentEvent[] = [];
  private readonly results = new Map<string, QueueMessageResult>();
  private readonly ref: { accountId: string; phone: string; phoneKey: string; workflowId: string };
  private readonly schedule: ScheduledTexts;
  private readonly effects: NumberEffects;

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
    this.schedule = new ScheduledTexts(this.state);
    this.effects = new NumberEffects(this.state, this.ref, this.schedule);
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
    } else if (event.kind === 'dnc') {
      await this.onDoNotContactChanged(event.input);
    } else {
      this.schedule.replan(Date.now());
    }
    this.state.eventsHandled += 1;
    this.publish();
  }

  /**
   * Milliseconds until the next timer-driven step: the oldest held text passing the hold limit, or the first
   * scheduled text's window opening (not while sends are paused or the number is opted out: nothing goes out then);
   * undefined when nothing waits on the clock.
   */
  msUntilNextWake(): number | undefined {
    const oldest = this.state.held[0];
    const expiry = oldest ? Math.max(oldest.heldAt + this.state.holdLimitMs - Date.now(), 1) : undefined;
    const canSend = !this.state.isPaused && !this.state.isOptedOut;
    const scheduled = canSend ? this.schedule.msUntilNext(Date.now()) : undefined;
    if (expiry === undefined) return scheduled;
    return scheduled === undefined ? expiry : Math.min(expiry, scheduled);
  }

  /**
   * Sends the scheduled texts whose window has opened, in order. The send activity checks the window again, so a
   * text whose window moved (the account changed it, DST) is scheduled anew rather than sent early.
   */
  async sendDue(): Promise<void> {
    if (this.state.isPaused || this.state.isOptedOut) return;
    const due = this.schedule.takeDue(Date.now());
    if (due.length === 0) return;
    patched(PATCH_QUIET_HOURS);
    for (const text of due) {
      if (text.kind === 'lead') await this.effects.sendLead(text.messageId, text.leadId);
      else await this.effects.sendOptIn(text.leadId, undefined, text.messageId);
    }
    this.publish();
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
    // A lead that will get its opt-in now has it sent by the same activity, right after its text is recorded. The
    // activity sends nothing for a duplicate or a number on Do Not Contact, the cases below that send no opt-in.
    // Likewise a text to a lead that has accepted, which goes out at once.
    const withRecord = this.sentWithRecord(message.leadId);
    const optIn = withRecord === 'opt_in' && patched(PATCH_OPT_IN_WITH_QUEUED_TEXT) ? uuid4() : undefined;
    const sendNow = withRecord === 'text' && patched(PATCH_SEND_WITH_QUEUED_TEXT);
    const recorded: RecordQueuedMessageResult =
      optIn || sendNow
        ? await queueActs.recordQueuedMessage({
            ...this.ref,
            ...message,
            ...(optIn ? { optIn: { messageId: optIn } } : { sendNow: true }),
          })
        : await acts.recordQueuedMessage({ ...this.ref, ...message });
    this.state.holdLimitMs = recorded.holdLimitMs;
    if (recorded.isZoneChanged) this.schedule.replan(Date.now(), message.leadId);
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
      if (recorded.isOnDoNotContact) this.effects.noteOptedOutInPostgres();
      await bookkeeping().setMessageStatus({
        accountId: this.ref.accountId,
        messageIds: [messageId],
        status: 'blocked',
        reason: 'do_not_contact',
      });
      if (!patched(PATCH_NO_OPT_IN_IS_NOT_REJECTED)) {
        if (lead?.status !== 'rejected') {
          await this.effects.changeLeads([message.leadId], 'rejected', {
            eventType: 'opted_out',
            source: 'system',
            reason: 'do_not_contact',
          });
        }
      } else if (lead?.status === 'sent' || lead?.status === 'accepted') {
        // The lead saw its opt-in; the number's opt-out (learnt from Postgres) rejects it.
        await this.effects.changeLeads([message.leadId], 'rejected', {
          eventType: 'opted_out',
          source: 'system',
          reason: 'do_not_contact',
        });
      } else if ((!lead || lead.status === 'not_sent') && lead?.reason !== 'do_not_contact') {
        // Never shown an opt-in, so it cannot have rejected one: not_sent, and a fresh opt-in once the number is
        // off the list. Otherwise a later START would "accept" a lead that never saw an opt-in (invariant 4).
        await this.effects.changeLeads([message.leadId], 'not_sent', {
          eventType: 'opt_in_not_sent',
          source: 'system',
          reason: 'do_not_contact',
        });
      }
      return this.effects.result(messageId, 'blocked', message.leadId, 'do_not_contact');
    }

    // Paused by an unclear reply: nothing new reaches the number, not even an opt-in, until START or STOP.
    if (this.state.isPaused) return this.holdWhilePaused(messageId, message.leadId);

    if (!lead || lead.status === 'not_sent') {
      // The lead's opt-in already waits for the window: the text waits behind it, and no second opt-in is queued.
      const waitingOptIn = this.schedule.optInFor(message.leadId);
      if (waitingOptIn) return this.effects.hold(messageId, message.leadId, waitingOptIn.sendAt);
      const sentWithText = optIn && recorded.optIn ? { messageId: optIn, result: recorded.optIn } : undefined;
      const optInResult = await this.effects.sendOptIn(message.leadId, message.actor, undefined, sentWithText);
      if (optInResult.status === 'scheduled')
        return this.effects.hold(messageId, message.leadId, this.schedule.optInFor(message.leadId)?.sendAt);
      if (optInResult.status !== 'sent' && optInResult.status !== 'delivered') {
        const status = optInResult.status === 'blocked' ? 'blocked' : 'failed';
        await bookkeeping().setMessageStatus({
          accountId: this.ref.accountId,
          messageIds: [messageId],
          status,
          reason: optInResult.reason,
        });
        return this.effects.result(messageId, status, message.leadId, optInResult.reason);
      }
      return this.effects.hold(messageId, message.leadId);
    }
    if (lead.status === 'sent') return this.effects.hold(messageId, message.leadId);

    // accepted: the lead opted in; send now, or when the recipient's window opens.
    const sent = await this.effects.sendLead(messageId, message.leadId, recorded.sent);
    return this.effects.result(messageId, sent.status, message.leadId, sent.reason, sent.sendAt);
  }

  /**
   * What recordQueuedMessage sends right after it records a new text for this lead, as the branches of
   * onMessageQueued decide it for a text that is new and a number not on Do Not Contact: the lead's opt-in when the
   * lead is new or not_sent and no opt-in of its waits for the window; the text itself when the lead has accepted;
   * nothing when the number opted out or is paused. Kept in step with those branches by test/workflows.
   */
  private sentWithRecord(leadId: string): 'opt_in' | 'text' | undefined {
    if (this.state.isOptedOut || this.state.isPaused) return undefined;
    const lead = this.state.leads[leadId];
    if (!lead || lead.status === 'not_sent') return this.schedule.optInFor(leadId) === undefined ? 'opt_in' : undefined;
    return lead.status === 'accepted' ? 'text' : undefined;
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
      await this.effects.changeLeads(leadIds, 'rejected', { ...base, eventType: 'opted_out', doNotContact: 'add' });
      await this.cancelHeld();
      return;
    }
    // Removed by an operator (a mistaken entry): rejected leads start over with a fresh opt-in, never a release.
    this.state.isOptedOut = false;
    const leadIds = Object.keys(this.state.leads).filter((id) => this.state.leads[id]?.status === 'rejected');
    await this.effects.changeLeads(leadIds, 'not_sent', { ...base, eventType: 'consent_reset' });
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
    const cancelled = this.effects.takeHeldAndScheduled();
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
        await this.effects.send(uuid4(), 'help_reply', undefined, evidence.language);
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
    await this.effects.changeLeads(leadIds, 'rejected', {
      eventType: 'opted_out',
      source: 'sms',
      doNotContact: 'add',
      ...withoutLanguage(evidence),
    });
    await this.cancelHeld();
    // One confirmation per opt-out: a second STOP while opted out sends nothing (CTIA: no further messages).
    // "Opted out" means confirmed: a STOP that finds the number already on the list because the webhook's own
    // Do Not Contact row reached this workflow first (through a queued text) still gets its one confirmation.
    if (patched(PATCH_CONFIRM_UNCONFIRMED_STOP)) {
      if (!this.state.isOptOutConfirmed) {
        await this.effects.send(uuid4(), 'opt_out_confirmation', undefined, evidence.language);
        this.state.isOptOutConfirmed = true;
      }
    } else if (!wasOptedOut) {
      await this.effects.send(uuid4(), 'opt_out_confirmation', undefined, evidence.language);
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
    if (wasPaused) await this.effects.recordNumberEvent('sends_resumed', evidence);
    // Consent is committed before anything is released: the send gate re-reads it from Postgres.
    if (waiting.length > 0 || !wasPaused) {
      await this.effects.changeLeads(waiting, 'accepted', {
        eventType: wasOptedOut ? 'resubscribed' : 'opted_in',
        source: 'sms',
        doNotContact: wasOptedOut ? 'remove' : undefined,
        ...withoutLanguage(evidence),
      });
    }
    // After a pause, texts held for leads that had accepted before it go out too; otherwise only the leads this
    // START accepted have held texts.
    const released = wasPaused
      ? (leadId: string) => this.state.leads[leadId]?.status === 'accepted'
      : (leadId: string) => waiting.includes(leadId);
    if (patched(PATCH_START_SENDS_IN_ONE_ACTIVITY)) {
      // The confirmation first, then the released texts in the order they were queued, in one activity.
      const release = this.state.held.filter((held) => released(held.leadId));
      const confirmation = { messageId: uuid4(), kind: 'opt_in_confirmation' as const, language: evidence.language };
      const texts = release.map((held) => ({ messageId: held.messageId, kind: 'lead' as const, leadId: held.leadId }));
      const releasedIds = new Set(release.map((held) => held.messageId));
      this.state.held = this.state.held.filter((held) => !releasedIds.has(held.messageId));
      await this.effects.sendInOrder([confirmation, ...texts]);
    } else {
      await this.effects.send(uuid4(), 'opt_in_confirmation', undefined, evidence.language);
      const release = this.state.held.filter((held) => released(held.leadId));
      for (const held of release) {
        await this.effects.sendLead(held.messageId, held.leadId);
        this.state.held = this.state.held.filter((h) => h.messageId !== held.messageId);
      }
    }
    if (wasPaused) {
      await this.sendOptInsHeldByPause();
      // Texts that waited for their window during the pause go out now if it is open.
      await this.sendDue();
    }
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
    await this.effects.recordNumberEvent('sends_paused', evidence);
    await this.effects.send(uuid4(), 'clarification', undefined, evidence.language);
  }

  /** Holds a text queued while the number is paused; a lead never shown an opt-in gets it once START resumes. */
  private async holdWhilePaused(messageId: string, leadId: string): Promise<QueueMessageResult> {
    const lead = this.state.leads[leadId];
    if (!lead || (lead.status === 'not_sent' && lead.reason !== 'sends_paused')) {
      await this.effects.changeLeads([leadId], 'not_sent', {
        eventType: 'opt_in_not_sent',
        source: 'system',
        reason: 'sends_paused',
      });
    }
    return this.effects.hold(messageId, leadId);
  }

  /** START ended a pause: each lead whose texts wait without an opt-in now gets its opt-in; the texts stay held. */
  private async sendOptInsHeldByPause(): Promise<void> {
    const leadIds = [...new Set(this.state.held.map((held) => held.leadId))].filter(
      (leadId) => this.state.leads[leadId]?.status === 'not_sent',
    );
    for (const leadId of leadIds) {
      const optIn = await this.effects.sendOptIn(leadId);
      if (optIn.status === 'sent' || optIn.status === 'delivered' || optIn.status === 'scheduled') continue;
      await this.effects.failHeldOf(leadId, optIn);
    }
  }

  /** The Web UI's line for texts waiting for their window: how many, and when the next one goes out (UTC). */
  private scheduledDetails(): string[] {
    const first = this.schedule.items[0];
    if (!first) return [];
    const at = new Date(first.sendAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return [`**Scheduled texts:** ${this.schedule.items.length} (quiet hours; next at ${at})`];
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
        ...this.scheduledDetails(),
        ...(this.state.isPaused ? ['**Paused:** an unclear reply; waiting for STOP or START'] : []),
        ...leadIds.slice(-20).map((id) => `- lead \`${id}\`: ${this.state.leads[id]?.status}`),
      ].join('\n'),
    );
    log.debug('consent state published', { leads: leadIds.length, held: this.state.held.length });
  }
}
