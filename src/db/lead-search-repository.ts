import type { Knex } from 'knex';
import type { FailureReason, LeadOptInStatus } from '../../workflows/sms-consent.contract';

/** A lead on one of its numbers, with where it stands on its opt-in. */
export interface LeadSummary {
  leadId: string;
  /** E.164. */
  phone: string;
  status: LeadOptInStatus;
  /** Why the opt-in was not sent (status not_sent); null otherwise. */
  reason: FailureReason | null;
  updatedAt: string;
}

/** At most this many leads per answer: a search is for finding a lead, not for exporting them. */
const MAX_LEADS = 500;

/**
 * Finds leads for the console's searches (Lead Details, Do Not Contact): recent leads, leads by ID prefix or by
 * number, and the numbers a lead has texted. Reads lead_consents only, always within one account.
 */
export class LeadSearchRepository {
  constructor(private readonly knex: Knex) {}

  /** The account's leads, newest change first: all of them, or those whose ID starts with `leadIdPrefix` or that use `phone`. */
  async findLeads(
    accountId: string,
    filter: { leadIdPrefix?: string; phone?: string },
    limit: number,
  ): Promise<LeadSummary[]> {
    const query = this.leadsOf(accountId).limit(Math.min(limit, MAX_LEADS));
    const { leadIdPrefix, phone } = filter;
    if (leadIdPrefix !== undefined || phone !== undefined) {
      query.andWhere((q) => {
        // The prefix is matched literally: a lead ID may contain LIKE's own wildcards (% and _).
        if (leadIdPrefix !== undefined) q.orWhere('lead_id', 'like', `${escapeLike(leadIdPrefix)}%`);
        if (phone !== undefined) q.orWhere('phone', phone);
      });
    }
    return (await query).map(toLeadSummary);
  }

  /** Every lead on these numbers, newest change first. */
  async leadsOnNumbers(accountId: string, phones: readonly string[]): Promise<LeadSummary[]> {
    if (phones.length === 0) return [];
    const rows = await this.leadsOf(accountId).whereIn('phone', phones).limit(MAX_LEADS);
    return rows.map(toLeadSummary);
  }

  /** The numbers a lead has texted (a lead that changed number has more than one), most recent first. */
  async numbersOfLead(accountId: string, leadId: string): Promise<string[]> {
    const rows: { phone: string }[] = await this.knex('lead_consents')
      .where({ account_id: accountId, lead_id: leadId })
      .orderBy('updated_at', 'desc')
      .select('phone');
    return rows.map((row) => row.phone);
  }

  private leadsOf(accountId: string) {
    return this.knex('lead_consents')
      .where({ account_id: accountId })
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'lead_id', order: 'asc' },
        { column: 'phone', order: 'asc' },
      ])
      .select('lead_id', 'phone', 'status', 'reason', 'updated_at');
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function toLeadSummary(row: Record<string, unknown>): LeadSummary {
  return {
    leadId: row.lead_id as string,
    phone: row.phone as string,
    // A lead is recorded with its first text, before its workflow has decided on the opt-in (the Lead Details
    // consent route reads it the same way).
    status: (row.status as LeadOptInStatus | null) ?? 'not_sent',
    reason: (row.reason as FailureReason | null) ?? null,
    updatedAt: new Date(row.updated_at as string).toISOString(),
  };
}
