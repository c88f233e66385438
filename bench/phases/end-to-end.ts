import { setTimeout as sleep } from 'node:timers/promises';
import { phoneKeyOf } from '../../src/phone';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { BENCH_PHONE_HASH_KEY } from '../harness';
import { queueText } from '../http';
import { cpuPerLead, type CpuPerLead } from '../machine';
import { benchPhone } from '../phone-numbers';
import { startProgress } from '../progress';
import { round1, round3, summarize, type LatencySummary } from '../stats';
import {
  committedTransactions,
  Failures,
  historyProfile,
  leadRunSummary,
  runLeadsTimed,
  type AcceptedLead,
  type BenchContext,
  type HistoryProfile,
  type LeadRunSummary,
} from './context';
import { HISTORY_SAMPLE } from './floor';

/** Section 2 of the results. */
export interface EndToEndResult extends LeadRunSummary {
  /** Leads asked for; `started` is fewer when the phase's time budget ran out first. */
  leads: number;
  started: number;
  completed: number;
  /** POST /v1/messages answered (opt-in sent, text held), START webhook answered, held text in the sandbox. */
  queueMs: LatencySummary;
  startWebhookMs: LatencySummary;
  startToDeliveredMs: LatencySummary;
  leadLatencyMs: LatencySummary;
  /** Where the time goes, per lead. */
  perLead: {
    textsSent: number;
    postgresTransactions: number;
    /** What a lead's workflow history shows, averaged over a sample of leads. */
    history: HistoryProfile | undefined;
  };
  /** CPU time per completed lead, by process, over the same window as leads/s; undefined when none completed. */
  cpuPerLead?: CpuPerLead;
}

const LEAD_TIMEOUT_MS = 90_000;
const DELIVERY_TIMEOUT_MS = 60_000;
/** pg_stat_database counts what other backends flushed; they flush at most once a second. */
const STATS_FLUSH_MS = 1_500;

/**
 * Ours, end to end, through the real HTTP API: POST /v1/messages (→ opt-in sent to the sandbox, text held), the
 * sandbox posts a signed START to our inbound webhook, and the lead is done when the sandbox receives the held text.
 */
export async function runEndToEnd(
  context: BenchContext,
  leads: number,
): Promise<{ result: EndToEndResult; accepted: AcceptedLead[] }> {
  const { system, watch } = context;
  const failures = new Failures();
  const accepted: AcceptedLead[] = [];
  const queueMs: number[] = [];
  const startWebhookMs: number[] = [];
  const startToDeliveredMs: number[] = [];
  const leadMs: number[] = [];
  const firstPhone = context.phones.reserve(leads);
  const progress = startProgress('2/5 ours end to end', leads);
  const textsBefore = watch.total();
  const transactionsBefore = await committedTransactions(system);

  const lead = async (index: number) => {
    const phone = benchPhone(firstPhone + index);
    const leadId = `bench-e2e-${index}`;
    const body = `Bench lead ${index} [${context.runTag}]: the house on Elm St is open Saturday.`;
    const startedAt = performance.now();
    const queued = await queueText(system.apiUrl, system.account.agentKey, { leadId, phone, body });
    if (queued.status !== 202 || queued.body?.status !== 'held' || queued.body?.optIn !== 'sent') {
      throw new Error(`POST /v1/messages answered ${queued.status} ${JSON.stringify(queued.body).slice(0, 200)}`);
    }
    queueMs.push(queued.ms);
    const replyAt = performance.now();
    const reply = await system.sandbox.reply({ from: phone, to: system.account.senderNumber, text: 'START' });
    if (reply.status !== 200) throw new Error(`the START webhook answered ${reply.status}`);
    startWebhookMs.push(performance.now() - replyAt);
    await watch.waitFor(phone, (message) => message.text.startsWith(body), DELIVERY_TIMEOUT_MS);
    const doneAt = performance.now();
    startToDeliveredMs.push(doneAt - replyAt);
    leadMs.push(doneAt - startedAt);
    accepted.push({ leadId, phone });
  };

  const { started, seconds, cpuAtStart, cpuAtEnd } = await runLeadsTimed(
    context,
    { leads, timeoutMs: LEAD_TIMEOUT_MS, name: 'lead', failures, progress },
    lead,
  );

  // Let the last status callbacks land and the statistics flush before counting what a lead cost.
  await sleep(STATS_FLUSH_MS);
  const transactions = (await committedTransactions(system)) - transactionsBefore;
  const texts = watch.total() - textsBefore;
  const history = await historyProfile(
    system,
    accepted
      .slice(0, HISTORY_SAMPLE)
      .map(({ phone }) => smsConsentWorkflowId(system.account.accountId, phoneKeyOf(phone, BENCH_PHONE_HASH_KEY))),
  );
  const completed = accepted.length;
  return {
    accepted,
    result: {
      leads,
      started,
      completed,
      ...leadRunSummary(context, failures, completed, seconds),
      queueMs: summarize(queueMs),
      startWebhookMs: summarize(startWebhookMs),
      startToDeliveredMs: summarize(startToDeliveredMs),
      leadLatencyMs: summarize(leadMs),
      perLead: {
        textsSent: completed > 0 ? round3(texts / completed) : 0,
        postgresTransactions: completed > 0 ? round1(transactions / completed) : 0,
        history,
      },
      cpuPerLead: cpuPerLead(cpuAtStart, cpuAtEnd, completed),
    },
  };
}
