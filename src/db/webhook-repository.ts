import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { InboundIntent } from '../../workflows/classify-inbound';
import { setTimeout as sleep } from 'node:timers/promises';
import { addToDoNotContact, KINDS_BLOCKED_BY_DO_NOT_CONTACT, ledgerEvidenceColumns } from './do-not-contact';
import { lockNumberForListChange } from './number-locks';
import { prepared } from './prepared';
import { isCarrierOptOut, outcomeOfProviderError } from '../vonage/provider-errors';
import type { FailureReason } from '../../workflows/sms-consent.contract';

/** An inbound SMS, verified and classified. */
export interface InboundRecord {
  accountId: string;
  phone: string;
  phoneKey: string;
  providerMessageId: string;
  text: string;
  intent: InboundIntent;
  receivedAt: string;
}

/** A delivery receipt from the Messages API. */
export interface StatusRecord {
  accountId: string;
  providerMessageId: string;
  clientRef?: string;
  status: 'submitted' | 'delivered' | 'rejected' | 'undeliverable' | 'read';
  error?: unknown;
  timestamp: string;
}

const SETTLE_POLL_MS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Webhook side of Postgres: every write is idempotent by the provider's message id. */
export class WebhookRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Stores an inbound text and, for an opt-out, puts the number on Do Not Contact with its ledger row, all in one
   * transaction that commits before the webhook answers (invariant 2). The number's lock makes a send that is
   * already past the gate finish first, so nothing leaves after this commits.
   * Returns whether the workflow already has this event (then the webhook answers 200 and does nothing more).
   */
  async recordInbound(record: InboundRecord): Promise<{ isAlreadySignaled: boolean }> {
    return this.knex.transaction(async (trx) => {
      if (record.intent === 'opt_out') await lockNumberForListChange(trx, record.accountId, record.phone);
      // Insert first: concurrent copies of one webhook (Vonage retries while the first is still in flight) then
      // wait on each other here instead of racing to a primary-key violation.
      const inserted = await trx('webhook_events')
        .insert({ kind: 'inbound', provider_message_id: record.providerMessageId, account_id: record.accountId })
        .onConflict(['kind', 'provider_message_id'])
        .ignore()
        .returning('provider_message_id');
      if (inserted.length === 0) {
        const seen = await trx('webhook_events')
          .where({ kind: 'inbound', provider_message_id: record.providerMessageId })
          .forUpdate()
          .first('signaled_at');
        if (seen?.signaled_at) return { isAlreadySignaled: true };
        // Stored earlier but the workflow may not have it: the caller signals again (the workflow dedupes). The
        // Do Not Contact row and its ledger entry were committed with the first copy; adding them again here
        // would undo a START that arrived in between (the redelivered STOP is older than that START).
        return { isAlreadySignaled: false };
      }
      await trx('messages')
        .insert({
          id: randomUUID(),
          account_id: record.accountId,
          lead_id: null,
          phone: record.phone,
          phone_key: record.phoneKey,
          direction: 'inbound',
          kind: 'inbound',
          body: record.text,
          status: 'received',
          provider_message_id: record.providerMessageId,
        })
        .onConflict('provider_message_id')
        .ignore();
      if (record.intent === 'opt_out') await this.addOptOut(trx, record);
      return { isAlreadySignaled: false };
    });
  }

  /**
   * Waits up to `timeoutMs` until no text that Do Not Contact blocks is `sending` to the number; true when none is.
   * A send normally finishes before a STOP commits (the number lock), but that lock lives on a connection that can
   * be cut, and a send whose answer was lost stays `sending` until Vonage's receipt or the reconcile window settles
   * it. Until then the text may still reach the phone, so the STOP is not acknowledged (invariant 2).
   */
  async waitForSendsToSettle(accountId: string, phone: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sending = await this.knex('messages')
        .where({ account_id: accountId, phone, direction: 'outbound', status: 'sending' })
        .whereIn('kind', [...KINDS_BLOCKED_BY_DO_NOT_CONTACT])
        .first('id');
      if (!sending) return true;
      if (Date.now() >= deadline) return false;
      await sleep(SETTLE_POLL_MS);
    }
  }

  async markSignaled(kind: 'inbound' | 'status', providerMessageId: string): Promise<void> {
    await this.knex('webhook_events')
      .where({ kind, provider_message_id: providerMessageId })
      .update({ signaled_at: this.knex.fn.now() });
  }

  /**
   * Applies a delivery receipt. Matches by Vonage's message_uuid, or by client_ref (our message ID) for a send
   * whose answer was lost: that is how the one residual send window is reconciled. Statuses only move forward.
   */
  async recordStatus(
    record: StatusRecord,
  ): Promise<{ matched: boolean; carrierOptOut?: { phone: string; phoneKey: string } }> {
    // Most receipts move nothing (`submitted` after our own `sent`, a second `delivered`): one plain read answers
    // them, with no transaction and no row lock. Statuses only move forward, so a receipt that moves nothing now
    // cannot move anything later. A carrier opt-out always takes the full path, whatever the text's status.
    if (!(record.status === 'rejected' && isCarrierOptOut(record.error))) {
      const current = await prepared(
        this.knex('messages')
          .where({ account_id: record.accountId, direction: 'outbound', provider_message_id: record.providerMessageId })
          .first('status'),
        'receipt_status',
      );
      if (current && nextStatus(current.status, record.status) === undefined) return { matched: true };
    }
    return this.knex.transaction(async (trx) => {
      const query = trx('messages')
        .where({ account_id: record.accountId, direction: 'outbound' })
        .andWhere((q) => {
          q.where({ provider_message_id: record.providerMessageId });
          if (record.clientRef && UUID.test(record.clientRef)) {
            q.orWhere((q2) => q2.where({ id: record.clientRef }).whereNull('provider_message_id'));
          }
        })
        .forUpdate()
        .first('id', 'status', 'provider_message_id', 'phone', 'phone_key');
      const row = await query;
      if (!row) return { matched: false };
      const update: Record<string, unknown> = { updated_at: trx.fn.now() };
      if (!row.provider_message_id) update.provider_message_id = record.providerMessageId;
      const next = nextStatus(row.status, record.status);
      if (next === 'sent') update.sent_at = trx.fn.now();
      if (next === 'delivered') update.delivered_at = record.timestamp;
      if (next === 'failed') {
        update.reason = failureReasonOfReceipt(record.error);
        update.provider_error = JSON.stringify(record.error ?? { status: record.status });
      }
      if (next) update.status = next;
      await trx('messages').where({ id: row.id }).update(update);
      if (record.status === 'rejected' && isCarrierOptOut(record.error)) {
        await this.addCarrierOptOut(trx, record, row.phone, row.phone_key);
        return { matched: true, carrierOptOut: { phone: row.phone, phoneKey: row.phone_key } };
      }
      return { matched: true };
    });
  }

  /**
   * The carrier (or Vonage's Opt-Out Assist) says the number opted out: keep our list in step with the provider's.
   * Same lock and ledger as a STOP reply; the source is `carrier`.
   */
  private async addCarrierOptOut(
    trx: Knex.Transaction,
    record: StatusRecord,
    phone: string,
    phoneKey: string,
  ): Promise<void> {
    await addToDoNotContact(trx, {
      accountId: record.accountId,
      phone,
      phoneKey,
      causeKey: `status:${record.providerMessageId}`,
      source: 'carrier',
      reason: 'opted out at the carrier',
      providerMessageId: record.providerMessageId,
      details: { error: record.error ?? null },
      occurredAt: record.timestamp,
    });
  }

  private async addOptOut(trx: Knex.Transaction, record: InboundRecord): Promise<void> {
    const lastOutbound = await trx('messages')
      .where({ account_id: record.accountId, phone: record.phone, direction: 'outbound' })
      .whereIn('status', ['sent', 'delivered'])
      .orderBy('created_at', 'desc')
      .first('id');
    const evidence = {
      accountId: record.accountId,
      phone: record.phone,
      causeKey: `inbound:${record.providerMessageId}`,
      source: 'sms',
      rawText: record.text,
      providerMessageId: record.providerMessageId,
      occurredAt: record.receivedAt,
      // The STOP answers the last text we sent the number; kept as evidence of what it opted out of.
      messageId: lastOutbound?.id ?? undefined,
    } as const;
    await trx('consent_events')
      .insert({ ...ledgerEvidenceColumns(evidence), event_key: evidence.causeKey, event_type: 'opted_out' })
      .onConflict('event_key')
      .ignore();
    await addToDoNotContact(trx, { ...evidence, phoneKey: record.phoneKey, reason: 'opt-out reply' });
  }
}

/**
 * Why a rejected or undeliverable receipt failed its text, read from Vonage's error table (src/vonage/provider-errors.ts).
 * The text is final at the provider, so a code that would mean "retry" at send time is a refusal here.
 */
function failureReasonOfReceipt(error: unknown): FailureReason {
  const outcome = outcomeOfProviderError(error);
  if (outcome.kind === 'failed') return outcome.reason;
  return outcome.kind === 'opted_out' ? 'opted_out' : 'provider_refused';
}

/** Delivery receipts arrive out of order and more than once; a status never moves backwards. */
function nextStatus(current: string, reported: StatusRecord['status']): string | undefined {
  switch (reported) {
    case 'submitted':
      return current === 'sending' ? 'sent' : undefined;
    case 'delivered':
    case 'read':
      return current === 'sending' || current === 'sent' ? 'delivered' : undefined;
    case 'rejected':
    case 'undeliverable':
      return current === 'sending' || current === 'sent' ? 'failed' : undefined;
  }
}
