import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** An SMS Text template of an account. */
export interface SmsTemplate {
  templateId: string;
  name: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** The account's SMS Text templates; every query is scoped by account. */
export class TemplatesRepository {
  constructor(private readonly knex: Knex) {}

  async list(accountId: string): Promise<SmsTemplate[]> {
    const rows = await this.knex('sms_templates').where({ account_id: accountId }).orderBy('name');
    return rows.map(toTemplate);
  }

  async find(accountId: string, templateId: string): Promise<SmsTemplate | undefined> {
    const row = await this.knex('sms_templates').where({ account_id: accountId, id: templateId }).first();
    return row ? toTemplate(row) : undefined;
  }

  /** Creates a template; undefined when the account already has one with that name. */
  async create(accountId: string, input: { name: string; body: string }): Promise<SmsTemplate | undefined> {
    const [row] = await this.knex('sms_templates')
      .insert({ id: randomUUID(), account_id: accountId, name: input.name, body: input.body })
      .onConflict(['account_id', 'name'])
      .ignore()
      .returning('*');
    return row ? toTemplate(row) : undefined;
  }

  /** Updates name and/or body; 'missing' when no such template, 'name_taken' when the new name is in use. */
  async update(
    accountId: string,
    templateId: string,
    input: { name?: string; body?: string },
  ): Promise<SmsTemplate | 'missing' | 'name_taken'> {
    try {
      const [row] = await this.knex('sms_templates')
        .where({ account_id: accountId, id: templateId })
        .update({ ...input, updated_at: this.knex.fn.now() })
        .returning('*');
      return row ? toTemplate(row) : 'missing';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'name_taken';
      throw error;
    }
  }

  async remove(accountId: string, templateId: string): Promise<boolean> {
    return (await this.knex('sms_templates').where({ account_id: accountId, id: templateId }).del()) > 0;
  }
}

function toTemplate(row: Record<string, unknown>): SmsTemplate {
  return {
    templateId: row.id as string,
    name: row.name as string,
    body: row.body as string,
    createdAt: new Date(row.created_at as string).toISOString(),
    updatedAt: new Date(row.updated_at as string).toISOString(),
  };
}
