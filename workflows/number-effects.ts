import { patched, uuid4 } from '@temporalio/workflow';
import type {
  ConsentEventSource,
  ConsentEventType,
  NumberRef,
  OutboundKind,
  RecordConsentChangeInput,
  SendTextResult,
} from '../activities';
import { acts, batchActs, bookkeeping, TEXTS_PER_BATCH } from './activity-proxies';
import type { ReplyLanguage } from './inbound-keywords';
import { PATCH_NO_OPT_IN_IS_NOT_REJECTED, PATCH_POSTGRES_DNC_MARKS_OPTED_OUT } from './patches';
import type { ScheduledTexts } from './scheduled-texts';
import type { ConsentState, FailureReason, LeadOptInStatus, QueueMessageResult } from './sms-consent.contract';

/**
 * What the consent rules (number-consent.ts) do to the world: send a text or schedule it for its window, hold it,
 * record a consent change in the ledger. Every effect goes through an activity, and each keeps the workflow state
 * in step with what it did.
 */
export class NumberEffects {
  constructor(
    private readonly state: ConsentState,
    private readonly ref: NumberRef,
    private readonly schedule: ScheduledTexts,
  ) {}

  /** Every text waiting for START or for its window, held first; the scheduled list is emptied. */
  takeHeldAndScheduled(): string[] {
    return [...this.state.held.map((held) => held.messageId), ...this.schedule.takeAll().map((text) => text.messageId)];
  }

  /** A ledger row about the number itself, not a lead's status (a pause, its end). */
  async recordNumberEvent(eventType: 'sends_paused' | 'sends_resumed', evidence: Evidence): Promise<void> {
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
  noteOptedOutInPostgres(): void {
    if (patched(PATCH_POSTGRES_DNC_MARKS_OPTED_OUT)) this.state.isOptedOut = true;
  }

  /**
   * Sends a lead's Opt-In template, or schedules it for the recipient's window. `scheduledMessageId` is the opt-in
   * that was scheduled earlier and is now due; the send activity finds its row by that id. `sentWithText` is an
   * opt-in that recordQueuedMessage already sent (or scheduled) with the lead's text: only its bookkeeping is left.
   */
  async sendOptIn(
    leadId: string,
    actor?: string,
    scheduledMessageId?: string,
    sentWithText?: { messageId: string; result: SendTextResult },
  ): Promise<SendTextResult> {
    const optInMessageId = sentWithText?.messageId ?? scheduledMessageId ?? uuid4();
    const result = sentWithText?.result ?? (await this.send(optInMessageId, 'opt_in', leadId));
    if (result.status === 'scheduled') {
      this.schedule.add({ messageId: optInMessageId, leadId, kind: 'opt_in', sendAt: Date.parse(result.sendAt ?? '') });
      if (this.state.leads[leadId]?.reason !== 'outside_sending_window') {
        await this.changeLeads([leadId], 'not_sent', {
          eventType: 'opt_in_not_sent',
          source: 'system',
          reason: 'outside_sending_window',
          optInMessageId,
          actor,
        });
      }
      return result;
    }
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
    // An opt-in that waited for its window and then could not go out: the lead's held texts fail with it, as they
    // would have when it was first tried.
    if (scheduledMessageId && !isSent) await this.failHeldOf(leadId, result);
    return result;
  }

  /**
   * Sends a lead's own text now, or schedules it when the recipient's window is closed. `sentWhenRecorded` is what
   * an activity already did with it (recordQueuedMessage's sendNow, a batch of sendTexts): only the scheduling is
   * left.
   */
  async sendLead(messageId: string, leadId: string, sentWhenRecorded?: SendTextResult): Promise<SendTextResult> {
    const result = sentWhenRecorded ?? (await this.send(messageId, 'lead', leadId));
    if (result.status === 'scheduled') {
      this.schedule.add({ messageId, leadId, kind: 'lead', sendAt: Date.parse(result.sendAt ?? '') });
    }
    return result;
  }

  /** Fails (or blocks) every text held for a lead whose opt-in could not go out. */
  async failHeldOf(leadId: string, optIn: SendTextResult): Promise<void> {
    const failed = this.state.held.filter((held) => held.leadId === leadId).map((held) => held.messageId);
    if (failed.length === 0) return;
    this.state.held = this.state.held.filter((held) => held.leadId !== leadId);
    await bookkeeping().setMessageStatus({
      accountId: this.ref.accountId,
      messageIds: failed,
      status: optIn.status === 'blocked' ? 'blocked' : 'failed',
      reason: optIn.reason,
    });
  }

  async send(
    messageId: string,
    kind: OutboundKind,
    leadId?: string,
    language?: ReplyLanguage,
  ): Promise<SendTextResult> {
    // Only this code can wait for a window, so only it lets the activity answer `scheduled`: a workflow still on
    // older code (a rolling deploy) gets its texts sent as before, never left scheduled with no timer.
    const canSchedule = kind === 'lead' || kind === 'opt_in';
    return acts.sendText({
      ...this.ref,
      messageId,
      kind,
      leadId,
      ...(language ? { language } : {}),
      ...(canSchedule ? { canSchedule } : {}),
    });
  }

  /**
   * Sends texts in this order through sendTexts, TEXTS_PER_BATCH to an activity: a START's confirmation and what it
   * releases. A lead's text may come back `scheduled` for its window; sendLead schedules it. Results in order.
   */
  async sendInOrder(texts: readonly OrderedText[]): Promise<SendTextResult[]> {
    const results: SendTextResult[] = [];
    for (let first = 0; first < texts.length; first += TEXTS_PER_BATCH) {
      const batch = texts.slice(first, first + TEXTS_PER_BATCH);
      const sent = await batchActs.sendTexts({
        ...this.ref,
        texts: batch.map(({ messageId, kind, leadId, language }) => ({
          messageId,
          kind,
          ...(leadId ? { leadId } : {}),
          ...(language ? { language } : {}),
          ...(kind === 'lead' ? { canSchedule: true } : {}),
        })),
      });
      for (const [index, text] of batch.entries()) {
        const result = sent[index];
        // Already sent (or scheduled) by the batch: sendLead only schedules what waits for its window.
        if (text.kind === 'lead' && text.leadId && result) await this.sendLead(text.messageId, text.leadId, result);
      }
      results.push(...sent);
    }
    return results;
  }

  /** Holds a lead's text until START; `optInSendAt` is when its opt-in, waiting for the window, goes out. */
  async hold(messageId: string, leadId: string, optInSendAt?: number): Promise<QueueMessageResult> {
    await bookkeeping().setMessageStatus({ accountId: this.ref.accountId, messageIds: [messageId], status: 'held' });
    this.state.held.push({ messageId, leadId, heldAt: Date.now() });
    const sendAt = optInSendAt === undefined ? undefined : new Date(optInSendAt).toISOString();
    return this.result(messageId, 'held', leadId, undefined, sendAt);
  }

  async changeLeads(leadIds: string[], status: LeadOptInStatus, change: ChangeDetails): Promise<void> {
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

  result(
    messageId: string,
    status: QueueMessageResult['status'],
    leadId: string,
    reason?: FailureReason,
    sendAt?: string,
  ): QueueMessageResult {
    const optIn = this.state.leads[leadId]?.status ?? 'not_sent';
    // An absent sendAt stays absent: update results are recorded in history, and older ones never carried it.
    return { messageId, status, optIn, reason, isDuplicate: false, ...(sendAt ? { sendAt } : {}) };
  }
}

/** One text of sendInOrder: an account text answering a reply, or a lead's own text. */
export interface OrderedText {
  messageId: string;
  kind: Extract<OutboundKind, 'opt_in_confirmation' | 'lead'>;
  leadId?: string;
  language?: ReplyLanguage;
}

/** What a reply leaves in the ledger, and the language its answer goes out in. */
export interface Evidence {
  rawText: string;
  providerMessageId: string;
  occurredAt: string;
  language?: ReplyLanguage;
}

/** The ledger keeps the raw text itself; the detected language only picks which account text answers it. */
export function withoutLanguage(evidence: Evidence): Omit<Evidence, 'language'> {
  const { rawText, providerMessageId, occurredAt } = evidence;
  return { rawText, providerMessageId, occurredAt };
}

/** A lead consent change as changeLeads takes it: it adds the number, the key, the leads and (if absent) the time. */
type ChangeDetails = Omit<
  RecordConsentChangeInput,
  keyof NumberRef | 'eventKey' | 'leadIds' | 'newStatus' | 'eventType' | 'source' | 'occurredAt'
> & {
  /** The list's own rows come from the Do Not Contact writer, and the number events from recordNumberEvent. */
  eventType: Exclude<
    ConsentEventType,
    'sends_paused' | 'sends_resumed' | 'do_not_contact_added' | 'do_not_contact_removed' | 'help_requested'
  >;
  source: Exclude<ConsentEventSource, 'api'>;
  occurredAt?: string;
};
