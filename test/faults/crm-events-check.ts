import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { eventDeliveryWorkflowId } from '../../workflows/event-delivery.contract';
import { startEventReceiver, type EventReceiver, type ReceivedEvent } from '../support/event-receiver';
import { FAULT_LOG_DIR, type FaultSystem } from '../support/fault-system';
import { PAYLOAD_ENCRYPTION_KEYS, type TestAccount } from '../support/system';

/**
 * The fault suite's check of pushed events (src/events/event-relay.ts, workflows/event-delivery.ts): every fault run
 * registers an event endpoint for its accounts pointing at an in-process receiver (test/support/event-receiver.ts,
 * which verifies each delivery with the `standardwebhooks` package) before its traffic starts; the receiver answers
 * 500 to a random share of attempts (at most twice per event) so the delivery retries are exercised. After the run's own checks it waits until
 * every crm_events row of those accounts has been acknowledged, then counts:
 *
 * - lost: rows of crm_events the receiver never acknowledged (2xx);
 * - duplicates: acknowledgements of a webhook-id beyond its first (allowed: at-least-once, counted);
 * - outOfOrder: per number (account, phone_key), events whose first acknowledgement came before that of an event
 *   of the same number with a lower crm_events.id;
 * - signatureFailures: attempts no registered secret verified (the receiver answers them 401).
 */

const DEFAULT_FAILURE_RATE = 0.1;
/**
 * At most this many 500s for one event: the retries wait 2 s, 4 s, 8 s … so an event refused six times in a row
 * would wait past the check's bound (a run once drew that), and the run would report the receiver's luck as lost.
 */
const MAX_FAILURES_PER_EVENT = 2;
const POLL_MS = 1_000;
/** The same count, all acknowledged, over this many polls in a row: nothing more is coming. */
const STABLE_POLLS = 2;
const EXAMPLES = 10;
/** Out-of-order numbers whose events and delivery histories are written to test-results/fault-logs. */
const ORDER_DUMPS = 3;

/** What the fault report shows of a run's events. */
export interface EventFigures {
  /** crm_events rows of the run's accounts. */
  recorded: number;
  /** Of those, acknowledged (2xx) at least once. */
  acknowledged: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  signatureFailures: number;
  /** Acknowledged webhook-ids that are no crm_events row of the accounts. */
  unknownAcknowledged: number;
  /** Every POST the receiver got, and how many it answered 500 on purpose. */
  attempts: number;
  failuresInjected: number;
  failureRate: number;
  /** event_deliveries rows by status when the wait ended. */
  deliveryStatuses: Record<string, number>;
  /** From the event's occurred_at (its transaction's start) to its first acknowledgement. */
  lagMs: { median: number; p99: number; max: number };
  /** How long the wait for the last acknowledgements took (after the run's own checks). */
  settleMs: number;
}

/** A cheap look at the pipeline while the run goes on (F1 kills workers while events are in flight). */
export interface EventProgress {
  recorded: number;
  acknowledged: number;
  attempts: number;
}

export interface EventWatch {
  progress(): Promise<EventProgress>;
  /** Waits (up to `timeoutMs`) until every event of the accounts is acknowledged, then counts. */
  settleAndCheck(timeoutMs: number): Promise<{ figures: EventFigures; violations: string[] }>;
  close(): Promise<void>;
}

interface EventRow {
  id: string;
  webhook_id: string;
  account_id: string;
  phone_key: string;
  type: string;
  occurred_at: Date;
  dispatched_at: Date | null;
  data: Record<string, unknown>;
  /**
   * occurred_at to the microsecond: its default is now(), the writing transaction's start, so two events with the
   * same value were (all but certainly) written by the same transaction. (xmin would not do: the relay updates rows.)
   */
  occurred_exact: string;
}

/** mulberry32, seeded apart from the driver's so the receiver's answers do not shift the run's shape. */
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

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * Starts the receiver and registers it (POST /v1/event-endpoints) for each account, so every change of theirs from
 * now on is an event.
 */
export async function startEventWatch(
  system: FaultSystem,
  accounts: TestAccount[],
  options: { seed: number; failureRate?: number },
): Promise<EventWatch> {
  const failureRate = options.failureRate ?? Number(process.env.FAULT_EVENT_FAILURE_RATE ?? DEFAULT_FAILURE_RATE);
  const receiver: EventReceiver = await startEventReceiver();
  const random = prng(options.seed ^ 0x5eed_e7e7);
  const arrivedAt = new Map<ReceivedEvent, number>();
  let failuresInjected = 0;
  const failuresByEvent = new Map<string, number>();
  receiver.answer = (attempt) => {
    arrivedAt.set(attempt, Date.now());
    const failures = failuresByEvent.get(attempt.webhookId) ?? 0;
    if (failures < MAX_FAILURES_PER_EVENT && random() < failureRate) {
      failuresByEvent.set(attempt.webhookId, failures + 1);
      failuresInjected += 1;
      return 500;
    }
    return 204;
  };
  const endpointIds: string[] = [];
  for (const account of accounts) {
    const created = await system.api('POST', '/v1/event-endpoints', {
      key: account.adminKey,
      body: { url: receiver.url, description: `fault run ${system.name}` },
    });
    if (created.status !== 201) {
      throw new Error(`POST /v1/event-endpoints answered ${created.status}: ${JSON.stringify(created.body)}`);
    }
    receiver.secrets.push(created.body.secret);
    endpointIds.push(created.body.id);
  }
  const accountIds = accounts.map((a) => a.accountId);
  const knex = system.db.knex;
  const eventRows = async (): Promise<EventRow[]> =>
    (await knex('crm_events')
      .whereIn('account_id', accountIds)
      .orderBy('id')
      .select(
        'id',
        'webhook_id',
        'account_id',
        'phone_key',
        'type',
        'occurred_at',
        'dispatched_at',
        'data',
        knex.raw('occurred_at::text as occurred_exact'),
      )) as EventRow[];
  const acknowledgedIds = () => new Set(receiver.acknowledged().map((a) => a.webhookId));

  return {
    async progress() {
      const [row] = (await knex('crm_events').whereIn('account_id', accountIds).count('* as count')) as {
        count: string;
      }[];
      return {
        recorded: Number(row?.count ?? 0),
        acknowledged: acknowledgedIds().size,
        attempts: receiver.attempts.length,
      };
    },

    async settleAndCheck(timeoutMs) {
      const startedAt = Date.now();
      const deadline = startedAt + timeoutMs;
      let rows: EventRow[] = [];
      let stablePolls = 0;
      let previousCount = -1;
      for (;;) {
        try {
          rows = await eventRows();
          const acked = acknowledgedIds();
          const allAcked = rows.every((row) => acked.has(row.webhook_id));
          stablePolls = allAcked && rows.length === previousCount ? stablePolls + 1 : 0;
          previousCount = rows.length;
          if (stablePolls >= STABLE_POLLS) break;
        } catch {
          stablePolls = 0;
        }
        if (Date.now() > deadline) break;
        await sleep(POLL_MS);
      }
      const settleMs = Date.now() - startedAt;
      const violations: string[] = [];
      const violation = (what: string, message: string) => violations.push(`events ${what}: ${message}`);

      // Acknowledgements by webhook-id: the first one's position in arrival order, and how many.
      const firstAck = new Map<string, { index: number; at: number }>();
      const ackCount = new Map<string, number>();
      receiver.attempts.forEach((attempt, index) => {
        if (attempt.answered < 200 || attempt.answered >= 300) return;
        ackCount.set(attempt.webhookId, (ackCount.get(attempt.webhookId) ?? 0) + 1);
        if (!firstAck.has(attempt.webhookId)) {
          firstAck.set(attempt.webhookId, { index, at: arrivedAt.get(attempt) ?? Date.now() });
        }
      });
      const known = new Set(rows.map((row) => row.webhook_id));

      const lostRows = rows.filter((row) => !firstAck.has(row.webhook_id));
      const duplicates = [...ackCount.values()].reduce((sum, n) => sum + n - 1, 0);
      const unknown = [...firstAck.keys()].filter((id) => !known.has(id));
      const badSignatures = receiver.attempts.filter((a) => a.verifiedWith < 0);
      for (const attempt of badSignatures.slice(0, EXAMPLES)) {
        violation('signature', `${attempt.webhookId} (${attempt.body.type}) verified with no registered secret`);
      }
      for (const id of unknown.slice(0, EXAMPLES)) violation('unknown', `${id} acknowledged but no crm_events row`);

      // Order per number: scanning a number's events by id, an event acknowledged first before the latest first
      // acknowledgement of a lower id came out of order.
      const byNumber = new Map<string, EventRow[]>();
      for (const row of rows) {
        const key = `${row.account_id}/${row.phone_key}`;
        byNumber.set(key, [...(byNumber.get(key) ?? []), row]);
      }
      let outOfOrder = 0;
      const orderDumps: Promise<void>[] = [];
      for (const numberRows of byNumber.values()) {
        let latest: { row: EventRow; index: number } | undefined;
        for (const row of numberRows) {
          const ack = firstAck.get(row.webhook_id);
          if (!ack) continue;
          if (latest && ack.index < latest.index) {
            outOfOrder += 1;
            if (outOfOrder <= EXAMPLES) {
              violation(
                'order',
                `number ${row.phone_key.slice(0, 12)}: event ${row.id} (${row.type}, ${row.webhook_id}) first ` +
                  `acknowledged before event ${latest.row.id} (${latest.row.type}, ${latest.row.webhook_id}); ` +
                  `${row.occurred_exact === latest.row.occurred_exact ? 'written by the same transaction' : 'written by different transactions'}, ` +
                  `occurred ${row.occurred_at.toISOString()} vs ${latest.row.occurred_at.toISOString()}, ` +
                  `dispatched ${row.dispatched_at?.toISOString()} vs ${latest.row.dispatched_at?.toISOString()}; ` +
                  `data ${JSON.stringify(row.data)} vs ${JSON.stringify(latest.row.data)}`,
              );
            }
            if (outOfOrder <= ORDER_DUMPS) {
              const file = path.join(FAULT_LOG_DIR, `${system.name}-event-order-${row.id}.json`);
              const events = numberRows.map((r) => ({ ...r, firstAck: firstAck.get(r.webhook_id) }));
              orderDumps.push(
                deliveryHistories(system, endpointIds, row.phone_key).then((histories) =>
                  writeFileSync(file, `${JSON.stringify({ events, histories }, null, 2)}\n`),
                ),
              );
            }
          }
          if (!latest || ack.index > latest.index) latest = { row, index: ack.index };
        }
      }

      await Promise.all(orderDumps);
      if (duplicates > 0) {
        const duplicated = [...ackCount.entries()].filter(([, n]) => n > 1).map(([id]) => id);
        const rowByWebhookId = new Map(rows.map((row) => [row.webhook_id, row]));
        const file = path.join(FAULT_LOG_DIR, `${system.name}-event-duplicates.json`);
        const entries = duplicated.map((id) => ({
          webhookId: id,
          event: rowByWebhookId.get(id),
          attempts: receiver.attempts
            .filter((a) => a.webhookId === id)
            .map((a) => ({ at: new Date(arrivedAt.get(a) ?? 0).toISOString(), answered: a.answered })),
        }));
        writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
      }
      const statusRows = (await knex('event_deliveries')
        .whereIn('endpoint_id', endpointIds)
        .groupBy('status')
        .select('status')
        .count('* as count')) as { status: string; count: string }[];
      const deliveryStatuses = Object.fromEntries(statusRows.map((r) => [r.status, Number(r.count)]));

      if (lostRows.length > 0) {
        const details = await describeLost(system, lostRows.slice(0, EXAMPLES), endpointIds, receiver);
        for (const detail of details) violation('lost', detail);
      }

      const lags = rows
        .map((row) => {
          const ack = firstAck.get(row.webhook_id);
          return ack ? ack.at - row.occurred_at.getTime() : undefined;
        })
        .filter((lag): lag is number => lag !== undefined)
        .sort((a, b) => a - b);
      const figures: EventFigures = {
        recorded: rows.length,
        acknowledged: rows.length - lostRows.length,
        lost: lostRows.length,
        duplicates,
        outOfOrder,
        signatureFailures: badSignatures.length,
        unknownAcknowledged: unknown.length,
        attempts: receiver.attempts.length,
        failuresInjected,
        failureRate,
        deliveryStatuses,
        lagMs: { median: percentile(lags, 0.5), p99: percentile(lags, 0.99), max: lags[lags.length - 1] ?? 0 },
        settleMs,
      };
      return { figures, violations };
    },

    async close() {
      // Deliveries still in flight keep their connections open; the system's close ends them.
      await Promise.race([receiver.close(), sleep(2_000)]);
    },
  };
}

/**
 * What became of a lost event: its row, its delivery rows, what the receiver saw of it, and its delivery workflow's
 * activity results (decoded), also written to test-results/fault-logs/<name>-lost-event-<id>.json.
 */
async function describeLost(
  system: FaultSystem,
  rows: EventRow[],
  endpointIds: string[],
  receiver: EventReceiver,
): Promise<string[]> {
  const details: string[] = [];
  for (const row of rows) {
    const deliveries = await system.db
      .knex('event_deliveries as d')
      .join('event_endpoints as p', 'p.id', 'd.endpoint_id')
      .where({ 'd.event_id': row.id })
      .select(
        'd.endpoint_id',
        'p.deleted_at as endpoint_deleted_at',
        'd.status',
        'd.attempts',
        'd.last_status_code',
        'd.last_error',
        'd.created_at',
        'd.delivered_at',
      );
    const attempts = receiver.attempts.filter((a) => a.webhookId === row.webhook_id).map((a) => a.answered);
    const histories = await deliveryHistories(system, endpointIds, row.phone_key);
    const file = path.join(FAULT_LOG_DIR, `${system.name}-lost-event-${row.id}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ event: row, deliveries, receiverAnswers: attempts, histories }, null, 2)}\n`,
    );
    details.push(
      `event ${row.id} (${row.type}, ${row.webhook_id}, number ${row.phone_key.slice(0, 12)}) occurred ` +
        `${row.occurred_at.toISOString()}, dispatched ${row.dispatched_at?.toISOString() ?? 'never'}; deliveries ` +
        `${JSON.stringify(deliveries)}; receiver answered ${JSON.stringify(attempts)}; histories in ${file}`,
    );
  }
  return details;
}

/** The delivery workflows of a number (every run), with their payloads decoded: signals, activities and results. */
async function deliveryHistories(system: FaultSystem, endpointIds: string[], phoneKey: string): Promise<unknown[]> {
  const codec = new EncryptionCodec(PAYLOAD_ENCRYPTION_KEYS);
  const histories: unknown[] = [];
  for (const endpointId of endpointIds) {
    const workflowId = eventDeliveryWorkflowId(endpointId, phoneKey);
    try {
      const runs: unknown[] = [];
      for await (const execution of system.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        const history = await system.client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
        const events = [];
        for (const event of history.events ?? []) {
          const payloads =
            event.activityTaskCompletedEventAttributes?.result?.payloads ??
            event.activityTaskScheduledEventAttributes?.input?.payloads ??
            event.workflowExecutionSignaledEventAttributes?.input?.payloads ??
            event.workflowExecutionStartedEventAttributes?.input?.payloads ??
            event.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads;
          let decoded: unknown;
          if (payloads && payloads.length > 0) {
            try {
              decoded = (await codec.decode(payloads as never)).map((p) => defaultPayloadConverter.fromPayload(p));
            } catch (error) {
              decoded = `undecodable: ${(error as Error).message}`;
            }
          }
          events.push({
            id: String(event.eventId),
            time: event.eventTime ? new Date(tsToMs(event.eventTime)).toISOString() : undefined,
            type: event.eventType ? temporal.api.enums.v1.EventType[event.eventType] : undefined,
            ...(decoded !== undefined ? { payload: decoded } : {}),
          });
        }
        runs.push({ runId: execution.runId, status: execution.status.name, events });
      }
      histories.push({ workflowId, runs });
    } catch (error) {
      histories.push({ workflowId, error: String(error) });
    }
  }
  return histories;
}
