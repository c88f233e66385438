import type { Knex } from 'knex';
import type {
  ClaimOutbound,
  ConsentStore,
  OutboundClaim,
  OutboundKind,
  RecordConsentChangeInput,
  RecordQueuedMessageInput,
  RecordQueuedMessageResult,
  SendPlanner,
  SendTextInput,
  SendTextResult,
  SetMessageStatusInput,
} from '../../activities';
import type { FailureReason, MessageStatus } from '../../workflows/sms-consent.contract';
import { withFooter } from '../consent/footer';
import { toVonageNumber } from '../phone';
import type { ReplyLanguage } from '../../workflows/inbound-keywords';
import type { AccountRow } from './accounts-repository';
import type { AccountTextName } from '../consent/template-rules';
import {
  addToDoNotContact,
  isNumberOnDoNotContact,
  KINDS_BLOCKED_BY_DO_NOT_CONTACT,
  ledgerEvidenceColumns,
  removeFromDoNotContact,
  type DoNotContactChange,
} from './do-not-contact';
import { holdNumberLock, lockNumberForListChange, lockSendGate } from './number-locks';
import { prepared } from './prepared';

interface MessageRow {
  id: string;
  account_id: string;
  lead_id: string | null;
  phone: string;
  kind: string;
  body: string;
  status: MessageStatus;
  reason: FailureReason | null;
  provider_message_id: string | null;
  send_attempted_at: Date | null;
}

/** The columns of MessageRow, named so its statements can be prepared (src/db/prepared.ts). */
const MESSAGE_COLUMNS = [
  'id',
  'account_id',
  'lead_id',
  'phone',
  'kind',
  'body',
  'status',
  'reason',
  'provider_message_id',
  'send_attempted_at',
] as const;

const TERMINAL_NOT_SENT: ReadonlySet<MessageStatus> = new Set(['failed', 'blocked', 'cancelled', 'expired']);

/**
 * The outbox and the send gate: the consent workflow's Postgres side (the `messages` rows it queues and sends, and
 * the gate that re-reads consent right before a send), plus the lead statuses and ledger rows of its consent
 * changes. `lockKnex` is a separate, small pool that only holds per-number advisory locks, so a lock holder never
 * waits for a connection that another lock holder owns.
 */
export class OutboxRepository implements ConsentStore {
  constructor(
    private readonly knex: Knex,
    private readonly lockKnex: Knex,
  ) {}

  async recordQueuedMessage(input: RecordQueuedMessageInput): Promise<RecordQueuedMessageResult> {
    return this.knex.transaction(async (trx) => {
      const account = await this.account(trx, input.accountId);
      const holdLimitMs = Number(account.hold_limit_seconds) * 1000;
      const isOnDoNotContact = await isNumberOnDoNotContact(trx, input.accountId, input.phone);
      // The API gives every request a fresh message ID and makes it the update ID, so a row under this very ID
      // was written by an earlier attempt of this activity whose result Temporal never recorded (the worker
      // died, or the connection dropped after COMMIT). It is this request, not a duplicate: carry on as the first
      // attempt would have, or the text would stay `queued` forever.
      const resultOfRowFound = (row: MessageRow): RecordQueuedMessageResult =>
        row.id === input.messageId
          ? { messageId: row.id, isDuplicate: false, status: row.status, isOnDoNotContact, holdLimitMs }
          : {
              messageId: row.id,
              isDuplicate: true,
              status: row.status,
              reason: row.reason ?? undefined,
              isOnDoNotContact,
              holdLimitMs,
            };
      const existing = await this.findQueued(trx, input);
      if (existing) return resultOfRowFound(existing);
      const isZoneChanged = await this.recordLeadZone(trx, input);
      const inserted = await trx('messages')
        .insert({
          id: input.messageId,
          account_id: input.accountId,
          lead_id: input.leadId,
          phone: input.phone,
          phone_key: input.phoneKey,
          direction: 'outbound',
          kind: 'lead',
          body: withFooter(input.body),
          status: 'queued',
          idempotency_key: input.idempotencyKey ?? null,
          template_id: input.templateId ?? null,
          workflow_id: input.workflowId,
        })
        .onConflict()
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        // Lost a race with a concurrent request carrying the same idempotency key: theirs is the message.
        const winner = await this.findQueued(trx, input);
        if (!winner) throw new Error('queued message vanished after an insert conflict');
        // Our own ID may have won: an overlapping attempt of this same call (a local activity re-run while the
        // first attempt still ran) inserted it first. Still this request, as above.
        return resultOfRowFound(winner);
      }
      return {
        messageId: input.messageId,
        isDuplicate: false,
        status: 'queued',
        isOnDoNotContact,
        holdLimitMs,
        ...(isZoneChanged ? { isZoneChanged } : {}),
      };
    });
  }

  async withNumberLock<T>(accountId: string, phone: string, fn: (claim: ClaimOutbound) => Promise<T>): Promise<T> {
    return holdNumberLock(this.lockKnex, accountId, phone, (connection) =>
      fn((input, options) => this.claimOutbound(connection, input, options)),
    );
  }

  /** The claim's one transaction, on the connection that holds the number lock (holdNumberLock). */
  private async claimOutbound(
    connection: unknown,
    input: SendTextInput,
    options: { reconcileWindowMs: number; planSend?: SendPlanner },
  ): Promise<OutboundClaim> {
    return this.lockKnex.transaction(
      async (trx) => {
        const account = await this.account(trx, input.accountId);
        let row: MessageRow | undefined = await prepared(
          trx<MessageRow>('messages')
            .where({ id: input.messageId })
            .forUpdate()
            .first(...MESSAGE_COLUMNS),
          'claim_row',
        );
        if (!row) {
          if (input.kind === 'lead') throw new Error(`lead message ${input.messageId} is not in the outbox`);
          [row] = await trx('messages')
            .insert({
              id: input.messageId,
              account_id: input.accountId,
              lead_id: input.leadId ?? null,
              phone: input.phone,
              phone_key: input.phoneKey,
              direction: 'outbound',
              kind: input.kind,
              body: withFooter(templateFor(account, input.kind, input.language)),
              status: 'queued',
              workflow_id: input.workflowId,
            })
            .returning('*');
          if (!row) throw new Error('insert returned no row');
        }
        if (row.account_id !== input.accountId) throw new Error('message belongs to another account');

        if (row.status === 'sent' || row.status === 'delivered') {
          return {
            kind: 'done',
            result: { status: row.status, text: row.body, providerMessageId: row.provider_message_id ?? undefined },
          };
        }
        if (TERMINAL_NOT_SENT.has(row.status)) {
          return {
            kind: 'done',
            result: {
              status: row.status === 'failed' ? 'failed' : 'blocked',
              reason: row.reason ?? undefined,
              text: row.body,
            },
          };
        }
        if (row.status === 'sending') {
          if (row.provider_message_id) {
            await trx('messages')
              .where({ id: row.id })
              .update({ status: 'sent', sent_at: trx.fn.now(), updated_at: trx.fn.now() });
            return {
              kind: 'done',
              result: { status: 'sent', text: row.body, providerMessageId: row.provider_message_id },
            };
          }
          const attemptedAt = row.send_attempted_at?.getTime() ?? 0;
          if (Date.now() - attemptedAt < options.reconcileWindowMs) return { kind: 'outcome_unknown' };
          await this.setStatus(trx, row.id, 'failed', 'send_outcome_unknown');
          return { kind: 'done', result: { status: 'failed', reason: 'send_outcome_unknown', text: row.body } };
        }

        await lockSendGate(trx, input.accountId, input.phone);
        const refusal = await this.gate(trx, account, input, row);
        if (refusal) {
          const status = refusal === 'a2p_not_verified' ? 'failed' : 'blocked';
          await this.setStatus(trx, row.id, status, refusal);
          return { kind: 'done', result: { status, reason: refusal, text: row.body } };
        }
        if (options.planSend && (input.kind === 'lead' || input.kind === 'opt_in')) {
          const waiting = await this.waitForWindow(trx, account, row, options.planSend);
          if (waiting) return waiting;
        }
        await prepared(
          trx('messages')
            .where({ id: row.id })
            .update({ status: 'sending', send_attempted_at: trx.fn.now(), updated_at: trx.fn.now() }),
          'claim_sending',
        );
        return {
          kind: 'send',
          to: toVonageNumber(row.phone),
          from: toVonageNumber(account.sender_number),
          text: row.body,
        };
      },
      { connection },
    );
  }

  async markSent(messageId: string, providerMessageId: string): Promise<SendTextResult> {
    return this.knex.transaction(async (trx) => {
      await prepared(
        trx('messages')
          .where({ id: messageId, status: 'sending' })
          .update({
            status: 'sent',
            provider_message_id: trx.raw('coalesce(provider_message_id, ?)', [providerMessageId]),
            sent_at: trx.fn.now(),
            updated_at: trx.fn.now(),
          }),
        'mark_sent',
      );
      const row: MessageRow | undefined = await prepared(
        trx<MessageRow>('messages')
          .where({ id: messageId })
          .first(...MESSAGE_COLUMNS),
        'message_row',
      );
      if (!row) throw new Error(`message ${messageId} vanished`);
      const status = row.status === 'delivered' ? 'delivered' : row.status === 'failed' ? 'failed' : 'sent';
      return {
        status,
        text: row.body,
        providerMessageId: row.provider_message_id ?? providerMessageId,
        reason: row.reason ?? undefined,
      };
    });
  }

  async markFailed(messageId: string, reason: FailureReason, detail?: unknown): Promise<void> {
    await this.knex('messages')
      .where({ id: messageId, status: 'sending' })
      .update({
        status: 'failed',
        reason,
        provider_error: detail === undefined ? null : JSON.stringify(detail),
        updated_at: this.knex.fn.now(),
      });
  }

  async releaseClaim(messageId: string): Promise<void> {
    await this.knex('messages')
      .where({ id: messageId, status: 'sending' })
      .update({ status: 'queued', send_attempted_at: null, updated_at: this.knex.fn.now() });
  }

  async setMessageStatus(input: SetMessageStatusInput): Promise<void> {
    if (input.messageIds.length === 0) return;
    await this.knex('messages')
      .where({ account_id: input.accountId })
      .whereIn('id', input.messageIds)
      .whereIn('status', ['queued', 'held', 'scheduled'])
      .update({ status: input.status, reason: input.reason ?? null, updated_at: this.knex.fn.now() });
  }

  async recordConsentChange(input: RecordConsentChangeInput): Promise<void> {
    await this.knex.transaction(async (trx) => {
      // A list change locks the number before its first row, in the order every list writer uses; the writer's own
      // lock below then returns at once.
      if (input.doNotContact) await lockNumberForListChange(trx, input.accountId, input.phone);
      const change: DoNotContactChange = {
        accountId: input.accountId,
        phone: input.phone,
        causeKey: input.eventKey,
        source: input.source,
        rawText: input.rawText,
        providerMessageId: input.providerMessageId,
        optInText: input.optInText,
        actor: input.actor,
        messageId: input.optInMessageId,
        occurredAt: input.occurredAt,
      };
      const base = ledgerEvidenceColumns(change);
      const rows = (input.leadIds.length > 0 ? input.leadIds : [null]).map((leadId) => ({
        ...base,
        event_key: leadId === null ? input.eventKey : `${input.eventKey}:${leadId}`,
        lead_id: leadId,
        event_type: input.eventType,
        details: JSON.stringify({
          status: input.newStatus ?? null,
          reason: input.reason ?? null,
          workflowId: input.workflowId,
        }),
      }));
      const recorded = await trx('consent_events').insert(rows).onConflict('event_key').ignore().returning('id');
      // The ledger rows are written in the same transaction as everything below, so finding them already there
      // means this change was applied by an earlier run of the same call: a retried attempt, or a local activity
      // re-run because its workflow task never completed. Applying it again could undo a newer change made since,
      // e.g. remove a number that a later STOP put back on Do Not Contact.
      if (recorded.length === 0) return;
      if (input.newStatus && input.leadIds.length > 0) {
        await trx('lead_consents')
          .where({ account_id: input.accountId, phone: input.phone })
          .whereIn('lead_id', input.leadIds)
          .update({
            status: input.newStatus,
            reason: input.reason ?? null,
            ...(input.optInMessageId ? { opt_in_message_id: input.optInMessageId } : {}),
            updated_at: trx.fn.now(),
          });
      }

      if (input.doNotContact === 'add') {
        await addToDoNotContact(trx, {
          ...change,
          phoneKey: input.phoneKey,
          reason: input.rawText ? 'opt-out reply' : input.reason,
        });
      } else if (input.doNotContact === 'remove') {
        await removeFromDoNotContact(trx, change);
      }
    });
  }

  /**
   * Quiet hours, checked after the consent gate and right before the provider is called (docs/quiet-hours.md):
   * with the account's window and the lead's zone as they are now. Outside the window the text becomes `scheduled`
   * with the instant it opens; when no window can be found for the number it fails. Undefined: it may go now.
   */
  private async waitForWindow(
    trx: Knex.Transaction,
    account: AccountRow,
    row: MessageRow,
    planSend: SendPlanner,
  ): Promise<OutboundClaim | undefined> {
    const lead = row.lead_id
      ? await trx('lead_consents')
          .where({ account_id: row.account_id, lead_id: row.lead_id, phone: row.phone })
          .first('time_zone', 'state')
      : undefined;
    const plan = await planSend({
      now: new Date(),
      phone: row.phone,
      window: {
        start: account.sending_window_start,
        end: account.sending_window_end,
        noSendDays: account.no_send_days ?? [],
      },
      timeZone: lead?.time_zone ?? undefined,
      state: lead?.state ?? undefined,
    });
    if (plan.kind === 'now') return undefined;
    if (plan.kind === 'never') {
      await trx('messages')
        .where({ id: row.id })
        .update({
          status: 'failed',
          reason: 'no_sending_window',
          provider_error: JSON.stringify({ detail: plan.detail }),
          updated_at: trx.fn.now(),
        });
      return { kind: 'done', result: { status: 'failed', reason: 'no_sending_window', text: row.body } };
    }
    await trx('messages')
      .where({ id: row.id })
      .update({ status: 'scheduled', send_at: plan.sendAt, updated_at: trx.fn.now() });
    return { kind: 'done', result: { status: 'scheduled', sendAt: plan.sendAt.toISOString(), text: row.body } };
  }

  /**
   * Creates the lead's row for this number, or updates the zone and state the CRM gave for it. True when a lead
   * that already had a row got a different zone or state: its scheduled texts are then planned again.
   */
  private async recordLeadZone(trx: Knex.Transaction, input: RecordQueuedMessageInput): Promise<boolean> {
    const key = { account_id: input.accountId, lead_id: input.leadId, phone: input.phone };
    const zone = {
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
    };
    const inserted = await trx('lead_consents')
      .insert({ ...key, phone_key: input.phoneKey, ...zone })
      .onConflict(['account_id', 'lead_id', 'phone'])
      .ignore()
      .returning('lead_id');
    if (inserted.length > 0 || Object.keys(zone).length === 0) return false;
    const before = await trx('lead_consents').where(key).forUpdate().first('time_zone', 'state');
    const isChanged =
      (zone.time_zone !== undefined && zone.time_zone !== before?.time_zone) ||
      (zone.state !== undefined && zone.state !== before?.state);
    if (isChanged)
      await trx('lead_consents')
        .where(key)
        .update({ ...zone, updated_at: trx.fn.now() });
    return isChanged;
  }

  /** The consent gate, re-read from Postgres right before a send (invariants 1, 2 and 7). */
  private async gate(
    trx: Knex.Transaction,
    account: AccountRow,
    input: SendTextInput,
    row: MessageRow,
  ): Promise<FailureReason | undefined> {
    if (account.a2p_status !== 'verified') return 'a2p_not_verified';
    if (
      KINDS_BLOCKED_BY_DO_NOT_CONTACT.has(input.kind) &&
      (await isNumberOnDoNotContact(trx, input.accountId, row.phone))
    ) {
      return 'do_not_contact';
    }
    if (input.kind === 'lead') {
      // A lead's text always has its lead; the guard also keeps the named statement's SQL one shape (`= $n`, never
      // `is null`), as src/db/prepared.ts requires.
      if (!row.lead_id) return 'not_opted_in';
      const lead = await prepared(
        trx('lead_consents')
          .where({ account_id: input.accountId, lead_id: row.lead_id, phone: row.phone })
          .first('status'),
        'gate_lead_status',
      );
      if (lead?.status !== 'accepted') return 'not_opted_in';
    }
    return undefined;
  }

  private async account(trx: Knex.Transaction, accountId: string): Promise<AccountRow> {
    const account = await trx<AccountRow>('accounts').where({ id: accountId }).first();
    if (!account) throw new Error(`account ${accountId} not found`);
    return account;
  }

  private async findQueued(trx: Knex.Transaction, input: RecordQueuedMessageInput): Promise<MessageRow | undefined> {
    const query = trx<MessageRow>('messages').where({ id: input.messageId });
    if (input.idempotencyKey) {
      const idempotencyKey = input.idempotencyKey;
      query.orWhere((q) => q.where('account_id', input.accountId).andWhere('idempotency_key', idempotencyKey));
    }
    return query.first();
  }

  private async setStatus(
    trx: Knex.Transaction,
    id: string,
    status: MessageStatus,
    reason: FailureReason,
  ): Promise<void> {
    await trx('messages').where({ id }).update({ status, reason, updated_at: trx.fn.now() });
  }
}

/** The account text a kind sends: in `language` when the account has written it there, else the main one. */
function templateFor(account: AccountRow, kind: Exclude<OutboundKind, 'lead'>, language?: ReplyLanguage): string {
  const localized = language ? account.texts_by_language?.[language]?.[TEXT_NAME_OF_KIND[kind]] : undefined;
  if (localized) return localized;
  switch (kind) {
    case 'opt_in':
      return account.opt_in_template;
    case 'help_reply':
      return account.help_template;
    case 'opt_out_confirmation':
      return account.opt_out_confirmation_template;
    case 'opt_in_confirmation':
      return account.opt_in_confirmation_template;
    case 'clarification':
      return account.clarification_template;
  }
}

const TEXT_NAME_OF_KIND: Record<Exclude<OutboundKind, 'lead'>, AccountTextName> = {
  opt_in: 'opt-in-template',
  help_reply: 'help-reply',
  opt_out_confirmation: 'opt-out-confirmation',
  opt_in_confirmation: 'opt-in-confirmation',
  clarification: 'clarification',
};
