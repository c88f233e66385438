import type { Knex } from 'knex';
import type { FailureReason, LeadOptInStatus, MessageStatus } from '../../workflows/sms-consent.contract';

/** One text in a lead's history, either direction. */
export interface MessageView {
  messageId: string;
  direction: 'outbound' | 'inbound';
  kind: string;
  leadId: string | null;
  body: string;
  status: MessageStatus;
  reason: FailureReason | null;
  providerMessageId: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  /** Quiet hours: when a `scheduled` text goes out. */
  sendAt: string | null;
}

/** Service-wide counts the metrics report, the same from every replica. */
export interface ServiceFigures {
  texts: { direction: string; kind: string; status: string; count: number }[];
  events: { event_type: string; count: number }[];
}

/** One row of the consent ledger. */
export interface ConsentEventView {
  eventId: string;
  eventType: string;
  source: string;
  leadId: string | null;
  rawText: string | null;
  providerMessageId: string | null;
  optInText: string | null;
  actor: string | null;
  messageId: string | null;
  details: unknown;
  occurredAt: string;
  recordedAt: string;
}

/** A lead's consent on its current number. */
export interface LeadConsentView {
  leadId: string;
  phone: string;
  status: LeadOptInStatus | null;
  reason: FailureReason | null;
  optInMessageId: string | null;
  updatedAt: string;
}

/** One text of the account's recent list (the console's Messaging Center). */
export interface RecentMessageView extends MessageView {
  /** E.164; the lead's number, or the number a reply came from. */
  phone: string;
  /**
   * For an opt-in text: how the lead stands on it (`accepted` after START, `rejected` after STOP, `sent` while it
   * waits, `not_sent` when it could not go out). Null for every other text, and for an opt-in still in flight.
   */
  optIn: LeadOptInStatus | null;
}

/**
 * The opt-in status an opt-in text stands for. The lead's current opt-in (lead_consents.opt_in_message_id) shows the
 * lead's status; an earlier, superseded one shows only whether it went out.
 */
const OPT_IN_STATUS_SQL = `case when m.kind <> 'opt_in' then null
  when lc.opt_in_message_id = m.id then coalesce(lc.status, 'not_sent')
  when m.status in ('failed', 'blocked') then 'not_sent'
  when m.status in ('sent', 'delivered') then 'sent'
  end`;

/** Read side for the API: text history, consent and the Do Not Contact list. Scoped by account in every query. */
export class MessagesRepository {
  constructor(private readonly knex: Knex) {}

  async findByIdempotencyKey(accountId: string, idempotencyKey: string): Promise<MessageView | undefined> {
    const row = await this.knex('messages').where({ account_id: accountId, idempotency_key: idempotencyKey }).first();
    return row ? toMessage(row) : undefined;
  }

  /** The lead's current number and opt-in status (the most recently used number when it changed). */
  async leadConsent(accountId: string, leadId: string): Promise<LeadConsentView | undefined> {
    const row = await this.knex('lead_consents')
      .where({ account_id: accountId, lead_id: leadId })
      .orderBy('updated_at', 'desc')
      .first();
    return row ? toLeadConsent(row) : undefined;
  }

  /**
   * Both directions, oldest first: the lead's own texts and opt-in, plus what the number sent us and the
   * number-wide texts (confirmations, HELP replies) on every number the lead used.
   */
  async leadHistory(accountId: string, leadId: string, limit = 500): Promise<MessageView[]> {
    const phones = this.knex('lead_consents').where({ account_id: accountId, lead_id: leadId }).select('phone');
    const rows = await this.knex('messages')
      .where({ account_id: accountId })
      .andWhere((q) => q.where({ lead_id: leadId }).orWhere((q2) => q2.whereNull('lead_id').whereIn('phone', phones)))
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toMessage);
  }

  /** Ledger events of the lead and of its numbers (number-wide events such as STOP have no lead). */
  async consentEvents(accountId: string, leadId: string, limit = 500): Promise<ConsentEventView[]> {
    const phones = this.knex('lead_consents').where({ account_id: accountId, lead_id: leadId }).select('phone');
    const rows = await this.knex('consent_events')
      .where({ account_id: accountId })
      .andWhere((q) => q.where({ lead_id: leadId }).orWhere((q2) => q2.whereNull('lead_id').whereIn('phone', phones)))
      .orderBy('id', 'asc')
      .limit(limit);
    return rows.map(toConsentEvent);
  }

  /** Every lead that has used this number, most recently updated first. */
  async leadsByPhone(accountId: string, phone: string): Promise<LeadConsentView[]> {
    const rows = await this.knex('lead_consents')
      .where({ account_id: accountId, phone })
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'lead_id', order: 'asc' },
      ]);
    return rows.map(toLeadConsent);
  }

  /** The number's last `limit` ledger events (number-wide and per lead), oldest of them first. */
  async phoneConsentEvents(accountId: string, phone: string, limit: number): Promise<ConsentEventView[]> {
    const rows = await this.knex('consent_events')
      .where({ account_id: accountId, phone })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.reverse().map(toConsentEvent);
  }

  /**
   * The account's latest texts, both directions, newest first: only those with `status`, or only opt-in texts whose
   * lead stands at `optIn`, when given.
   */
  async recentMessages(
    accountId: string,
    options: { limit: number; status?: MessageStatus; optIn?: LeadOptInStatus },
  ): Promise<RecentMessageView[]> {
    const query = this.knex({ m: 'messages' })
      .leftJoin({ lc: 'lead_consents' }, (join) =>
        join.on('lc.account_id', 'm.account_id').andOn('lc.lead_id', 'm.lead_id').andOn('lc.phone', 'm.phone'),
      )
      .where('m.account_id', accountId)
      .select('m.*', this.knex.raw(`${OPT_IN_STATUS_SQL} as opt_in_status`))
      .orderBy([
        { column: 'm.created_at', order: 'desc' },
        { column: 'm.id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.status) query.andWhere('m.status', options.status);
    if (options.optIn) query.andWhereRaw(`${OPT_IN_STATUS_SQL} = ?`, [options.optIn]);
    const rows: Record<string, unknown>[] = await query;
    return rows.map((row) => ({
      ...toMessage(row),
      phone: row.phone as string,
      optIn: (row.opt_in_status as LeadOptInStatus | null) ?? null,
    }));
  }

  async doNotContactEntry(
    accountId: string,
    phone: string,
  ): Promise<{ phone: string; source: string; reason: string | null; createdAt: string } | undefined> {
    const row = await this.knex('do_not_contact').where({ account_id: accountId, phone }).first();
    return row
      ? { phone: row.phone, source: row.source, reason: row.reason, createdAt: new Date(row.created_at).toISOString() }
      : undefined;
  }

  /** One page of a number's whole ledger, oldest first, after the row `afterId` (keyset paging for the export). */
  async numberEventsPage(
    accountId: string,
    phone: string,
    afterId: number,
    limit: number,
  ): Promise<(ConsentEventView & { phone: string })[]> {
    const rows = await this.knex('consent_events')
      .where({ account_id: accountId, phone })
      .andWhere('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(limit);
    return rows.map((row) => ({ ...toConsentEvent(row), phone: row.phone as string }));
  }

  /** Service-wide counts for the metrics: texts by direction, kind and status; ledger rows by event type. */
  async serviceFigures(): Promise<ServiceFigures> {
    const texts = await this.knex('messages')
      .select('direction', 'kind', 'status')
      .count('* as count')
      .groupBy('direction', 'kind', 'status');
    const events = await this.knex('consent_events').select('event_type').count('* as count').groupBy('event_type');
    return {
      texts: texts.map((r) => ({
        direction: String(r.direction),
        kind: String(r.kind),
        status: String(r.status),
        count: Number(r.count),
      })),
      events: events.map((r) => ({ event_type: String(r.event_type), count: Number(r.count) })),
    };
  }

  /** The numbers of an account that have texts waiting for their sending window (quiet hours). */
  async numbersWithScheduledTexts(accountId: string): Promise<{ phone: string; phoneKey: string }[]> {
    const rows = await this.knex('messages')
      .where({ account_id: accountId, status: 'scheduled' })
      .distinct('phone', 'phone_key');
    return rows.map((row) => ({ phone: String(row.phone), phoneKey: String(row.phone_key) }));
  }

  /** True when Postgres answers a trivial query (readiness). */
  async isReachable(): Promise<boolean> {
    return this.knex.raw('select 1').then(
      () => true,
      () => false,
    );
  }
}

function toLeadConsent(row: Record<string, unknown>): LeadConsentView {
  return {
    leadId: row.lead_id as string,
    phone: row.phone as string,
    status: row.status as LeadOptInStatus | null,
    reason: row.reason as FailureReason | null,
    optInMessageId: row.opt_in_message_id as string | null,
    updatedAt: new Date(row.updated_at as string).toISOString(),
  };
}

function toConsentEvent(row: Record<string, unknown>): ConsentEventView {
  return {
    eventId: String(row.id),
    eventType: row.event_type as string,
    source: row.source as string,
    leadId: (row.lead_id as string | null) ?? null,
    rawText: (row.raw_text as string | null) ?? null,
    providerMessageId: (row.provider_message_id as string | null) ?? null,
    optInText: (row.opt_in_text as string | null) ?? null,
    actor: (row.actor as string | null) ?? null,
    messageId: (row.message_id as string | null) ?? null,
    details: row.details,
    occurredAt: new Date(row.occurred_at as string).toISOString(),
    recordedAt: new Date(row.recorded_at as string).toISOString(),
  };
}

/** One page of a number's ledger after `afterId`, oldest first: the export streams these. */
function toMessage(row: Record<string, unknown>): MessageView {
  const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
  return {
    messageId: row.id as string,
    direction: row.direction as MessageView['direction'],
    kind: row.kind as string,
    leadId: (row.lead_id as string | null) ?? null,
    body: row.body as string,
    status: row.status as MessageStatus,
    reason: (row.reason as FailureReason | null) ?? null,
    providerMessageId: (row.provider_message_id as string | null) ?? null,
    createdAt: iso(row.created_at) ?? '',
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    sendAt: iso(row.send_at),
  };
}
