import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FOOTER } from '../../src/consent/footer';
import { phoneKeyOf, toVonageNumber } from '../../src/phone';
import { signWebhook } from '../../src/vonage/webhook-signature';
import { getConsentStateQuery, smsConsentWorkflowId, type ConsentState } from '../../workflows/sms-consent.contract';
import type { MessageRow } from '../support/database';
import { startFaultSystem, type FaultSystem, type FaultSystemOptions } from '../support/fault-system';
import { PHONE_HASH_KEY, SIGNATURE_SECRET, type TestAccount } from '../support/system';
import { startEventWatch, type EventFigures, type EventProgress } from './crm-events-check';

/**
 * The load driver and the checks of the fault suite (test/faults/*.fault.ts, `npm run test:faults`). One run: an
 * account with `leadCount` leads on fewer numbers (duplicates share a number), each lead queues 1-3 texts with
 * idempotency keys, then the numbers reply (START, STOP, STOP then START, or never), some leads queue one more
 * text, and an unverified account queues a few texts too. All of it while a fault is injected. The driver behaves like the real callers: it
 * retries every 5xx, 429 and lost connection the way Vonage retries a webhook (same body, same message_uuid) and a
 * CRM retries POST /v1/messages (same idempotencyKey), so nothing is lost by the caller.
 *
 * Then it waits for quiescence and checks invariants 1-7 of docs/consent-model.md and exactly-once delivery against
 * the sandbox's record (what "Vonage" received, with its own clock) and Postgres.
 */

/** The default for `it(..., { timeout })` of a fault test; node --test's own limit is set in package.json. */
export const FAULT_TEST_TIMEOUT_MS = 600_000;
/** After the run's own checks: how long the last pushed events may take to be acknowledged. */
const EVENTS_SETTLE_TIMEOUT_MS = 120_000;
const REPORT_FILE = path.resolve(__dirname, '../../test-results/fault-report.json');
const REQUEST_ATTEMPT_TIMEOUT_MS = 90_000;
const REQUEST_DEADLINE_MS = 240_000;
const RETRY_FIRST_BACKOFF_MS = 200;
const RETRY_MAX_BACKOFF_MS = 2_000;
const QUIESCENCE_POLL_MS = 1_500;
const STUCK_AFTER_MS = 60_000;
const UNVERIFIED_LEADS = 4;
const ALLOWED_AFTER_STOP = new Set(['opt_out_confirmation', 'help_reply']);
const DELIVERED = new Set(['sent', 'delivered']);
const TERMINAL = new Set(['sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired']);
const LEDGER_LEAD_TYPES = new Set([
  'opt_in_sent',
  'opt_in_not_sent',
  'opted_in',
  'opted_out',
  'resubscribed',
  'consent_reset',
]);

type Plan = 'start' | 'stop' | 'stopStart' | 'none';
type Expectation = 'delivered' | 'not_delivered' | 'held' | 'any';

/** How a webhook is redelivered in F5: all three at once, one after another, or two of them after later events. */
type DeliveryPattern = 'once' | 'burst' | 'sequential' | 'late';

interface NumberPlan {
  index: number;
  phone: string;
  plan: Plan;
  leads: number[];
  workflowId: string;
  inbound: Inbound[];
  /** Events the workflow must have handled at least: one per distinct queued text, one per START/STOP. */
  minEvents: number;
  /** When the number's STOP was answered 2xx, and when its following START was first posted. */
  stopAckAt?: number;
  startPostedAt?: number;
  startAckAt?: number;
  stopPostedAt?: number;
}

interface Inbound {
  uuid: string;
  text: 'START' | 'STOP';
  body: string;
  pattern: DeliveryPattern;
  firstPostAt?: number;
  ackAt?: number;
  deliveries: number;
}

interface QueuedText {
  key: string;
  lead: number;
  accountId: string;
  phase: 'initial' | 'follow-up';
  racesReplies: boolean;
  firstPostAt?: number;
  ackAt?: number;
  messageId?: string;
  answer?: { status: number; body: any };
  messageIdsSeen: Set<string>;
}

/** Every non-2xx answer and lost connection the driver retried, by kind. */
interface RetryCounts {
  [kind: string]: number;
}

/** What one fault run injected, as the test's injector reports it. */
export type FaultsInjected = Record<string, number | string>;

/** What a test's injector gets: the run's clock and when the load is over. */
export interface InjectContext {
  random: () => number;
  isLoadDone(): boolean;
  loadDone: Promise<void>;
  /** Resolves when every text is queued and the numbers start to reply: from here STARTs release held texts. */
  repliesStarted: Promise<void>;
  log(line: string): void;
  /** The pushed events so far (undefined when the run does not check events). */
  eventProgress?: () => Promise<EventProgress>;
}

/** Options of one fault run. */
export interface FaultRunOptions {
  fault: string;
  leadCount?: number;
  concurrency?: number;
  seed?: number;
  /** F5: every START/STOP delivered three times (at once, in a row, or later), follow-ups racing replies. */
  redeliver?: boolean;
  /** Starts the fault; must resolve (with what it injected) after `loadDone`, with the fault cleared. */
  inject(context: InjectContext): Promise<FaultsInjected>;
  quiescenceTimeoutMs?: number;
  /**
   * Pushed events (crm_events): an endpoint per account pointing at a receiver in this process, which answers 500
   * to `failureRate` of the attempts (default 0.1, or FAULT_EVENT_FAILURE_RATE; at most twice per event); every
   * event must be acknowledged, in order per number. `false` leaves events out (a system without the event worker).
   */
  events?: false | { failureRate?: number };
}

/** One row of test-results/fault-report.json. */
export interface FaultReport {
  fault: string;
  seed: number;
  leads: number;
  numbers: number;
  textsQueued: number;
  textsSent: number;
  sandboxTexts: number;
  optInsSent: number;
  held: number;
  cancelledOrBlocked: number;
  faultsInjected: FaultsInjected;
  callerRetries: RetryCounts;
  lost: number;
  duplicates: number;
  textsToDoNotContactAfterStop: number;
  unknownOutcomeNotResent: number;
  unknownOutcomeButDelivered: number;
  invariantViolations: number;
  /** Pushed events (test/faults/crm-events-check.ts); absent when the run left them out. */
  events?: EventFigures;
  loadMs: number;
  /** How long queueing the initial texts took, and the replies with their follow-ups. */
  phaseMs?: { queue: number; replies: number };
  settleMs: number;
  totalMs: number;
}

/** One load-under-fault test: the system it runs on, its titles, and the fault it injects. */
export interface FaultTestOptions extends Omit<FaultRunOptions, 'inject'> {
  /** The `describe` title: which fault. */
  title: string;
  /** The `it` title: what holds under it. */
  expectation: string;
  system: FaultSystemOptions;
  /** Worker processes spawned (and polling) before the run; 1 unless the fault needs more. */
  workerCount?: number;
  /** As `FaultRunOptions.inject`, with the system to break. */
  inject(system: FaultSystem, context: InjectContext): Promise<FaultsInjected>;
}

/** Result of a run: the report, and every violation found (empty when the system held). */
export interface FaultRunResult {
  report: FaultReport;
  violations: string[];
}

/** Deterministic PRNG (mulberry32), so FAULT_SEED replays a run's shape. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Runs `task` over `items` with at most `concurrency` in flight; rejects with the first error after all settle. */
async function runPool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        errors.push(error);
      }
    }
  });
  await Promise.all(lanes);
  if (errors.length > 0) throw errors[0];
}

/** Runs one fault scenario on `system` and returns its report and violations. */
export async function runFaultScenario(system: FaultSystem, options: FaultRunOptions): Promise<FaultRunResult> {
  const startedAt = Date.now();
  const seed = options.seed ?? Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = prng(seed);
  const leadCount = options.leadCount ?? 200;
  const concurrency = options.concurrency ?? 16;
  const retries: RetryCounts = {};
  const countRetry = (kind: string) => (retries[kind] = (retries[kind] ?? 0) + 1);
  const tag = randomUUID().slice(0, 8);

  const account = await system.createAccount();
  const unverified = await system.createAccount({ a2pStatus: 'unverified' });
  // Before any traffic: from here on every change of these accounts is an event.
  const eventWatch =
    options.events === false
      ? undefined
      : await startEventWatch(system, [account, unverified], { seed, failureRate: options.events?.failureRate });
  if (eventWatch) system.closeWith(() => eventWatch.close());

  // Numbers: three quarters of the leads get a number of their own, the rest share one (duplicates).
  const numberCount = Math.ceil(leadCount * 0.75);
  const firstLine = Math.floor(random() * 10_000);
  const phoneAt = (i: number) => `+1212555${((firstLine + i) % 10_000).toString().padStart(4, '0')}`;
  const numbers: NumberPlan[] = Array.from({ length: numberCount }, (_, index) => {
    const roll = random();
    const plan: Plan = roll < 0.64 ? 'start' : roll < 0.77 ? 'stop' : roll < 0.9 ? 'stopStart' : 'none';
    const phone = phoneAt(index);
    return {
      index,
      phone,
      plan,
      leads: [],
      workflowId: smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY)),
      inbound: [],
      minEvents: 0,
    };
  });
  const leadNumber = Array.from({ length: leadCount }, (_, lead) =>
    lead < numberCount ? lead : Math.floor(random() * numberCount),
  );
  for (const [lead, number] of leadNumber.entries()) numbers[number]!.leads.push(lead);
  const leadId = (lead: number) => `lead-${tag}-${lead}`;
  const unverifiedPhones = Array.from({ length: UNVERIFIED_LEADS }, (_, i) => phoneAt(numberCount + i));

  const texts: QueuedText[] = [];
  const newText = (lead: number, phase: QueuedText['phase'], racesReplies = false): QueuedText => {
    const text: QueuedText = {
      key: `${tag}:${lead}:${texts.length}`,
      lead,
      accountId: account.accountId,
      phase,
      racesReplies,
      messageIdsSeen: new Set(),
    };
    texts.push(text);
    return text;
  };

  /** POST /v1/messages until a 2xx, as a CRM with an idempotency key would. */
  async function queue(text: QueuedText, key: string, phone: string, leadIdValue: string): Promise<void> {
    const body = JSON.stringify({
      leadId: leadIdValue,
      phone,
      body: `Hi, text ${text.key} about the house on Elm St.`,
      idempotencyKey: text.key,
    });
    const deadline = Date.now() + REQUEST_DEADLINE_MS;
    for (let attempt = 0; ; attempt += 1) {
      text.firstPostAt ??= Date.now();
      let status: number | undefined;
      try {
        const response = await fetch(`${system.apiUrl}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_ATTEMPT_TIMEOUT_MS),
        });
        status = response.status;
        const raw = await response.text();
        if (status >= 200 && status < 300) {
          const parsed = JSON.parse(raw);
          text.ackAt = Date.now();
          text.answer = { status, body: parsed };
          text.messageId = parsed.messageId;
          text.messageIdsSeen.add(parsed.messageId);
          return;
        }
        if (status !== 429 && status < 500) throw new Error(`POST /v1/messages answered ${status}: ${raw}`);
        countRetry(`api ${status}`);
      } catch (error) {
        if (status !== undefined && status !== 429 && status < 500) throw error;
        if (status === undefined) countRetry(`api ${(error as Error).name === 'TimeoutError' ? 'timeout' : 'network'}`);
      }
      if (Date.now() > deadline) throw new Error(`POST /v1/messages for ${text.key} never answered 2xx`);
      await sleep(Math.min(RETRY_FIRST_BACKOFF_MS * 2 ** attempt, RETRY_MAX_BACKOFF_MS));
    }
  }

  /** One delivery of an inbound webhook, retried as Vonage retries (5xx, 429, lost connection); returns 2xx time. */
  async function deliver(inbound: Inbound): Promise<number> {
    const deadline = Date.now() + REQUEST_DEADLINE_MS;
    for (let attempt = 0; ; attempt += 1) {
      inbound.firstPostAt ??= Date.now();
      let status: number | undefined;
      try {
        const token = await signWebhook({ rawBody: inbound.body, secret: SIGNATURE_SECRET, apiKey: 'sandbox' });
        const response = await fetch(`${system.apiUrl}/webhooks/vonage/inbound`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: inbound.body,
          signal: AbortSignal.timeout(REQUEST_ATTEMPT_TIMEOUT_MS),
        });
        status = response.status;
        const raw = await response.text();
        if (status >= 200 && status < 300) {
          const ackAt = Date.now();
          inbound.ackAt = Math.min(inbound.ackAt ?? ackAt, ackAt);
          inbound.deliveries += 1;
          return ackAt;
        }
        if (status !== 429 && status < 500) throw new Error(`inbound webhook answered ${status}: ${raw}`);
        countRetry(`webhook ${status}`);
      } catch (error) {
        if (status !== undefined && status !== 429 && status < 500) throw error;
        if (status === undefined) {
          countRetry(`webhook ${(error as Error).name === 'TimeoutError' ? 'timeout' : 'network'}`);
        }
      }
      if (Date.now() > deadline) throw new Error(`inbound ${inbound.text} ${inbound.uuid} never answered 2xx`);
      await sleep(Math.min(RETRY_FIRST_BACKOFF_MS * 2 ** attempt, RETRY_MAX_BACKOFF_MS));
    }
  }

  const lateRedeliveries: Inbound[] = [];
  const faultLog: string[] = [];
  /** Delivers a reply to `number` as its pattern says; resolves at the first 2xx. */
  async function reply(number: NumberPlan, text: 'START' | 'STOP'): Promise<Inbound> {
    const uuid = randomUUID();
    const patterns: DeliveryPattern[] = ['burst', 'sequential', 'late'];
    const inbound: Inbound = {
      uuid,
      text,
      pattern: options.redeliver ? patterns[Math.floor(random() * patterns.length)]! : 'once',
      deliveries: 0,
      body: JSON.stringify({
        channel: 'sms',
        message_type: 'text',
        message_uuid: uuid,
        to: toVonageNumber(account.senderNumber),
        from: toVonageNumber(number.phone),
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        text,
        sms: { num_messages: '1', total_count: '1', keyword: text },
      }),
    };
    number.inbound.push(inbound);
    number.minEvents += 1;
    if (text === 'STOP') number.stopPostedAt = Date.now();
    else if (number.stopAckAt !== undefined) number.startPostedAt = Date.now();
    switch (inbound.pattern) {
      case 'once':
        await deliver(inbound);
        break;
      case 'burst':
        await Promise.all([deliver(inbound), deliver(inbound), deliver(inbound)]);
        break;
      case 'sequential':
        for (let i = 0; i < 3; i += 1) await deliver(inbound);
        break;
      case 'late':
        await deliver(inbound);
        lateRedeliveries.push(inbound);
        break;
    }
    if (text === 'STOP') number.stopAckAt = inbound.ackAt;
    else number.startAckAt = inbound.ackAt;
    return inbound;
  }

  // Follow-ups: about a quarter of the leads queue one more text once their number has replied (or while it does).
  const followUps = new Set(Array.from({ length: leadCount }, (_, lead) => lead).filter(() => random() < 0.25));
  const textsPerLead = Array.from({ length: leadCount }, () => 1 + Math.floor(random() * 3));

  let markLoadDone: () => void = () => undefined;
  let loadIsDone = false;
  const loadDone = new Promise<void>((resolve) => {
    markLoadDone = () => {
      loadIsDone = true;
      resolve();
    };
  });
  let markRepliesStarted: () => void = () => undefined;
  const repliesStarted = new Promise<void>((resolve) => {
    markRepliesStarted = resolve;
  });
  const injection = options.inject({
    random,
    isLoadDone: () => loadIsDone,
    loadDone,
    repliesStarted,
    log: (line) => faultLog.push(`${new Date().toISOString()} ${line}`),
    eventProgress: eventWatch ? () => eventWatch.progress() : undefined,
  });

  let loadError: unknown;
  const phaseMs = { queue: 0, replies: 0 };
  try {
    // Phase 1: every lead queues its texts (each lead's in order); all are held behind the lead's opt-in.
    await runPool(
      shuffled(
        Array.from({ length: leadCount }, (_, lead) => lead),
        random,
      ),
      concurrency,
      async (lead) => {
        const number = numbers[leadNumber[lead]!]!;
        for (let i = 0; i < textsPerLead[lead]!; i += 1) {
          number.minEvents += 1;
          await queue(newText(lead, 'initial'), account.agentKey, number.phone, leadId(lead));
        }
      },
    );
    phaseMs.queue = Date.now() - startedAt;
    // The unverified account: nothing may reach the sandbox for it (invariant 7).
    await runPool(unverifiedPhones, concurrency, async (phone) => {
      const text = newText(-1, 'initial');
      text.accountId = unverified.accountId;
      await queue(text, unverified.agentKey, phone, `lead-${tag}-unverified-${unverifiedPhones.indexOf(phone)}`);
    });

    // Phase 2: the numbers reply, in a shuffled order; then (or, with redelivery, meanwhile) follow-ups.
    markRepliesStarted();
    await runPool(shuffled(numbers, random), concurrency, async (number) => {
      const replies = async () => {
        if (number.plan === 'start') await reply(number, 'START');
        if (number.plan === 'stop') await reply(number, 'STOP');
        if (number.plan === 'stopStart') {
          await reply(number, 'STOP');
          await reply(number, 'START');
        }
      };
      const sendFollowUps = async () => {
        for (const lead of number.leads.filter((l) => followUps.has(l))) {
          number.minEvents += 1;
          await queue(newText(lead, 'follow-up', options.redeliver), account.agentKey, number.phone, leadId(lead));
        }
      };
      if (options.redeliver) {
        await Promise.all([replies(), sleep(Math.floor(random() * 60)).then(sendFollowUps)]);
      } else {
        await replies();
        await sendFollowUps();
      }
    });
    phaseMs.replies = Date.now() - startedAt - phaseMs.queue;
    // F5: redeliveries after later events (a STOP redelivered after its START, in a shuffled order).
    await runPool(shuffled(lateRedeliveries, random), concurrency, async (inbound) => {
      await deliver(inbound);
      await deliver(inbound);
    });
  } catch (error) {
    loadError = error;
  }
  const loadMs = Date.now() - startedAt;
  markRepliesStarted(); // when the queue phase failed, so an injector waiting for it does not wait for ever
  markLoadDone();
  const faultsInjected = await injection;
  if (loadError) throw loadError;
  if (options.redeliver) {
    const inbound = numbers.flatMap((n) => n.inbound);
    faultsInjected.redeliveries = inbound.reduce((sum, i) => sum + i.deliveries - 1, 0);
    faultsInjected.concurrentDeliveries = inbound.filter((i) => i.pattern === 'burst').length;
    faultsInjected.redeliveredAfterLaterEvents = lateRedeliveries.length;
    faultsInjected.sendsRacingReplies = texts.filter((t) => t.racesReplies).length;
  }

  const settleStartedAt = Date.now();
  const states = await waitForQuiescence(system, numbers, [account.accountId, unverified.accountId], {
    timeoutMs: options.quiescenceTimeoutMs ?? 240_000,
  });
  const settleMs = Date.now() - settleStartedAt;

  const { report, violations } = await checkInvariants({
    system,
    fault: options.fault,
    seed,
    account,
    unverified,
    numbers,
    leadNumber,
    leadId,
    texts,
    states,
    faultsInjected,
    retries,
  });
  if (eventWatch) {
    const events = await eventWatch.settleAndCheck(EVENTS_SETTLE_TIMEOUT_MS);
    report.events = events.figures;
    violations.push(...events.violations);
    await eventWatch.close();
  }
  report.loadMs = loadMs;
  report.phaseMs = phaseMs;
  report.settleMs = settleMs;
  report.totalMs = Date.now() - startedAt;
  if (faultLog.length > 0) console.log(`${options.fault} fault log:\n  ${faultLog.join('\n  ')}`);
  if (violations.length > 0 && faultLog.length > 0) violations.push(`fault log:\n  ${faultLog.join('\n  ')}`);
  return { report, violations };
}

async function queryState(system: FaultSystem, workflowId: string): Promise<ConsentState | undefined> {
  try {
    return await system.client.workflow.getHandle(workflowId).query(getConsentStateQuery);
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return undefined;
    throw error;
  }
}

/**
 * Waits until no text of the accounts is queued or sending, every workflow handled at least the events the driver
 * sent it, and nothing changed over one more poll. Returns each number's workflow state. A text left queued or
 * sending while nothing has moved for STUCK_AFTER_MS (longer than any retry back-off and the reconcile window) is
 * stuck: the wait ends and the checks report it.
 */
async function waitForQuiescence(
  system: FaultSystem,
  numbers: NumberPlan[],
  accountIds: string[],
  options: { timeoutMs: number },
): Promise<Map<number, ConsentState | undefined>> {
  const deadline = Date.now() + options.timeoutMs;
  let previous = '';
  let unchangedSince = Date.now();
  let detail = '';
  for (;;) {
    try {
      const inFlight = await system.db
        .knex('messages')
        .whereIn('account_id', accountIds)
        .whereIn('status', ['queued', 'sending'])
        .orderBy('id')
        .select('id', 'status', 'kind', 'reason', 'send_attempted_at');
      const states = new Map<number, ConsentState | undefined>();
      await runPool(numbers, 16, async (number) => {
        states.set(number.index, await queryState(system, number.workflowId));
      });
      const lagging = numbers.filter((n) => (states.get(n.index)?.eventsHandled ?? 0) < n.minEvents);
      const snapshot = JSON.stringify([
        numbers.map((n) => states.get(n.index)?.eventsHandled ?? 0),
        inFlight.map((row: { id: string; status: string }) => `${row.id}:${row.status}`),
      ]);
      if (snapshot !== previous) unchangedSince = Date.now();
      const isUnchanged = snapshot === previous;
      previous = snapshot;
      if (isUnchanged && lagging.length === 0) {
        if (inFlight.length === 0 || Date.now() - unchangedSince > STUCK_AFTER_MS) return states;
      }
      detail =
        `${inFlight.length} texts queued/sending (${JSON.stringify(inFlight.slice(0, 5))}); ` +
        `${lagging.length} workflows behind: ` +
        lagging
          .slice(0, 5)
          .map((n) => `${n.workflowId} ${states.get(n.index)?.eventsHandled ?? 'none'}/${n.minEvents}`)
          .join(', ');
    } catch (error) {
      previous = '';
      detail = String(error);
    }
    if (Date.now() > deadline) throw new Error(`not quiescent after ${options.timeoutMs} ms: ${detail}`);
    await sleep(QUIESCENCE_POLL_MS);
  }
}

interface LedgerRow {
  id: string;
  lead_id: string | null;
  phone: string | null;
  event_type: string;
  provider_message_id: string | null;
  recorded_at: Date;
}

/**
 * Advisory locks still held in the test database after a few seconds' grace, by backend and key. The in-process
 * worker's lock pool keeps idle connections for the whole run (fault-system.ts), so a lock left on one is still
 * there to be found here.
 */
async function advisoryLocksLeft(knex: FaultSystem['db']['knex']): Promise<unknown[]> {
  for (let attempt = 0; ; attempt += 1) {
    const { rows } = await knex.raw(
      `select l.pid, l.objid, l.granted, a.state from pg_locks l join pg_database d on d.oid = l.database
         left join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and d.datname = current_database() and l.pid <> pg_backend_pid()`,
    );
    if (rows.length === 0 || attempt >= 10) return rows;
    await sleep(500);
  }
}

/** Checks invariants 1-7 and exactly-once delivery; returns the report and every violation. */
async function checkInvariants(input: {
  system: FaultSystem;
  fault: string;
  seed: number;
  account: TestAccount;
  unverified: TestAccount;
  numbers: NumberPlan[];
  leadNumber: number[];
  leadId: (lead: number) => string;
  texts: QueuedText[];
  states: Map<number, ConsentState | undefined>;
  faultsInjected: FaultsInjected;
  retries: RetryCounts;
}): Promise<FaultRunResult> {
  const { system, account, unverified, numbers, leadNumber, leadId, texts, states } = input;
  const knex = system.db.knex;
  const violations: string[] = [];
  const violation = (invariant: string, message: string) => violations.push(`${invariant}: ${message}`);

  // A sender holds its number lock for its session (src/db/number-locks.ts): once every send has settled, no backend
  // may hold one, whatever the run cut, killed or refused on the way.
  const locksLeft = await advisoryLocksLeft(knex);
  if (locksLeft.length > 0)
    violation('invariant 2', `advisory locks outlived their sends: ${JSON.stringify(locksLeft)}`);

  const sandboxTexts = system.sandbox.sent();
  const rows = (await knex('messages')
    .whereIn('account_id', [account.accountId, unverified.accountId])
    .where({ direction: 'outbound' })
    .select('id', 'account_id', 'lead_id', 'phone', 'kind', 'status', 'reason', 'idempotency_key')) as MessageRow[];
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const ledger = (await knex('consent_events')
    .where({ account_id: account.accountId })
    .orderBy('id')
    .select('id', 'lead_id', 'phone', 'event_type', 'provider_message_id', 'recorded_at')) as LedgerRow[];
  const ledgerByLead = new Map<string, LedgerRow[]>();
  for (const event of ledger) {
    if (event.lead_id === null) continue;
    ledgerByLead.set(event.lead_id, [...(ledgerByLead.get(event.lead_id) ?? []), event]);
  }
  const numberByPhone = new Map(numbers.map((n) => [toVonageNumber(n.phone), n]));

  // Invariant 7: nothing for the unverified account, and each of its texts failed with a2p_not_verified.
  const unverifiedSender = toVonageNumber(unverified.senderNumber);
  for (const text of sandboxTexts.filter((t) => t.from === unverifiedSender)) {
    violation('invariant 7', `a text of the unverified account reached the sandbox: ${text.clientRef}`);
  }
  for (const row of rows.filter((r) => r.account_id === unverified.accountId && r.kind === 'lead')) {
    if (row.status !== 'failed' || row.reason !== 'a2p_not_verified') {
      violation('invariant 7', `unverified account's text ${row.id} is ${row.status}/${row.reason}`);
    }
  }

  // Invariants 3, 5 (duplicates), 1, 2 and 4, text by text in the order the sandbox received them.
  const seenRefs = new Map<string, number>();
  const firstKindByLead = new Map<string, string>();
  let duplicates = 0;
  let textsAfterStop = 0;
  let unknownButDelivered = 0;
  for (const text of sandboxTexts) {
    const receivedAt = Date.parse(text.receivedAt);
    if (!text.text.endsWith(FOOTER) || text.text.split(FOOTER).length !== 2) {
      violation('invariant 3', `footer not exactly once at the end: ${JSON.stringify(text.text)}`);
    }
    if (!text.clientRef) {
      violation('invariant 5', `a text without a clientRef reached the sandbox: ${text.messageUuid}`);
      continue;
    }
    const times = (seenRefs.get(text.clientRef) ?? 0) + 1;
    seenRefs.set(text.clientRef, times);
    if (times > 1) {
      duplicates += 1;
      violation('invariant 5', `clientRef ${text.clientRef} reached the sandbox ${times} times`);
      continue;
    }
    const row = rowById.get(text.clientRef);
    if (!row) {
      violation('invariant 5', `sandbox text ${text.clientRef} is no outbound messages row`);
      continue;
    }
    if (!DELIVERED.has(row.status)) {
      if (row.status === 'failed' && row.reason === 'send_outcome_unknown') unknownButDelivered += 1;
      else violation('invariant 5', `text ${row.id} reached the sandbox but its row is ${row.status}/${row.reason}`);
    }
    if (row.account_id !== account.accountId) continue;
    const number = numberByPhone.get(text.to);
    if (row.kind === 'lead' && row.lead_id) {
      // Invariant 1: the lead's last consent event recorded before the send must be its START (or re-subscribe).
      const before = (ledgerByLead.get(row.lead_id) ?? []).filter(
        (event) => LEDGER_LEAD_TYPES.has(event.event_type) && event.recorded_at.getTime() < receivedAt,
      );
      const last = before[before.length - 1];
      if (!last || (last.event_type !== 'opted_in' && last.event_type !== 'resubscribed')) {
        violation(
          'invariant 1',
          `lead ${row.lead_id}'s text ${row.id} reached the sandbox at ${text.receivedAt}; the lead's last ledger ` +
            `event before it is ${last ? `${last.event_type} at ${last.recorded_at.toISOString()}` : 'none'}`,
        );
      }
    }
    // Invariant 2: after a STOP's 2xx, until its START was posted, only the confirmation (and HELP replies).
    if (number?.stopAckAt !== undefined && receivedAt >= number.stopAckAt) {
      const reopenedAt = number.startPostedAt ?? Infinity;
      if (receivedAt < reopenedAt && !ALLOWED_AFTER_STOP.has(row.kind)) {
        textsAfterStop += 1;
        violation(
          'invariant 2',
          `a ${row.kind} text (${row.id}) reached ${number.workflowId} ${receivedAt - number.stopAckAt} ms after ` +
            'its STOP was answered 2xx',
        );
      }
    }
    // Invariant 4: the first text to every lead is its opt-in.
    if (row.lead_id && !firstKindByLead.has(row.lead_id)) {
      firstKindByLead.set(row.lead_id, row.kind);
      if (row.kind !== 'opt_in') {
        violation('invariant 4', `lead ${row.lead_id}'s first text is a ${row.kind} text (${row.id})`);
      }
    }
  }
  for (const number of numbers) {
    const confirmations = sandboxTexts.filter(
      (t) => t.to === toVonageNumber(number.phone) && rowById.get(t.clientRef ?? '')?.kind === 'opt_out_confirmation',
    );
    const stops = number.inbound.filter((i) => i.text === 'STOP').length;
    if (confirmations.length > stops) {
      violation(
        'invariant 2',
        `${number.workflowId} got ${confirmations.length} opt-out confirmations for ${stops} STOP`,
      );
    }
  }

  // Leads whose opt-in outcome was unknown (failed send_outcome_unknown): by design at most once, never resent;
  // their later texts wait for a fresh opt-in or fail with the same reason. Counted apart, never as lost.
  const unknownLeads = new Set(
    rows
      .filter((r) => r.account_id === account.accountId && r.reason === 'send_outcome_unknown' && r.lead_id)
      .map((r) => r.lead_id!),
  );

  for (const lead of leadNumber.keys()) {
    if (!firstKindByLead.has(leadId(lead)) && !unknownLeads.has(leadId(lead))) {
      violation('invariant 4', `lead ${leadId(lead)} never received its opt-in`);
    }
  }

  // Invariant 5: every queued text in exactly one terminal state (held only where no START came), one row per
  // idempotency key, and every text the driver expected delivered reached the sandbox exactly once.
  let lost = 0;
  let unknownNotResent = 0;
  let held = 0;
  let cancelledOrBlocked = 0;
  let textsSent = 0;
  const rowsByKey = new Map<string, MessageRow[]>();
  for (const row of rows) {
    if (row.idempotency_key) rowsByKey.set(row.idempotency_key, [...(rowsByKey.get(row.idempotency_key) ?? []), row]);
  }
  for (const text of texts) {
    const keyed = rowsByKey.get(text.key) ?? [];
    if (keyed.length !== 1) {
      violation('invariant 5', `idempotency key ${text.key} has ${keyed.length} messages rows`);
      continue;
    }
    const row = keyed[0]!;
    if (text.messageIdsSeen.size !== 1 || !text.messageIdsSeen.has(row.id)) {
      violation(
        'invariant 5',
        `key ${text.key} was answered with ${[...text.messageIdsSeen].join(', ')}, row ${row.id}`,
      );
    }
    if (text.accountId !== account.accountId) continue;
    const number = numbers[leadNumber[text.lead]!]!;
    const inSandbox = seenRefs.get(row.id) ?? 0;
    if (DELIVERED.has(row.status)) textsSent += 1;
    if (row.status === 'held') held += 1;
    if (row.status === 'cancelled' || row.status === 'blocked') cancelledOrBlocked += 1;
    if (DELIVERED.has(row.status) && inSandbox !== 1) {
      lost += 1;
      violation('lost', `text ${row.id} is ${row.status} in Postgres but reached the sandbox ${inSandbox} times`);
      continue;
    }
    const isUnknown = row.reason === 'send_outcome_unknown' || unknownLeads.has(leadId(text.lead));
    if (row.status === 'failed' && row.reason === 'send_outcome_unknown') unknownNotResent += inSandbox === 0 ? 1 : 0;
    const expected = expectationOf(text, number);
    if (!TERMINAL.has(row.status) && row.status !== 'held') {
      violation(
        'invariant 5',
        `text ${row.id} (${text.phase}, plan ${number.plan}) is stuck ${row.status}; POST /v1/messages answered ` +
          `${text.answer?.status} ${JSON.stringify(text.answer?.body)}`,
      );
      if (expected === 'delivered') lost += 1;
      continue;
    }
    const outcome = DELIVERED.has(row.status) ? 'delivered' : row.status === 'held' ? 'held' : 'not_delivered';
    if (expected === 'any' || expected === outcome) continue;
    if (isUnknown) continue;
    if (expected === 'delivered') {
      lost += 1;
      violation('lost', `text ${row.id} (${text.phase}, plan ${number.plan}) ended ${row.status}/${row.reason}`);
    } else if (outcome === 'held') {
      violation('invariant 5', `text ${row.id} (${text.phase}, plan ${number.plan}) is still held`);
    } else {
      violation(
        'consent table',
        `text ${row.id} (${text.phase}, plan ${number.plan}) ended ${row.status}/${row.reason}, expected ${expected}`,
      );
    }
  }

  for (const row of rows.filter((r) => r.kind !== 'lead' && !TERMINAL.has(r.status))) {
    violation('invariant 5', `${row.kind} text ${row.id} is stuck ${row.status}`);
  }

  // Invariant 6: every START/STOP answered 2xx is in the ledger; Postgres and the workflows agree on the outcome.
  const dncRows = (await knex('do_not_contact').where({ account_id: account.accountId }).select('phone')) as {
    phone: string;
  }[];
  const onDnc = new Set(dncRows.map((r) => r.phone));
  const consents = (await knex('lead_consents')
    .where({ account_id: account.accountId })
    .select('lead_id', 'status')) as { lead_id: string; status: string | null }[];
  const consentByLead = new Map(consents.map((c) => [c.lead_id, c.status]));
  for (const number of numbers) {
    for (const inbound of number.inbound) {
      if (inbound.ackAt === undefined) continue;
      const events = ledger.filter((e) => e.provider_message_id === inbound.uuid).map((e) => e.event_type);
      const wanted = inbound.text === 'STOP' ? ['opted_out'] : ['opted_in', 'resubscribed'];
      const isStartWithNothingWaiting =
        inbound.text === 'START' &&
        number.plan === 'start' &&
        number.leads.every((lead) => unknownLeads.has(leadId(lead)));
      if (!events.some((e) => wanted.includes(e)) && !isStartWithNothingWaiting) {
        violation(
          'invariant 6',
          `${inbound.text} ${inbound.uuid} to ${number.workflowId} was answered 2xx but the ledger has ` +
            `${JSON.stringify(events)}`,
        );
      }
    }
    const shouldBeOnDnc = number.plan === 'stop';
    if (onDnc.has(number.phone) !== shouldBeOnDnc) {
      violation(
        'invariant 6',
        `${number.workflowId} (plan ${number.plan}) on Do Not Contact: ${onDnc.has(number.phone)}`,
      );
    }
    const state = states.get(number.index);
    if (state && state.isOptedOut !== onDnc.has(number.phone)) {
      violation(
        'consistency',
        `${number.workflowId}: the workflow has isOptedOut ${state.isOptedOut}, Postgres Do Not Contact ` +
          `${onDnc.has(number.phone)}`,
      );
    }
    const expectedStatus = { start: 'accepted', stop: 'rejected', stopStart: 'accepted', none: 'sent' }[number.plan];
    for (const lead of number.leads) {
      const id = leadId(lead);
      const status = consentByLead.get(id);
      if (!unknownLeads.has(id) && status !== expectedStatus) {
        violation(
          'consent table',
          `lead ${id} (plan ${number.plan}) is ${status} in Postgres, expected ${expectedStatus}`,
        );
      }
      const workflowStatus = state?.leads[id]?.status;
      if ((workflowStatus ?? null) !== (status ?? null)) {
        violation('consistency', `lead ${id}: workflow says ${workflowStatus}, Postgres ${status}`);
      }
      if (
        status === 'accepted' &&
        !(ledgerByLead.get(id) ?? []).some((e) => /opted_in|resubscribed/.test(e.event_type))
      ) {
        violation('invariant 6', `lead ${id} is accepted without an opted_in/resubscribed ledger row`);
      }
      if (status === 'rejected' && !(ledgerByLead.get(id) ?? []).some((e) => e.event_type === 'opted_out')) {
        violation('invariant 6', `lead ${id} is rejected without an opted_out ledger row`);
      }
    }
  }
  // The ledger is append-only even under faults: an UPDATE is refused.
  const anyEvent = ledger[0];
  if (anyEvent) {
    const refused = await knex('consent_events')
      .where({ id: anyEvent.id })
      .update({ source: 'tampered' })
      .then(
        () => false,
        () => true,
      );
    if (!refused) violation('invariant 6', 'an UPDATE of consent_events was not refused');
  }

  const report: FaultReport = {
    fault: input.fault,
    seed: input.seed,
    leads: leadNumber.length,
    numbers: numbers.length,
    textsQueued: texts.filter((t) => t.accountId === account.accountId).length,
    textsSent,
    sandboxTexts: sandboxTexts.length,
    optInsSent: sandboxTexts.filter((t) => rowById.get(t.clientRef ?? '')?.kind === 'opt_in').length,
    held,
    cancelledOrBlocked,
    faultsInjected: input.faultsInjected,
    callerRetries: input.retries,
    lost,
    duplicates,
    textsToDoNotContactAfterStop: textsAfterStop,
    unknownOutcomeNotResent: unknownNotResent,
    unknownOutcomeButDelivered: unknownButDelivered,
    invariantViolations: violations.filter((v) => !v.startsWith('lost')).length,
    loadMs: 0,
    settleMs: 0,
    totalMs: 0,
  };
  return { report, violations };
}

/** What must have become of a queued text, from the number's plan and the driver's clock. */
function expectationOf(text: QueuedText, number: NumberPlan): Expectation {
  if (text.phase === 'initial') {
    return { start: 'delivered', stop: 'not_delivered', stopStart: 'not_delivered', none: 'held' }[
      number.plan
    ] as Expectation;
  }
  switch (number.plan) {
    case 'start':
      return 'delivered';
    case 'stop':
      return 'not_delivered';
    case 'none':
      return 'held';
    case 'stopStart':
      if (!text.racesReplies) return 'delivered';
      // Racing STOP then START: after the START was answered it must go out; before the STOP, it was held and
      // cancelled; in between, blocked or (once START is in) sent: the invariant checks judge those.
      if (text.firstPostAt !== undefined && number.startAckAt !== undefined && text.firstPostAt > number.startAckAt) {
        return 'delivered';
      }
      return 'any';
  }
}

/**
 * Declares one fault test: a fault system with its worker processes, one run of the load while `inject` breaks the
 * system, then the report and the assertions every fault must keep (`reportAndAssert`).
 */
export function describeFaultTest(options: FaultTestOptions): void {
  const { title, expectation, system: systemOptions, workerCount = 1, inject, ...runOptions } = options;
  describe(title, () => {
    let system: FaultSystem;

    before(async () => {
      system = await startFaultSystem(systemOptions);
      await Promise.all(Array.from({ length: workerCount }, () => system.spawnWorker({ waitUntilPolling: true })));
    });
    after(async () => {
      await system?.close();
    });

    it(expectation, { timeout: FAULT_TEST_TIMEOUT_MS }, async () => {
      const result = await runFaultScenario(system, { ...runOptions, inject: (context) => inject(system, context) });

      reportAndAssert(result);
    });
  });
}

/** Unknown outcomes are the documented residual window: allowed, but rare. */
const MAX_UNKNOWN_SHARE = 0.03;

/**
 * Writes the report, then asserts what every fault must keep: no violation of invariants 1-7, nothing lost, no
 * duplicate, no text to a number after its STOP, and few unknown outcomes (each sent at most once).
 */
export function reportAndAssert(result: FaultRunResult): void {
  const { report, violations } = result;
  writeReport(report);
  assert.deepEqual(violations.slice(0, 40), [], `${violations.length} violations (first 40 shown)`);
  assert.equal(report.lost, 0, 'lost');
  assert.equal(report.duplicates, 0, 'duplicates');
  assert.equal(report.textsToDoNotContactAfterStop, 0, 'texts after STOP');
  assert.equal(report.invariantViolations, 0, 'invariant violations');
  if (report.events) {
    assert.equal(report.events.lost, 0, 'events lost');
    assert.equal(report.events.outOfOrder, 0, 'events out of order');
    assert.equal(report.events.signatureFailures, 0, 'event signatures not verified');
    assert.equal(report.events.unknownAcknowledged, 0, 'acknowledged events that are no crm_events row');
  }
  const unknown = report.unknownOutcomeNotResent + report.unknownOutcomeButDelivered;
  assert.ok(unknown <= Math.ceil(report.textsQueued * MAX_UNKNOWN_SHARE), `${unknown} unknown outcomes: not rare`);
}

/** Adds (or replaces) this fault's row in test-results/fault-report.json and prints every row as a table. */
export function writeReport(report: FaultReport): void {
  mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  let rows: FaultReport[] = [];
  if (existsSync(REPORT_FILE)) {
    try {
      rows = (JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as { faults: FaultReport[] }).faults ?? [];
    } catch {
      rows = [];
    }
  }
  rows = [...rows.filter((row) => row.fault !== report.fault), report].sort((a, b) => a.fault.localeCompare(b.fault));
  writeFileSync(REPORT_FILE, `${JSON.stringify({ updatedAt: new Date().toISOString(), faults: rows }, null, 2)}\n`);
  console.log(formatTable(rows, report.fault));
}

function formatTable(rows: FaultReport[], current: string): string {
  const columns: [string, (r: FaultReport) => string][] = [
    ['fault', (r) => `${r.fault === current ? '*' : ' '}${r.fault}`],
    ['leads', (r) => String(r.leads)],
    ['queued', (r) => String(r.textsQueued)],
    ['sent', (r) => String(r.textsSent)],
    ['sandbox', (r) => String(r.sandboxTexts)],
    [
      'faults injected',
      (r) =>
        Object.entries(r.faultsInjected)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
    ],
    ['caller retries', (r) => String(Object.values(r.callerRetries).reduce((a, b) => a + b, 0))],
    ['lost', (r) => String(r.lost)],
    ['dup', (r) => String(r.duplicates)],
    ['after STOP', (r) => String(r.textsToDoNotContactAfterStop)],
    ['unknown', (r) => `${r.unknownOutcomeNotResent}+${r.unknownOutcomeButDelivered}`],
    ['violations', (r) => String(r.invariantViolations)],
    ['events', (r) => (r.events ? String(r.events.recorded) : '-')],
    ['ev lost', (r) => (r.events ? String(r.events.lost) : '-')],
    ['ev dup', (r) => (r.events ? String(r.events.duplicates) : '-')],
    ['ev order', (r) => (r.events ? String(r.events.outOfOrder) : '-')],
    ['ev sig', (r) => (r.events ? String(r.events.signatureFailures) : '-')],
    ['ev 500s', (r) => (r.events ? `${r.events.failuresInjected}/${r.events.attempts}` : '-')],
    ['ev s', (r) => (r.events ? (r.events.settleMs / 1000).toFixed(0) : '-')],
    ['s', (r) => (r.totalMs / 1000).toFixed(0)],
  ];
  const cells = [columns.map(([name]) => name), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  return [
    '',
    'Fault report (test-results/fault-report.json); unknown = outcome unknown, not resent + delivered but failed;',
    'events = crm_events rows, ev lost = never acknowledged, ev dup = acknowledged again, ev order = first',
    'acknowledged before a lower id of its number, ev sig = unverified signatures, ev 500s = 500 answers/attempts,',
    'ev s = wait for the last acknowledgements after the checks',
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.slice(1).map(line),
    '',
  ].join('\n');
}
