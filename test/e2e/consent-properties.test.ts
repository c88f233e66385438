import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FOOTER } from '../../src/consent/footer';
import { phoneKeyOf } from '../../src/phone';
import {
  getConsentStateQuery,
  smsConsentWorkflowId,
  type ConsentState,
  type LeadOptInStatus,
} from '../../workflows/sms-consent.contract';
import {
  ConsentModel,
  type ExpectedText,
  type OutboundKind,
  type QueuePrediction,
  type ReplyIntent,
} from '../support/consent-model';
import { PHONE_HASH_KEY, type TestAccount, type TestSystem } from '../support/system';
import type { MessageRow } from '../support/database';
import { startSystemPerFile } from '../support/system-per-file';
import { inboundBody, postWebhook } from '../support/webhooks';

// Budget: the whole file must finish in about three minutes on two cores, shrinking included.
// CONSENT_PROPERTIES_RUNS, _SEED and _PATH replay or widen a run from the command line.
const NUM_RUNS = Number(process.env.CONSENT_PROPERTIES_RUNS ?? 12);
const MAX_STEPS = 12;
const NUMBER_COUNT = 2;
const LEAD_COUNT = 3;
const QUIESCENCE_TIMEOUT_MS = 20_000;
// Once a counterexample is found, shrinking gets this long; later candidates pass untried, so fast-check reports
// the smallest failing sequence found by then.
const SHRINK_BUDGET_MS = 60_000;

const TERMINAL_STATUSES = new Set(['sent', 'delivered', 'failed', 'blocked', 'cancelled', 'expired']);
const ALLOWED_AFTER_STOP = new Set<OutboundKind>(['opt_out_confirmation', 'help_reply']);

type Reply = { text: string; intent: ReplyIntent };

/** Replies whose meaning docs/keywords.md fixes; the model is told the intent, never the text. */
const REPLIES = {
  stop: { text: 'STOP', intent: 'opt_out' },
  stopPlease: { text: 'stop please', intent: 'opt_out' },
  unsubscribe: { text: 'UNSUBSCRIBE', intent: 'opt_out' },
  start: { text: 'START', intent: 'opt_in' },
  yes: { text: 'YES', intent: 'opt_in' },
  unstop: { text: 'UNSTOP', intent: 'opt_in' },
  help: { text: 'HELP', intent: 'help' },
  other: { text: 'who is this?', intent: 'other' },
} as const satisfies Record<string, Reply>;

/** The real side of one run: fresh numbers and lead ids, and what the checks have seen so far. */
interface RunContext {
  tag: string;
  phones: string[];
  leadIds: string[];
  step: number;
  /** How many sandbox texts to each number the checks have already looked at. */
  textsSeen: number[];
  /** When a STOP from the number was answered 2xx, until the next START: only the confirmation and HELP after it. */
  stopAcknowledgedAt: (number | undefined)[];
  /** The first text kind each lead received (invariant 4). */
  firstKindByLead: Map<string, string>;
}

type ConsentCommand = fc.AsyncCommand<ConsentModel, RunContext>;

const counts = { runs: 0, steps: 0, texts: 0 };
let system: TestSystem;
let account: TestAccount;
const usedPhones = new Set<string>();
const clientRefsSent = new Set<string>();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `sent` and `delivered` are the same outcome for the model; a delivery receipt may or may not have arrived. */
const asModelStatus = (status: unknown): unknown => (status === 'delivered' ? 'sent' : status);

/** newLeadPhone() draws from 10,000 lines, so two runs could collide; every run needs numbers no run used. */
function freshPhone(): string {
  for (;;) {
    const phone = system.newLeadPhone();
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
}

function newRun(model: ConsentModel): RunContext {
  const tag = randomUUID().slice(0, 8);
  return {
    tag,
    phones: model.numbers.map(freshPhone),
    leadIds: model.leads.map((_, lead) => `lead-${tag}-${lead}`),
    step: 0,
    textsSeen: model.numbers.map(() => 0),
    stopAcknowledgedAt: model.numbers.map(() => undefined),
    firstKindByLead: new Map(),
  };
}

/** Starts a step: numbered in failure messages, counted, and the model's per-step history reset. */
function beginStep(model: ConsentModel, run: RunContext, command: ConsentCommand): string {
  run.step += 1;
  counts.steps += 1;
  model.beginStep();
  return `step ${run.step} (${command.toString()})`;
}

async function queueText(body: { leadId: string; phone: string; body: string; idempotencyKey?: string }) {
  return system.api('POST', '/v1/messages', { key: account.agentKey, body });
}

/** Posts a signed inbound SMS; returns when its 200 arrived. */
async function replyFrom(body: ReturnType<typeof inboundBody>, step: string): Promise<number> {
  const response = await postWebhook(system.apiUrl, '/webhooks/vonage/inbound', body);
  assert.equal(
    response.status,
    200,
    `${step}: inbound webhook answered ${response.status} ${JSON.stringify(response.body)}`,
  );
  return Date.now();
}

/** Records a reply's 2xx for invariant 2: STOP opens the window in which only the confirmation and HELP may go. */
function acknowledge(run: RunContext, number: number, intent: ReplyIntent, answeredAt: number): void {
  if (intent === 'opt_out') run.stopAcknowledgedAt[number] ??= answeredAt;
  if (intent === 'opt_in') run.stopAcknowledgedAt[number] = undefined;
}

function assertQueueAnswer(
  step: string,
  response: { status: number; body: any },
  prediction: QueuePrediction,
): asserts response is { status: number; body: { messageId: string } } {
  assert.equal(response.status, prediction.isDuplicate ? 200 : 202, `${step}: HTTP ${JSON.stringify(response.body)}`);
  assert.deepEqual(
    {
      status: asModelStatus(response.body.status),
      optIn: response.body.optIn,
      duplicate: response.body.duplicate,
      ...(prediction.messageId ? { messageId: response.body.messageId } : {}),
    },
    {
      status: prediction.status,
      optIn: prediction.optIn,
      duplicate: prediction.isDuplicate,
      ...(prediction.messageId ? { messageId: prediction.messageId } : {}),
    },
    `${step}: the API's answer differs from the model's prediction`,
  );
  assert.equal(typeof response.body.messageId, 'string', `${step}: no messageId`);
}

async function queryState(phone: string): Promise<ConsentState> {
  const workflowId = smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY));
  return system.client.workflow.getHandle(workflowId).query(getConsentStateQuery);
}

/**
 * Waits until every number's workflow has handled every event the model sent it and no text of the account is
 * queued or sending; returns each number's workflow state (undefined for a number that had no event yet).
 */
async function waitForQuiescence(model: ConsentModel, run: RunContext): Promise<(ConsentState | undefined)[]> {
  const deadline = Date.now() + QUIESCENCE_TIMEOUT_MS;
  for (;;) {
    let detail: string;
    try {
      const [inFlight] = await system.db
        .knex('messages')
        .where({ account_id: account.accountId })
        .whereIn('status', ['queued', 'sending'])
        .count<{ count: string }[]>('* as count');
      const states = await Promise.all(
        model.numbers.map((number, index) => (number.eventsHandled === 0 ? undefined : queryState(run.phones[index]!))),
      );
      const isCaughtUp = states.every(
        (state, index) => state === undefined || state.eventsHandled >= model.numbers[index]!.eventsHandled,
      );
      if (Number(inFlight?.count) === 0 && isCaughtUp) return states;
      detail =
        `${inFlight?.count} texts queued/sending; eventsHandled ` +
        `${JSON.stringify(states.map((s) => s?.eventsHandled ?? 0))}, model ` +
        `${JSON.stringify(model.numbers.map((n) => n.eventsHandled))}`;
    } catch (error) {
      detail = String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`step ${run.step}: not quiescent after ${QUIESCENCE_TIMEOUT_MS} ms: ${detail}`);
    }
    await pause(25);
  }
}

/** A number's outbound texts, oldest first, for failure messages. */
async function outboundHistory(phone: string): Promise<string> {
  const rows = await system.db
    .knex('messages')
    .where({ account_id: account.accountId, phone, direction: 'outbound' })
    .orderBy('created_at')
    .select('id', 'kind', 'lead_id', 'status', 'reason', 'created_at', 'updated_at');
  return JSON.stringify(rows, null, 1);
}

/**
 * Waits for quiescence, then checks invariants 1-5 on the texts the sandbox received in this step and the model
 * against the sandbox, Postgres, the API and the workflows. `expected[number]` lists the texts the model sent there.
 */
async function settleAndCheck(
  model: ConsentModel,
  run: RunContext,
  step: string,
  expected: ExpectedText[][],
): Promise<void> {
  const states = await waitForQuiescence(model, run);

  const newTexts = run.phones.map((phone, index) => {
    const all = system.sandbox.sent({ to: phone });
    const fresh = all.slice(run.textsSeen[index]);
    run.textsSeen[index] = all.length;
    return fresh;
  });
  const clientRefs = newTexts.flat().flatMap((text) => (text.clientRef ? [text.clientRef] : []));
  const rows = new Map(
    (await system.db.knex<MessageRow>('messages').whereIn('id', clientRefs)).map((row) => [row.id, row]),
  );

  for (const [index, texts] of newTexts.entries()) {
    const actual: ExpectedText[] = [];
    for (const text of texts) {
      counts.texts += 1;
      assert.ok(
        text.text.endsWith(FOOTER) && text.text.split(FOOTER).length === 2,
        `${step}: invariant 3 (footer exactly once, at the end) broken: ${JSON.stringify(text.text)}`,
      );
      assert.ok(text.clientRef, `${step}: a text reached the sandbox without a clientRef: ${JSON.stringify(text)}`);
      assert.ok(
        !clientRefsSent.has(text.clientRef),
        `${step}: invariant 5 (sent at most once) broken: clientRef ${text.clientRef} reached the sandbox twice`,
      );
      clientRefsSent.add(text.clientRef);
      const row = rows.get(text.clientRef);
      assert.ok(row, `${step}: clientRef ${text.clientRef} is no messages row`);
      assert.equal(row.phone, run.phones[index], `${step}: message ${row.id} went to another number`);
      const kind = row.kind as OutboundKind;
      const lead = row.lead_id === null ? undefined : run.leadIds.indexOf(row.lead_id);

      if (kind === 'lead') {
        assert.ok(lead !== undefined && lead >= 0, `${step}: lead text ${row.id} of an unknown lead`);
        assert.ok(
          model.acceptedThisStep.has(lead) && model.messages.get(row.id)?.status === 'sent',
          `${step}: invariant 1 (no lead content before the opt-in is accepted) broken: lead${lead}'s text ` +
            `${row.id} went out; the model has the lead ${model.leads[lead] ?? 'never queued'} and the text ` +
            `${model.messages.get(row.id)?.status ?? 'unknown'}`,
        );
      }
      const stopAt = run.stopAcknowledgedAt[index];
      if (stopAt !== undefined && Date.parse(text.receivedAt) > stopAt) {
        assert.ok(
          ALLOWED_AFTER_STOP.has(kind),
          `${step}: invariant 2 (after STOP only the opt-out confirmation and HELP) broken: a ${kind} text went to ` +
            `phone${index} ${Date.parse(text.receivedAt) - stopAt} ms after its STOP was answered 2xx`,
        );
      }
      if (row.lead_id !== null && !run.firstKindByLead.has(row.lead_id)) {
        run.firstKindByLead.set(row.lead_id, kind);
        assert.equal(
          kind,
          'opt_in',
          `${step}: invariant 4 (the first text to every lead is its opt-in) broken: lead${lead}'s first text is ` +
            `a ${kind} text (${row.id})`,
        );
      }
      actual.push({
        kind,
        ...(lead !== undefined && (kind === 'lead' || kind === 'opt_in') ? { lead } : {}),
        ...(kind === 'lead' ? { messageId: row.id } : {}),
      });
    }
    if (!isDeepStrictEqual(actual, expected[index] ?? [])) {
      assert.deepEqual(
        actual,
        expected[index] ?? [],
        `${step}: the texts sent to phone${index} differ from the model's; its outbound texts in Postgres: ` +
          `${await outboundHistory(run.phones[index]!)}; its workflow state: ${JSON.stringify(states[index])}`,
      );
    }
  }

  const sandboxRefs = run.phones.flatMap((phone) => system.sandbox.sent({ to: phone }).map((text) => text.clientRef));
  assert.equal(new Set(sandboxRefs).size, sandboxRefs.length, `${step}: invariant 5: a clientRef appears twice`);

  const leadRows = await system.db
    .knex<MessageRow>('messages')
    .where({ account_id: account.accountId, kind: 'lead' })
    .whereIn('phone', run.phones);
  assert.equal(
    leadRows.length,
    model.messages.size,
    `${step}: ${leadRows.length} lead texts in Postgres, the model queued ${model.messages.size} (a retry made a second?)`,
  );
  for (const row of leadRows) {
    const message = model.messages.get(row.id);
    assert.ok(message, `${step}: lead text ${row.id} in Postgres is unknown to the model`);
    if (message.status !== 'held') {
      assert.ok(
        TERMINAL_STATUSES.has(row.status),
        `${step}: invariant 5 (one terminal state) broken: text ${row.id} is ${row.status}, the model has it ` +
          message.status,
      );
    }
    assert.equal(asModelStatus(row.status), message.status, `${step}: lead${message.lead}'s text ${row.id} status`);
  }

  for (const [lead, leadId] of run.leadIds.entries()) {
    const consent = await system.api('GET', `/v1/leads/${leadId}/consent`, { key: account.agentKey });
    const expectedStatus = model.leads[lead];
    if (expectedStatus === undefined) {
      assert.equal(consent.status, 404, `${step}: lead${lead} was never queued: ${JSON.stringify(consent.body)}`);
    } else {
      assert.equal(consent.status, 200, `${step}: GET consent of lead${lead}: ${JSON.stringify(consent.body)}`);
      assert.equal(consent.body.status, expectedStatus, `${step}: lead${lead}'s consent status from the API`);
    }
  }

  for (const [index, state] of states.entries()) {
    if (!state) continue;
    const number = model.numbers[index]!;
    assert.ok(
      state.eventsHandled <= number.eventsHandled + number.eventsUncertain,
      `${step}: phone${index}'s workflow handled ${state.eventsHandled} events, more than the ` +
        `${number.eventsHandled} sent to it (a redelivered webhook or an ordinary reply counted as an event?)`,
    );
    number.eventsHandled = state.eventsHandled;
    number.eventsUncertain = 0;
    assert.equal(state.isOptedOut, number.isOptedOut, `${step}: phone${index}'s isOptedOut in the workflow`);
    assert.deepEqual(
      state.held.map((held) => held.messageId),
      number.held,
      `${step}: phone${index}'s held texts in the workflow`,
    );
    const workflowLeads: Record<string, LeadOptInStatus | undefined> = {};
    const modelLeads: Record<string, LeadOptInStatus | undefined> = {};
    for (const lead of model.leadsOf(index)) {
      workflowLeads[`lead${lead}`] = state.leads[run.leadIds[lead]!]?.status;
      modelLeads[`lead${lead}`] = model.leads[lead];
    }
    assert.deepEqual(workflowLeads, modelLeads, `${step}: phone${index}'s lead statuses in the workflow`);
  }
}

const onNumber = (model: ConsentModel, number: number, texts: ExpectedText[]): ExpectedText[][] =>
  model.numbers.map((_, index) => (index === number ? texts : []));

/** POST /v1/messages for a lead, a new text, sometimes with a fresh idempotency key. */
class QueueText implements ConsentCommand {
  constructor(
    readonly lead: number,
    readonly withKey = false,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);
    const number = model.numberOf(this.lead);
    const leadId = run.leadIds[this.lead]!;
    const body = `Text ${run.step} for ${leadId}: the house on Elm St is available.`;
    const idempotencyKey = this.withKey ? `key-${run.tag}-${run.step}` : undefined;
    const { prediction } = model.predictQueue(this.lead);

    const response = await queueText({ leadId, phone: run.phones[number]!, body, idempotencyKey });

    assertQueueAnswer(step, response, prediction);
    const texts = model.recordQueued(this.lead, response.body.messageId, body, idempotencyKey);
    await settleAndCheck(model, run, step, onNumber(model, number, texts));
  }

  toString(): string {
    return `queue(lead${this.lead}${this.withKey ? ', idempotencyKey' : ''})`;
  }
}

/** A client retry after the answer: POST /v1/messages again with an earlier request's idempotency key and body. */
class RetryQueuedText implements ConsentCommand {
  constructor(readonly pick: number) {}

  check(model: ConsentModel): boolean {
    return model.keyed.length > 0;
  }

  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);
    const original = model.keyed[this.pick % model.keyed.length]!;
    const prediction = model.predictRetry(original);

    const response = await queueText({
      leadId: run.leadIds[original.lead]!,
      phone: run.phones[model.numberOf(original.lead)]!,
      body: original.body,
      idempotencyKey: original.idempotencyKey,
    });

    assertQueueAnswer(step, response, prediction);
    await settleAndCheck(model, run, step, onNumber(model, 0, []));
  }

  toString(): string {
    return `retryQueue(idempotencyKey of the ${this.pick}th keyed queue, modulo their count)`;
  }
}

/** Two requests about one lead, the second `delayMs` after the first; always possible. */
abstract class RaceOnLead {
  constructor(
    readonly lead: number,
    readonly delayMs: number,
  ) {}

  check(): boolean {
    return true;
  }
}

/**
 * A client retry racing its original: two POST /v1/messages with one new idempotency key, the second `delayMs`
 * later. One message, one 202 and one 200 with the same messageId; the workflow may hear of one or of both.
 */
class QueueTextRetriedAtOnce extends RaceOnLead implements ConsentCommand {
  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);
    const number = model.numberOf(this.lead);
    const request = {
      leadId: run.leadIds[this.lead]!,
      phone: run.phones[number]!,
      body: `Text ${run.step} for ${run.leadIds[this.lead]}: can we meet at 5?`,
      idempotencyKey: `key-${run.tag}-${run.step}`,
    };
    const { prediction } = model.predictQueue(this.lead);

    const responses = await Promise.all([queueText(request), pause(this.delayMs).then(() => queueText(request))]);

    const originals = responses.filter((response) => response.body.duplicate === false);
    const retries = responses.filter((response) => response.body.duplicate === true);
    assert.equal(originals.length, 1, `${step}: one answer must be the original: ${JSON.stringify(responses)}`);
    assert.equal(retries.length, 1, `${step}: one answer must be the duplicate: ${JSON.stringify(responses)}`);
    const [original, retry] = [originals[0]!, retries[0]!];
    assertQueueAnswer(step, original, prediction);
    assert.equal(retry.body.messageId, original.body.messageId, `${step}: the retry got another messageId`);
    // A retry answered from Postgres while the original is still in the workflow shows it queued or sending.
    assert.ok(
      [prediction.status, 'queued', 'sending'].includes(asModelStatus(retry.body.status) as string),
      `${step}: the retry answered ${JSON.stringify(retry.body)}; the model has the text ${prediction.status}`,
    );
    const texts = model.recordQueued(this.lead, original.body.messageId, request.body, request.idempotencyKey);
    model.numbers[number]!.eventsUncertain += 1;
    await settleAndCheck(model, run, step, onNumber(model, number, texts));
  }

  override toString(): string {
    return `queueRetriedAtOnce(lead${this.lead}, retry after ${this.delayMs} ms)`;
  }
}

/** A signed inbound SMS from a number, delivered once or redelivered with the same message_uuid. */
class ReplyFromNumber implements ConsentCommand {
  constructor(
    readonly number: number,
    readonly reply: Reply,
    readonly deliveries = 1,
    readonly restartsWorker = false,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);
    const phone = run.phones[this.number]!;
    const body = inboundBody({ from: phone, to: account.senderNumber, text: this.reply.text });

    acknowledge(run, this.number, this.reply.intent, await replyFrom(body, step));
    if (this.restartsWorker) {
      await system.stopInProcessWorker();
      await system.startInProcessWorker();
    }
    for (let delivery = 2; delivery <= this.deliveries; delivery += 1) await replyFrom(body, step);

    const texts = model.receiveReply(this.number, this.reply.intent);
    await settleAndCheck(model, run, step, onNumber(model, this.number, texts));
  }

  toString(): string {
    const redelivered = this.deliveries > 1 ? ` x${this.deliveries} same message_uuid` : '';
    const restart = this.restartsWorker ? ', worker restarted right after the 200' : '';
    return `reply(phone${this.number}, ${JSON.stringify(this.reply.text)}${redelivered}${restart})`;
  }
}

/**
 * A STOP from the lead's number racing a new text for the lead: both at once, the STOP `delayMs` later. Either may
 * reach the workflow first; the queue answer tells which, and invariant 2 is checked against the STOP's 2xx time.
 */
class QueueTextRacingStop extends RaceOnLead implements ConsentCommand {
  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);
    const number = model.numberOf(this.lead);
    const phone = run.phones[number]!;
    const leadId = run.leadIds[this.lead]!;
    const body = `Text ${run.step} for ${leadId}: price reduced today.`;
    const stop = inboundBody({ from: phone, to: account.senderNumber, text: REPLIES.stop.text });
    const leadBefore = model.leads[this.lead];
    const { prediction: queuedFirst } = model.predictQueue(this.lead);

    const [response, stoppedAt] = await Promise.all([
      queueText({ leadId, phone, body }),
      pause(this.delayMs).then(() => replyFrom(stop, step)),
    ]);

    acknowledge(run, number, 'opt_out', stoppedAt);
    assert.equal(response.status, 202, `${step}: HTTP ${JSON.stringify(response.body)}`);
    const status = asModelStatus(response.body.status);
    assert.ok(
      status === queuedFirst.status || status === 'blocked',
      `${step}: answered ${JSON.stringify(response.body)}; the model allows ${queuedFirst.status} or blocked`,
    );
    // Blocked: the STOP came first, or the send gate saw its Do Not Contact row. A lead that had seen its opt-in
    // ends rejected; one that had not stays not_sent; the answer may show the status it had when the gate refused.
    const isQueuedFirst = status !== 'blocked' || queuedFirst.status === 'blocked';
    const optIns = isQueuedFirst ? [queuedFirst.optIn] : ['rejected', 'not_sent', leadBefore];
    assert.ok(optIns.includes(response.body.optIn), `${step}: answered ${JSON.stringify(response.body)}`);
    const texts = isQueuedFirst
      ? [...model.recordQueued(this.lead, response.body.messageId, body), ...model.receiveReply(number, 'opt_out')]
      : [...model.receiveReply(number, 'opt_out'), ...model.recordQueued(this.lead, response.body.messageId, body)];
    await settleAndCheck(model, run, step, onNumber(model, number, texts));
  }

  override toString(): string {
    return `queueRacingStop(lead${this.lead}, STOP after ${this.delayMs} ms)`;
  }
}

/** Stops and starts the in-process worker between steps: workflows replay, activities run on a new worker. */
class RestartWorker implements ConsentCommand {
  check(): boolean {
    return true;
  }

  async run(model: ConsentModel, run: RunContext): Promise<void> {
    const step = beginStep(model, run, this);

    await system.stopInProcessWorker();
    await system.startInProcessWorker();

    await settleAndCheck(model, run, step, onNumber(model, 0, []));
  }

  toString(): string {
    return 'restartWorker()';
  }
}

const leadArb = fc.integer({ min: 0, max: LEAD_COUNT - 1 });
const queueArb = fc.tuple(leadArb, fc.boolean()).map(([lead, withKey]): ConsentCommand => new QueueText(lead, withKey));
const retryArb = fc.nat({ max: 9 }).map((pick): ConsentCommand => new RetryQueuedText(pick));
const retriedAtOnceArb = fc
  .tuple(leadArb, fc.constantFrom(0, 5, 30))
  .map(([lead, delayMs]): ConsentCommand => new QueueTextRetriedAtOnce(lead, delayMs));
const replyArb = fc
  .record({
    number: fc.integer({ min: 0, max: NUMBER_COUNT - 1 }),
    reply: fc.constantFrom<Reply>(...Object.values(REPLIES)),
    deliveries: fc.constantFrom(1, 1, 2, 3),
    restartsWorker: fc.constantFrom(false, false, false, false, false, false, false, true),
  })
  .map(
    ({ number, reply, deliveries, restartsWorker }): ConsentCommand =>
      new ReplyFromNumber(number, reply, deliveries, restartsWorker),
  );
const racingStopArb = fc
  .tuple(leadArb, fc.constantFrom(0, 10, 40))
  .map(([lead, delayMs]): ConsentCommand => new QueueTextRacingStop(lead, delayMs));
const restartArb = fc.constant<ConsentCommand>(new RestartWorker());

/** Which number each lead has: with three leads on two numbers, at least two leads share one (duplicates). */
const leadNumbersArb = fc.array(fc.integer({ min: 0, max: NUMBER_COUNT - 1 }), {
  minLength: LEAD_COUNT,
  maxLength: LEAD_COUNT,
});
const commandsArb = fc.commands(
  [
    queueArb,
    queueArb,
    queueArb,
    replyArb,
    replyArb,
    replyArb,
    replyArb,
    retryArb,
    retriedAtOnceArb,
    racingStopArb,
    restartArb,
  ],
  { maxCommands: MAX_STEPS, size: 'max' },
);

/** The rows of docs/consent-model.md's table that are easy to miss, tried before the random sequences. */
const EXAMPLES: [number[], ConsentCommand[]][] = [
  // START answers every waiting lead on the number; held texts go out in order; a new lead on an accepted number
  // still gets its own opt-in.
  [
    [0, 0, 1],
    [
      new QueueText(0),
      new QueueText(1),
      new QueueText(0),
      new ReplyFromNumber(0, REPLIES.start),
      new QueueText(1),
      new QueueText(2),
      new ReplyFromNumber(1, REPLIES.other),
    ],
  ],
  // A second STOP while opted out sends no second confirmation; HELP is always answered; START after STOP
  // re-subscribes the rejected lead; START with nothing waiting does nothing.
  [
    [1, 0, 1],
    [
      new ReplyFromNumber(1, REPLIES.start),
      new QueueText(0, true),
      new ReplyFromNumber(1, REPLIES.stop, 2),
      new ReplyFromNumber(1, REPLIES.stopPlease),
      new ReplyFromNumber(1, REPLIES.help, 3),
      new QueueText(0),
      new RetryQueuedText(0),
      new ReplyFromNumber(1, REPLIES.unstop),
      new QueueText(0),
      new ReplyFromNumber(1, REPLIES.yes),
    ],
  ],
  // A lead queued while its number is on Do Not Contact, then START: its first text must still be its opt-in.
  [
    [0, 0, 1],
    [new ReplyFromNumber(0, REPLIES.stop), new QueueText(0), new ReplyFromNumber(0, REPLIES.start), new QueueText(0)],
  ],
];

describe('consent properties', () => {
  startSystemPerFile((started) => ({ system, account } = started));

  it(
    'keeps invariants 1-5 and the consent table when queues, replies, retries and restarts interleave',
    { timeout: 240_000 },
    async (t) => {
      let firstFailureAt: number | undefined;
      const seed = process.env.CONSENT_PROPERTIES_SEED;
      const path = process.env.CONSENT_PROPERTIES_PATH;

      try {
        await fc.assert(
          fc.asyncProperty(leadNumbersArb, commandsArb, async (leadNumbers, commands) => {
            if (firstFailureAt !== undefined && Date.now() - firstFailureAt > SHRINK_BUDGET_MS) return;
            counts.runs += 1;
            const setup = () => {
              const model = new ConsentModel(NUMBER_COUNT, leadNumbers);
              return { model, real: newRun(model) };
            };
            try {
              await fc.asyncModelRun(setup, commands);
            } catch (error) {
              firstFailureAt ??= Date.now();
              throw error;
            }
          }),
          {
            // fast-check counts the examples as runs.
            numRuns: NUM_RUNS + EXAMPLES.length,
            examples: EXAMPLES,
            // The broken invariant and the step belong in the test's message, not only in the error's cause.
            includeErrorInReport: true,
            ...(seed ? { seed: Number(seed) } : {}),
            ...(path ? { path } : {}),
          },
        );
      } finally {
        t.diagnostic(`consent properties: ${counts.runs} runs, ${counts.steps} steps, ${counts.texts} texts checked`);
      }
    },
  );
});
