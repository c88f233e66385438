import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { type Command, Option } from 'commander';
import type { Knex } from 'knex';
import { getConsentStateQuery, smsConsentWorkflowId, type LeadState } from '../../../workflows/sms-consent.contract';
import { loadConfig, type Config } from '../../config';
import { AccountsRepository } from '../../db/accounts-repository';
import { DoNotContactRepository, type DoNotContactEntry } from '../../db/do-not-contact-repository';
import { MessagesRepository, type ConsentEventView, type LeadConsentView } from '../../db/messages-repository';
import { phoneKeyOf } from '../../phone';
import { connectClient } from '../../temporal';
import {
  CliUsageError,
  errorMessage,
  parsePhone,
  printsJson,
  requireAccount,
  wholeNumber,
  withDatabase,
  type NumberLookupSettings,
} from './shared';

/**
 * A query is answered by a worker; with none running the server keeps it waiting, so the CLI gives up after this
 * and still prints what Postgres knows.
 */
const QUERY_TIMEOUT_MS = 10_000;

/** What `consent` prints: the lead's opt-in on its current number and the ledger events behind it. */
export interface LeadConsentReport extends LeadConsentView {
  accountId: string;
  events: ConsentEventView[];
}

/** Looks up a lead's consent and its ledger events. */
export async function leadConsentCommand(
  knex: Knex,
  input: { accountId: string; leadId: string },
): Promise<LeadConsentReport> {
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const messages = new MessagesRepository(knex);
  const consent = await messages.leadConsent(input.accountId, input.leadId);
  if (consent === undefined) {
    throw new CliUsageError(`lead "${input.leadId}" has no consent record in account ${input.accountId}`);
  }
  const events = await messages.consentEvents(input.accountId, input.leadId);
  return { accountId: input.accountId, ...consent, events };
}

/** The number's workflow as Temporal sees it; `state` and `status` are missing when Temporal could not say. */
export interface WorkflowReport {
  workflowId: string;
  webUiUrl: string;
  /** Execution status, e.g. RUNNING. */
  status?: string;
  state?: { isOptedOut: boolean; heldCount: number; leads: Record<string, LeadState> };
  /** Why part of the report is missing. */
  note?: string;
}

/** What `consent --phone` prints: everything known about one number of an account. */
export interface NumberConsentReport {
  accountId: string;
  phone: string;
  leads: Omit<LeadConsentView, 'phone'>[];
  isOnDoNotContact: boolean;
  doNotContact: DoNotContactEntry | null;
  /** The number's last ledger events, oldest of them first. */
  events: ConsentEventView[];
  workflow: WorkflowReport;
}

/**
 * Looks up a number: its leads and their statuses, its Do Not Contact entry and last ledger events from Postgres,
 * then the live workflow state from Temporal. Temporal being down is not an error: the report says so in a note.
 */
export async function numberConsentCommand(
  knex: Knex,
  input: { accountId: string; phone: string; eventLimit: number },
  settings: NumberLookupSettings,
): Promise<NumberConsentReport> {
  const phone = parsePhone('--phone', input.phone);
  await requireAccount(new AccountsRepository(knex), input.accountId);
  const messages = new MessagesRepository(knex);
  const leads = await messages.leadsByPhone(input.accountId, phone);
  const doNotContact = await new DoNotContactRepository(knex).find(input.accountId, phone);
  const events = await messages.phoneConsentEvents(input.accountId, phone, input.eventLimit);
  const workflowId = smsConsentWorkflowId(input.accountId, phoneKeyOf(phone, settings.phoneHashKey));
  return {
    accountId: input.accountId,
    phone,
    leads: leads.map(({ phone: _phone, ...lead }) => lead),
    isOnDoNotContact: doNotContact !== undefined,
    doNotContact: doNotContact ?? null,
    events,
    workflow: await describeWorkflow(settings.temporal, workflowId),
  };
}

async function describeWorkflow(temporal: Config['temporal'], workflowId: string): Promise<WorkflowReport> {
  const report: WorkflowReport = { workflowId, webUiUrl: webUiUrl(temporal, workflowId) };
  let client: Client;
  try {
    client = await connectClient(temporal);
  } catch (error) {
    return {
      ...report,
      note: `Temporal is unreachable at ${temporal.address} (${errorMessage(error)}); only what Postgres knows is shown`,
    };
  }
  try {
    const handle = client.workflow.getHandle(workflowId);
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        return {
          ...report,
          note: 'no workflow for this number yet: it starts with the first text, reply or Do Not Contact change',
        };
      }
      throw error;
    }
    try {
      const state = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
        handle.query(getConsentStateQuery),
      );
      return {
        ...report,
        status,
        state: { isOptedOut: state.isOptedOut, heldCount: state.held.length, leads: state.leads },
      };
    } catch (error) {
      return {
        ...report,
        status,
        note: `the workflow did not answer its state query (is a worker running?): ${errorMessage(error)}`,
      };
    }
  } catch (error) {
    return { ...report, note: `could not describe the workflow: ${errorMessage(error)}` };
  } finally {
    await client.connection.close();
  }
}

/** The workflow's page in the Temporal Web UI. */
export function webUiUrl(temporal: { uiUrl: string; namespace: string }, workflowId: string): string {
  const base = temporal.uiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** `consent --lead` and `consent --phone`. */
export function addConsentCommand(program: Command): void {
  printsJson(
    program
      .command('consent')
      .description("look up a lead's or a number's consent")
      .requiredOption('--account <id>', 'account id')
      .addOption(new Option('--lead <id>', 'a lead: its consent on its current number and its ledger events'))
      .addOption(
        new Option(
          '--phone <e164>',
          'a number: its leads, Do Not Contact entry, last ledger events and live workflow state',
        ).conflicts('lead'),
      )
      .addOption(
        new Option('--events <n>', 'with --phone: how many of the last ledger events to show')
          .argParser(wholeNumber(1, 500))
          .default(20),
      ),
    {
      prints:
        'with --lead, {accountId, leadId, phone, status, reason, optInMessageId, updatedAt, events};\n' +
        '  with --phone, {accountId, phone, leads, isOnDoNotContact, doNotContact, events,\n' +
        '  workflow: {workflowId, webUiUrl, status, state: {isOptedOut, heldCount, leads}, note}}',
      examples: [
        'consent --account "$ACCOUNT_ID" --lead lead-42',
        'consent --account "$ACCOUNT_ID" --phone +14155550123 --pretty',
        'consent --account "$ACCOUNT_ID" --phone +14155550123 --events 50',
      ],
      notes:
        'The workflow state needs Temporal (TEMPORAL_ADDRESS) and a running worker. Without them the rest is\n' +
        'still printed, workflow.note says what is missing, and the exit code is 0.',
    },
    async (options: { account: string; lead?: string; phone?: string; events: number }) => {
      const { lead, phone } = options;
      if (phone !== undefined) {
        parsePhone('--phone', phone);
        const { temporal, phoneHashKey } = loadConfig();
        return withDatabase({}, (knex) =>
          numberConsentCommand(
            knex,
            { accountId: options.account, phone, eventLimit: options.events },
            { temporal, phoneHashKey },
          ),
        );
      }
      if (lead !== undefined) {
        return withDatabase({}, (knex) => leadConsentCommand(knex, { accountId: options.account, leadId: lead }));
      }
      throw new CliUsageError('give --lead <id> or --phone <e164>');
    },
  );
}
