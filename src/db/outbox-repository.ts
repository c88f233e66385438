import type { Knex } from 'knex';
import type {
  ConsentStore,
  OutboundClaim,
  OutboundKind,
  RecordConsentChangeInput,
  RecordQueuedMessageInput,
  RecordQueuedMessageResult,
  SendTextInput,
  SendTextResult,
  SetMessageStatusInput,
} from '../../activities';
import type { FailureReason, MessageStatus } from '../../workflows/sms-consent.contract';
import { withFooter } from '../consent/footer';
import { toVonageNumber } from '../phone';
import type { ReplyLanguage } from '../../workflows/inbound-keywords';
import type { TextsByLanguage } from './accounts-repository';
import type { AccountTextName } from '../consent/template-rules';

interface AccountRow {
  id: string;
  sender_number: string;
  a2p_status: string;
  opt_in_template: string;
  help_template: string;
  opt_out_confirmation_template: string;
  opt_in_confirmation_template: string;
  clarification_template: string;
  texts_by_language: TextsByLanguage | null;
  hold_limit_seconds: string | number;
}

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

const TERMINAL_NOT_SENT: ReadonlySet<MessageStatus> = new Set(['failed', 'blocked', 'cancelled', 'expired']);

/**
 * Kinds that the Do Not Contact list blocks. The opt-out confirmation and HELP replies are allowed (FCC, CTIA); a
 * clarification is not: once the number has opted out there is nothing left to ask.
 */
export const KINDS_BLOCKED_BY_DO_NOT_CONTACT: ReadonlySet<OutboundKind> = new Set([
  'lead',
  'opt_in',
  'opt_in_confirmation',
  'clarification',
]);

/**
 * The consent workflow's Postgres side: messages (the outbox), lead statuses, the Do Not Contact list and the
 * ledger. `lockKnex` is a separate, small pool that only holds per-number advisory locks, so a lock holder never
 * waits for a connection that another lock holder owns.
 */
export class ConsentRepository implements ConsentStore {
  constructor(
    private readonly knex: Knex,
    private readonly lockKnex: Knex,
  ) {}

  async recordQueuedMessage(input: RecordQueuedMessageInput): Promise<RecordQueuedMessageResult> {
    return this.knex.transaction(async (trx) => {
      const account = await this.account(trx, input.accountId);
      const holdLimitMs = Number(account.hold_limit_seconds) * 1000;
      const isOnDoNotContact = await this.isOnDoNotContact(trx, input.accountId, input.phone);
      const existing = await this.findQueued(trx, input);
      // The API gives every request a fresh message ID and makes it the update ID, so a row under this very ID
      // was written by an earlier attempt of this activity whose result Temporal never recorded (the worker
      // died, or the connection dropped after COMMIT). It is this request, not a duplicate: carry on as the first
      // attempt would have, or the text would stay `queued` forever.
      if (existing && existing.id === input.messageId) {
        return { messageId: existing.id, isDuplicate: false, status: existing.status, isOnDoNotContact, holdLimitMs };
      }
      if (existing) {
        return {
          messageId: existing.id,
          isDuplicate: true,
          status: existing.status,
          reason: existing.reason ?? undefined,
          isOnDoNotContact,
          holdLimitMs,
        };
      }
      await trx('lead_consents')
        .insert({ account_id: input.accountId, lead_id: input.leadId, phone: input.phone, phone_key: input.phoneKey })
        .onConflict(['account_id', 'lead_id', 'phone'])
        .ignore();
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
        // Our own ID won: an overlapping attempt of this same call (a local activity re-run while the first
        // attempt still ran) inserted it first. Still this request, as above.
        if (winner.id === input.messageId) {
          return { messageId: winner.id, isDuplicate: false, status: winner.status, isOnDoNotContact, holdLimitMs };
        }
        return {
          messageId: winner.id,
          isDuplicate: true,
          status: winner.status,
          reason: winner.reason ?? undefined,
          isOnDoNotContact,
          holdLimitMs,
        };
      }
      return { messageId: input.messageId, isDuplicate: false, status: 'queued', isOnDoNotContact, holdLimitMs };
    });
  }

  async withNumberLock<T>(accountId: string, phone: string, fn: () => Promise<T>): Promise<T> {
    return this.lockKnex.transaction(async (trx) => {
      await lockNumber(trx, accountId, phone);
      return fn();
    });
  }

  async claimOutbound(input: SendTextInput, options: { reconcileWindowMs: number }): Promise<OutboundClaim> {
    return this.knex.transaction(async (trx) => {
      const account = await this.account(trx, input.accountId);
      let row = await trx<MessageRow>('messages').where({ id: input.messageId }).forUpdate().first();
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
      await trx('messages')
        .where({ id: row.id })
        .update({ status: 'sending', send_attempted_at: trx.fn.now(), updated_at: trx.fn.now() });
      return {
        kind: 'send',
        to: toVonageNumber(row.phone),
        from: toVonageNumber(account.sender_number),
        text: row.body,
      };
    });
  }

  async markSent(messageId: string, providerMessageId: string): Promise<SendTextResult> {
    return this.knex.transaction(async (trx) => {
      await trx('messages')
        .where({ id: messageId, status: 'sending' })
        .update({
          status: 'sent',
          provider_message_id: trx.raw('coalesce(provider_message_id, ?)', [providerMessageId]),
          sent_at: trx.fn.now(),
          updated_at: trx.fn.now(),
        });
      const row = await trx<MessageRow>('messages').where({ id: messageId }).first();
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
      .whereIn('status', ['queued', 'held'])
      .update({ status: input.status, reason: input.reason ?? null, updated_at: this.knex.fn.now() });
  }

  async recordConsentChange(input: RecordConsentChangeInput): Promise<void> {
    await this.knex.transaction(async (trx) => {
      if (input.doNotContact) await lockNumberForListChange(trx, input.accountId, input.phone);
      const base = {
        account_id: input.accountId,
        phone: input.phone,
        source: input.source,
        raw_text: input.rawText ?? null,
        provider_message_id: input.providerMessageId ?? null,
        opt_in_text: input.optInText ?? null,
        actor: input.actor ?? null,
        message_id: input.optInMessageId ?? null,
        occurred_at: input.occurredAt,
      };
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
        const added = await trx('do_not_contact')
          .insert({
            account_id: input.accountId,
            phone: input.phone,
            phone_key: input.phoneKey,
            source: input.source,
            reason: input.rawText ? 'opt-out reply' : (input.reason ?? null),
            actor: input.actor ?? null,
          })
          .onConflict(['account_id', 'phone'])
          .ignore()
          .returning('phone');
        if (added.length > 0) {
          await trx('consent_events')
            .insert({
              ...base,
              event_key: `${input.eventKey}:dnc-add`,
              lead_id: null,
              event_type: 'do_not_contact_added',
            })
            .onConflict('event_key')
            .ignore();
        }
      } else if (input.doNotContact === 'remove') {
        const removed = await trx('do_not_contact').where({ account_id: input.accountId, phone: input.phone }).del();
        if (removed > 0) {
          await trx('consent_events')
            .insert({
              ...base,
              event_key: `${input.eventKey}:dnc-remove`,
              lead_id: null,
              event_type: 'do_not_contact_removed',
            })
            .onConflict('event_key')
            .ignore();
        }
      }
    });
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
      (await this.isOnDoNotContact(trx, input.accountId, row.phone))
    ) {
      return 'do_not_contact';
    }
    if (input.kind === 'lead') {
      const lead = await trx('lead_consents')
        .where({ account_id: input.accountId, lead_id: row.lead_id, phone: row.phone })
        .first('status');
      if (lead?.status !== 'accepted') return 'not_opted_in';
    }
    return undefined;
  }

  private async account(trx: Knex.Transaction, accountId: string): Promise<AccountRow> {
    const account = await trx<AccountRow>('accounts').where({ id: accountId }).first();
    if (!account) throw new Error(`account ${accountId} not found`);
    return account;
  }

  private async isOnDoNotContact(trx: Knex.Transaction, accountId: string, phone: string): Promise<boolean> {
    const row = await trx('do_not_contact').where({ account_id: accountId, phone }).first('phone');
    return row !== undefined;
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

/**
 * Per-number advisory lock, held until the transaction ends. A sender holds it on its own connection through the
 * whole provider call (withNumberLock); writers of the Do Not Contact list take it, through lockNumberForListChange,
 * so a STOP waits for a send that is already past the gate.
 */
export async function lockNumber(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`${accountId}:${phone}`]);
}

/**
 * A second per-number key that only the send gate's claim transaction and the list's writers take. The number
 * lock lives on a connection of its own and dies with it (a terminated backend, a cut network); this one is held
 * by the very transaction that reads Do Not Contact and marks the text `sending`, so a claim can never read the
 * list before a STOP commits and mark `sending` after it, whatever happened to the number lock.
 */
async function lockSendGate(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 1))', [`${accountId}:${phone}`]);
}

/** Both locks, in the one order every writer of the Do Not Contact list uses (number first, then the gate). */
export async function lockNumberForListChange(trx: Knex.Transaction, accountId: string, phone: string): Promise<void> {
  await lockNumber(trx, accountId, phone);
  await lockSendGate(trx, accountId, phone);
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
