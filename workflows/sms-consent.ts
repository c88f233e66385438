import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, RecordQueuedMessageResult, SendTextResult } from '../activities';
import {
  doNotContactChangedSignal,
  getConsentStateQuery,
  inboundReceivedSignal,
  queueMessageUpdate,
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

// Activities retry until they succeed: a text to a lead must not be lost because Postgres or Vonage blinked.
// Permanent refusals come back as results (failed/blocked), not as errors, so nothing here needs a catch.
// 20 s bounds one attempt (Vonage's client timeout is 10 s) and is how long a dead worker delays a retry.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** The Postgres-only activities that run as local activities: idempotent, one short transaction, no provider call. */
type Bookkeeping = Pick<Activities, 'setMessageStatus' | 'recordConsentChange'>;

// Bookkeeping runs inside the workflow task as local activities: no activity task and no workflow task after each
// one, which is most of what a lead costs the dev server (issue #6). A local activity's result reaches history only
// when its workflow task completes; if the worker dies first, the whole task is re-run, local activities included,
// so each of these must be idempotent under re-execution (src/db/consent-repository.ts). sendText stays a regular
// activity: it holds the number's lock through a Vonage call and may keep retrying for the whole reconcile window,
// work that belongs in the worker's bounded activity slots with server-side timeouts, not inside a workflow task.
// 10 s bounds one attempt, a transaction that normally takes milliseconds. Backoffs under the 10 s threshold
// (1, 2, 4, 8 s) are waited in the worker; longer ones on a server timer, so that a Postgres outage neither keeps a
// local-activity slot busy nor heartbeats the workflow task every 8 s.
const localActs = proxyLocalActivities<Bookkeeping>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Behaviour changes made after executions started running; each keeps old histories replaying as they ran.
/** A lead blocked before any opt-in reached it is not_sent (do_not_contact), never rejected. */
const PATCH_NO_OPT_IN_IS_NOT_REJECTED = 'lead-without-opt-in-is-not-rejected';
/** The opt-out confirmation is skipped only when an earlier STOP was already confirmed. */
const PATCH_CONFIRM_UNCONFIRMED_STOP = 'confirm-each-unconfirmed-stop';
/**
 * setMessageStatus and recordConsentChange run as local activities (recordQueuedMessage stays regular, see
 * onMessageQueued). A history recorded before holds them as ActivityTaskScheduled events, which only the regular
 * proxy replays.
 */
const PATCH_BOOKKEEPING_LOCAL = 'postgres-bookkeeping-as-local-activities';

/** Decided at every call: an older execution replays its recorded regular activities, then switches once live. */
function bookkeeping(): Bookkeeping {
  return patched(PATCH_BOOKKEEPING_LOCAL) ? localActs : acts;
}

const DEFAULT_HOLD_LIMIT_MS = 30 * 24 * 3600 * 1000;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;
const MAX_SEEN_EVENT_IDS = 500;

type Event =
  | { kind: 'queue'; input: QueueMessageInput }
  | { kind: 'inbound'; input: InboundReceived }
  | { kind: 'dnc'; input: DoNotContactChanged };

/**
 * One per (account, phone number): sends every new lead's Opt-In template first, holds the lead's texts until
 * the number replies START, honours STOP at once and for good, answers HELP. Long-lived; continues as new to
 * bound its history, carrying the whole state.
 */
export async function smsConsentWorkflow(input: SmsConsentInput): Promise<void> {
  const consent = new NumberConsent(input);

  setHandler(getConsentStateQuery, () => consent.state);
  setHandler(inboundReceivedSignal, (event) => consent.enqueue({ kind: 'inbound', input: event }));
  setHandler(doNotContactChangedSignal, (event) => consent.enqueue({ kind: 'dnc', input: event }));
  setHandler(queueMessageUpdate, (message) => consent.queueAndWait(message), {
    validator: (message) => {
      if (!message || typeof message.messageId !== 'string' || message.messageId.length === 0) {
        throw new Error('messageId is required');
      }
      if (typeof message.leadId !== 'string' || message.leadId.length === 0) throw new Error('leadId is required');
      if (typeof message.body !== 'string' || message.body.trim().length === 0) throw new Error('body is required');
    },
  });

  consent.publish();
  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistoryEvents;

  for (;;) {
    const waitMs = consent.msUntilNextExpiry();
    const isAwake = () => consent.hasWork() || shouldContinueAsNew();
    const woke = waitMs === undefined ? (await condition(isAwake), true) : await condition(isAwake, waitMs);
    if (!woke) {
      await consent.expireHeld();
      continue;
    }
    while (consent.hasWork()) await consent.handleNext();
    if (shouldContinueAsNew()) {
      // Let every update handler return first; an update that arrives meanwhile is handled in this run.
      await condition(() => consent.hasWork() || allHandlersFinished());
      if (consent.hasWork()) continue;
      await continueAsNew<typeof smsConsentWorkflow>({ ...input, state: consent.state });
    }
  }
}

/** The number's state and the rules of the consent table (shared/DESIGN.md), one event at a time, in order. */
class NumberConsent {
  readonly state: ConsentState;
  private readonly queue: Event[] = [];
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

  enqueue(event: Event): void {
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
    const evidence = { rawText: event.text, providerMessageId: event.providerMessageId, occurredAt: event.receivedAt };

    switch (event.intent) {
      case 'opt_out':
        return this.onOptOut(evidence);
      case 'opt_in':
        return this.onOptIn(evidence);
      case 'help':
        await this.send(uuid4(), 'help_reply');
        return;
      case 'other':
        return;
    }
  }

  private async onOptOut(evidence: Evidence): Promise<void> {
    const wasOptedOut = this.state.isOptedOut;
    this.state.isOptedOut = true;
    const leadIds = this.leadsToReject();
    // The webhook already committed the Do Not Contact row; adding it again is a no-op that also covers an
    // opt-out that reached us by another path.
    await this.changeLeads(leadIds, 'rejected', {
      eventType: 'opted_out',
      source: 'sms',
      doNotContact: 'add',
      ...evidence,
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
        await this.send(uuid4(), 'opt_out_confirmation');
        this.state.isOptOutConfirmed = true;
      }
    } else if (!wasOptedOut) {
      await this.send(uuid4(), 'opt_out_confirmation');
    }
  }

  private async onOptIn(evidence: Evidence): Promise<void> {
    const wasOptedOut = this.state.isOptedOut;
    const waiting = Object.keys(this.state.leads).filter((id) => {
      const status = this.state.leads[id]?.status;
      return status === 'sent' || (wasOptedOut && status === 'rejected');
    });
    if (!wasOptedOut && waiting.length === 0) return;
    this.state.isOptedOut = false;
    this.state.isOptOutConfirmed = false;
    // Consent is committed before anything is released: the send gate re-reads it from Postgres.
    await this.changeLeads(waiting, 'accepted', {
      eventType: wasOptedOut ? 'resubscribed' : 'opted_in',
      source: 'sms',
      doNotContact: wasOptedOut ? 'remove' : undefined,
      ...evidence,
    });
    await this.send(uuid4(), 'opt_in_confirmation');
    const accepted = new Set(waiting);
    const release = this.state.held.filter((held) => accepted.has(held.leadId));
    for (const held of release) {
      await this.send(held.messageId, 'lead', held.leadId);
      this.state.held = this.state.held.filter((h) => h.messageId !== held.messageId);
    }
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
    kind: 'lead' | 'opt_in' | 'opt_out_confirmation' | 'opt_in_confirmation' | 'help_reply',
    leadId?: string,
  ): Promise<SendTextResult> {
    return acts.sendText({ ...this.ref, messageId, kind, leadId });
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
}

interface ChangeDetails {
  eventType: 'opt_in_sent' | 'opt_in_not_sent' | 'opted_in' | 'opted_out' | 'resubscribed' | 'consent_reset';
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
