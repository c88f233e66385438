import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { KeywordOverrides } from '../../workflows/classify-inbound';
import { defaultTemplates } from '../consent/default-templates';
import { ACCOUNT_TEXTS, type AccountTextName } from '../consent/template-rules';
import type { AccountWindow } from '../sending-window/sending-window';
import type { Weekday } from '../sending-window/state-rules';
import type { ReplyLanguage } from '../../workflows/inbound-keywords';
import { prepared } from './prepared';

/** A2P 10DLC registration status of an account. */
export type A2pStatus = 'unverified' | 'pending' | 'verified' | 'failed';
/** API key roles: admins change settings, agents send and read; operators (who run the service) decrypt payloads. */
export type Role = 'admin' | 'agent' | 'operator';

/** An account as the API sees it. */
export interface Account {
  id: string;
  name: string;
  senderNumber: string;
  a2pStatus: A2pStatus;
  optInTemplate: string;
  helpTemplate: string;
  optOutConfirmationTemplate: string;
  optInConfirmationTemplate: string;
  clarificationTemplate: string;
  /** The account's texts in other languages, by language and text name (docs/keywords.md). */
  textsByLanguage: TextsByLanguage;
  holdLimitSeconds: number;
  keywords: KeywordOverrides;
  /** Quiet hours: when texts may reach a lead, in the lead's local time (docs/quiet-hours.md). */
  sendingWindow: AccountWindow;
}

/** An account's texts in languages other than its main one: `{ es: { 'help-reply': '…' } }`. */
export type TextsByLanguage = Partial<Record<ReplyLanguage, Partial<Record<AccountTextName, string>>>>;

/** Who is calling: the account and role behind an API key. */
export interface Principal {
  accountId: string;
  keyId: string;
  role: Role;
}

/** An account in a listing: who it is, without its templates and settings. */
export interface AccountSummary {
  id: string;
  name: string;
  senderNumber: string;
  a2pStatus: A2pStatus;
  createdAt: string;
}

/** An API key as operators may see it: never the key or its hash, only the prefix it starts with. */
export interface ApiKeySummary {
  keyId: string;
  role: Role;
  prefix: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** An `accounts` row as Postgres returns it; knex-shaped, so it never leaves src/db. */
export interface AccountRow {
  id: string;
  name: string;
  sender_number: string;
  a2p_status: A2pStatus;
  opt_in_template: string;
  help_template: string;
  opt_out_confirmation_template: string;
  opt_in_confirmation_template: string;
  clarification_template: string;
  texts_by_language: TextsByLanguage | null;
  hold_limit_seconds: string | number;
  keywords: KeywordOverrides | null;
  sending_window_start: string;
  sending_window_end: string;
  no_send_days: Weekday[] | null;
}

/** API keys are random 32-byte secrets, so a plain SHA-256 is a sufficient one-way hash (no password stretching). */
export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex');

/** Accounts and API keys. */
export class AccountsRepository {
  constructor(private readonly knex: Knex) {}

  async createAccount(input: {
    name: string;
    senderNumber: string;
    a2pStatus?: A2pStatus;
    holdLimitSeconds?: number;
  }): Promise<Account> {
    const templates = defaultTemplates(input.name);
    const [row] = await this.knex<AccountRow>('accounts')
      .insert({
        id: randomUUID(),
        name: input.name,
        sender_number: input.senderNumber,
        a2p_status: input.a2pStatus ?? 'unverified',
        opt_in_template: templates.optIn,
        help_template: templates.help,
        opt_out_confirmation_template: templates.optOutConfirmation,
        opt_in_confirmation_template: templates.optInConfirmation,
        clarification_template: templates.clarification,
        ...(input.holdLimitSeconds ? { hold_limit_seconds: input.holdLimitSeconds } : {}),
      })
      .returning('*');
    if (!row) throw new Error('account insert returned no row');
    return toAccount(row);
  }

  /** Creates a key and returns it once in clear; only its hash is stored. */
  async createApiKey(accountId: string, role: Role, label?: string): Promise<{ keyId: string; apiKey: string }> {
    const apiKey = `sk_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    await this.knex('api_keys').insert({
      id: keyId,
      account_id: accountId,
      key_hash: hashApiKey(apiKey),
      key_prefix: apiKey.slice(0, 8),
      role,
      label: label ?? null,
    });
    return { keyId, apiKey };
  }

  async findPrincipal(apiKey: string): Promise<Principal | undefined> {
    const row = await prepared(
      this.knex('api_keys')
        .where({ key_hash: hashApiKey(apiKey) })
        .whereNull('revoked_at')
        .first('id', 'account_id', 'role'),
      'principal_by_key',
    );
    return row ? { accountId: row.account_id, keyId: row.id, role: row.role } : undefined;
  }

  async findById(accountId: string): Promise<Account | undefined> {
    const row = await this.knex<AccountRow>('accounts').where({ id: accountId }).first();
    return row ? toAccount(row) : undefined;
  }

  /** The account that owns a Vonage number (the `to` of an inbound webhook). */
  async findBySenderNumber(senderNumber: string): Promise<Account | undefined> {
    const row = await this.knex<AccountRow>('accounts').where({ sender_number: senderNumber }).first();
    return row ? toAccount(row) : undefined;
  }

  /** The ID of the account that owns a Vonage number: all a delivery receipt needs (the `from` of a status callback). */
  async findIdBySenderNumber(senderNumber: string): Promise<string | undefined> {
    const row = await prepared(
      this.knex('accounts').where({ sender_number: senderNumber }).first('id'),
      'account_id_by_sender',
    );
    return row?.id;
  }

  /** Every account, oldest first. */
  async listAccounts(): Promise<AccountSummary[]> {
    const rows = await this.knex('accounts')
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('id', 'name', 'sender_number', 'a2p_status', 'created_at');
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      senderNumber: row.sender_number,
      a2pStatus: row.a2p_status,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  /** The account's keys, revoked ones included, oldest first; the hash column is never selected. */
  async listApiKeys(accountId: string): Promise<ApiKeySummary[]> {
    const rows = await this.knex('api_keys')
      .where({ account_id: accountId })
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('id', 'role', 'key_prefix', 'label', 'created_at', 'revoked_at');
    return rows.map((row) => ({
      keyId: row.id,
      role: row.role,
      prefix: row.key_prefix,
      label: row.label ?? null,
      createdAt: new Date(row.created_at).toISOString(),
      revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    }));
  }

  /**
   * Revokes a key at once (findPrincipal stops resolving it); undefined when there is no such key. Revoking a
   * revoked key changes nothing and keeps the first revocation time.
   */
  async revokeApiKey(
    keyId: string,
  ): Promise<{ keyId: string; accountId: string; revokedAt: string; wasAlreadyRevoked: boolean } | undefined> {
    const [revoked] = await this.knex('api_keys')
      .where({ id: keyId })
      .whereNull('revoked_at')
      .update({ revoked_at: this.knex.fn.now() })
      .returning(['account_id', 'revoked_at']);
    const row = revoked ?? (await this.knex('api_keys').where({ id: keyId }).first('account_id', 'revoked_at'));
    if (!row) return undefined;
    return {
      keyId,
      accountId: row.account_id,
      revokedAt: new Date(row.revoked_at).toISOString(),
      wasAlreadyRevoked: revoked === undefined,
    };
  }

  /** Changes the A2P 10DLC status; the change is a ledger row with the key that made it. */
  async setA2pStatus(accountId: string, status: A2pStatus, actor?: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const before = await trx('accounts').where({ id: accountId }).forUpdate().first('a2p_status');
      await trx('accounts').where({ id: accountId }).update({ a2p_status: status, updated_at: trx.fn.now() });
      await appendAccountEvent(trx, accountId, 'a2p_status_changed', actor, {
        previous: before?.a2p_status,
        next: status,
      });
    });
  }

  /** Replaces one of the account texts (opt-in, HELP, confirmations), recorded in the ledger with old and new text. */
  async setAccountText(accountId: string, name: AccountTextName, body: string, actor: string): Promise<void> {
    const column = ACCOUNT_TEXTS[name].column;
    await this.knex.transaction(async (trx) => {
      const before = await trx('accounts').where({ id: accountId }).forUpdate().first(column);
      await trx('accounts')
        .where({ id: accountId })
        .update({ [column]: body, updated_at: trx.fn.now() });
      await appendAccountEvent(trx, accountId, 'template_changed', actor, {
        setting: name,
        previous: before?.[column],
        next: body,
      });
    });
  }

  /**
   * Sets (or, with `body` undefined, removes) one account text in a language other than the main one; recorded in
   * the ledger with old and new text. One jsonb update, so concurrent writers of two languages never lose one.
   */
  async setLocalizedText(
    accountId: string,
    language: Exclude<ReplyLanguage, 'en'>,
    name: AccountTextName,
    body: string | undefined,
    actor: string,
  ): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const before = await trx<AccountRow>('accounts').where({ id: accountId }).forUpdate().first('texts_by_language');
      const texts: TextsByLanguage = before?.texts_by_language ?? {};
      const forLanguage = { ...(texts[language] ?? {}) };
      const previous = forLanguage[name];
      if (body === undefined) delete forLanguage[name];
      else forLanguage[name] = body;
      const next: TextsByLanguage = { ...texts, [language]: forLanguage };
      await trx('accounts')
        .where({ id: accountId })
        .update({ texts_by_language: JSON.stringify(next), updated_at: trx.fn.now() });
      await appendAccountEvent(trx, accountId, 'template_changed', actor, {
        setting: name,
        language,
        previous: previous ?? null,
        next: body ?? null,
      });
    });
  }

  /** Replaces the account's sending window (validated by the caller); recorded in the ledger with old and new. */
  async setSendingWindow(accountId: string, window: AccountWindow, actor: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const before = await trx<AccountRow>('accounts')
        .where({ id: accountId })
        .forUpdate()
        .first('sending_window_start', 'sending_window_end', 'no_send_days');
      await trx('accounts')
        .where({ id: accountId })
        .update({
          sending_window_start: window.start,
          sending_window_end: window.end,
          no_send_days: JSON.stringify(window.noSendDays ?? []),
          updated_at: trx.fn.now(),
        });
      await appendAccountEvent(trx, accountId, 'settings_changed', actor, {
        setting: 'sending-window',
        previous: before
          ? { start: before.sending_window_start, end: before.sending_window_end, noSendDays: before.no_send_days }
          : null,
        next: window,
      });
    });
  }

  /** Hold limit and the account's own keywords; recorded in the ledger. */
  async setMessagingSettings(
    accountId: string,
    settings: { holdLimitSeconds?: number; keywords?: KeywordOverrides },
    actor: string,
  ): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('accounts')
        .where({ id: accountId })
        .update({
          ...(settings.holdLimitSeconds !== undefined ? { hold_limit_seconds: settings.holdLimitSeconds } : {}),
          ...(settings.keywords !== undefined ? { keywords: JSON.stringify(settings.keywords) } : {}),
          updated_at: trx.fn.now(),
        });
      await appendAccountEvent(trx, accountId, 'settings_changed', actor, settings);
    });
  }
}

/** An account-wide ledger row (no number, no lead): settings that shape what leads are shown. */
async function appendAccountEvent(
  trx: Knex.Transaction,
  accountId: string,
  eventType: string,
  actor: string | undefined,
  details: unknown,
): Promise<void> {
  await trx('consent_events').insert({
    event_key: `account:${randomUUID()}`,
    account_id: accountId,
    event_type: eventType,
    source: 'api',
    actor: actor ?? null,
    details: JSON.stringify(details),
    occurred_at: trx.fn.now(),
  });
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    senderNumber: row.sender_number,
    a2pStatus: row.a2p_status,
    optInTemplate: row.opt_in_template,
    helpTemplate: row.help_template,
    optOutConfirmationTemplate: row.opt_out_confirmation_template,
    optInConfirmationTemplate: row.opt_in_confirmation_template,
    clarificationTemplate: row.clarification_template,
    textsByLanguage: row.texts_by_language ?? {},
    holdLimitSeconds: Number(row.hold_limit_seconds),
    keywords: row.keywords ?? {},
    sendingWindow: {
      start: row.sending_window_start,
      end: row.sending_window_end,
      noSendDays: row.no_send_days ?? [],
    },
  };
}
