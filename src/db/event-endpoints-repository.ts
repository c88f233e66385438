import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/*
 * The one owner of the tables behind pushed events (docs/events.md): event_endpoints, event_deliveries, and
 * crm_events apart from its inserts, which the database's triggers make (migration 20261212000000_crm_events.ts).
 * Used by the API (endpoints, deliveries, replay), the relay (src/events/event-relay.ts) and the delivery activity
 * (activities/event-delivery.ts).
 */

/** How long the previous secret still signs after a rotation. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;
/** After this many failed attempts in a row an endpoint is marked failing; its next 2xx clears it. */
export const FAILING_AFTER_ATTEMPTS = 3;
/** Deliveries one replay call sends again; the answer says how many failed ones remain for the next call. */
export const REPLAY_LIMIT = 1_000;
/** Any number, the same in every process: whoever holds this transaction lock is the one relay taking events. */
const RELAY_LOCK = 7_305_201;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';
export type EndpointHealth = 'healthy' | 'failing';

/** An endpoint as the API shows it; the secret only ever in the answer that creates or rotates it. */
export interface EventEndpoint {
  id: string;
  url: string;
  description: string | null;
  health: EndpointHealth;
  failingSince: string | null;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  createdAt: string;
}

/** One event's delivery to one endpoint. */
export interface EventDelivery {
  webhookId: string;
  type: string;
  occurredAt: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** What the delivery activity needs to send one event: the endpoint, its live secrets and the event. */
export interface DeliveryWork {
  url: string;
  secrets: string[];
  isEndpointDeleted: boolean;
  status: DeliveryStatus;
  webhookId: string;
  body: string;
}

/** The events of one number for one endpoint, in the order they happened. */
export interface DeliveryBatch {
  endpointId: string;
  phoneKey: string;
  eventIds: string[];
}

interface EndpointRow {
  id: string;
  account_id: string;
  url: string;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  consecutive_failures: number;
  failing_since: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  created_at: Date;
  deleted_at: Date | null;
}

interface DeliveryRow {
  webhook_id: string;
  type: string;
  occurred_at: Date;
  status: DeliveryStatus;
  attempts: number;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
}

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries read them. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function toEndpoint(row: EndpointRow): EventEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    health: row.failing_since ? 'failing' : 'healthy',
    failingSince: iso(row.failing_since),
    consecutiveFailures: row.consecutive_failures,
    lastSuccessAt: iso(row.last_success_at),
    lastFailureAt: iso(row.last_failure_at),
    createdAt: iso(row.created_at)!,
  };
}

export class EventEndpointsRepository {
  constructor(private readonly knex: Knex) {}

  async create(
    accountId: string,
    input: { url: string; description?: string },
  ): Promise<EventEndpoint & { secret: string }> {
    const secret = newEndpointSecret();
    const [row] = await this.knex<EndpointRow>('event_endpoints')
      .insert({
        id: randomUUID(),
        account_id: accountId,
        url: input.url,
        description: input.description ?? null,
        secret,
      })
      .returning('*');
    return { ...toEndpoint(row!), secret };
  }

  async list(accountId: string): Promise<EventEndpoint[]> {
    const rows = await this.knex<EndpointRow>('event_endpoints')
      .where({ account_id: accountId })
      .whereNull('deleted_at')
      .orderBy('created_at');
    return rows.map(toEndpoint);
  }

  async find(accountId: string, endpointId: string): Promise<EventEndpoint | undefined> {
    const row = await this.live(this.knex, accountId, endpointId).first();
    return row ? toEndpoint(row) : undefined;
  }

  /** Soft delete: its pending deliveries end `cancelled` when their workflow next looks. */
  async remove(accountId: string, endpointId: string): Promise<boolean> {
    const count = await this.live(this.knex, accountId, endpointId).update({ deleted_at: this.knex.fn.now() });
    return count > 0;
  }

  /** A new secret; the old one keeps signing beside it for PREVIOUS_SECRET_GRACE_MS. */
  async rotateSecret(accountId: string, endpointId: string): Promise<(EventEndpoint & { secret: string }) | undefined> {
    const secret = newEndpointSecret();
    const [row] = await this.live(this.knex, accountId, endpointId)
      .update({
        previous_secret: this.knex.ref('secret'),
        previous_secret_expires_at: new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS),
        secret,
      })
      .returning('*');
    return row ? { ...toEndpoint(row), secret } : undefined;
  }

  /** The endpoint's deliveries, newest event first. */
  async deliveries(
    accountId: string,
    endpointId: string,
    options: { limit: number; status?: DeliveryStatus },
  ): Promise<EventDelivery[]> {
    const rows: DeliveryRow[] = await this.knex('event_deliveries as d')
      .join('event_endpoints as p', 'p.id', 'd.endpoint_id')
      .join('crm_events as e', 'e.id', 'd.event_id')
      .where({ 'p.account_id': accountId, 'p.id': endpointId })
      .modify((q) => {
        if (options.status) q.where('d.status', options.status);
      })
      .orderBy('d.event_id', 'desc')
      .limit(options.limit)
      .select(
        'e.webhook_id',
        'e.type',
        'e.occurred_at',
        'd.status',
        'd.attempts',
        'd.last_attempt_at',
        'd.last_status_code',
        'd.last_error',
        'd.delivered_at',
      );
    return rows.map((row) => ({
      webhookId: row.webhook_id,
      type: row.type,
      occurredAt: iso(row.occurred_at)!,
      status: row.status,
      attempts: row.attempts,
      lastAttemptAt: iso(row.last_attempt_at),
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      deliveredAt: iso(row.delivered_at),
    }));
  }

  /**
   * Marks deliveries to send again (the oldest REPLAY_LIMIT failed ones, or those named by webhook ID whatever their
   * state) and hands their batches to `dispatch` inside the same transaction: if dispatching fails nothing is marked,
   * and the admin can ask again. Returns how many were replayed and how many failed ones remain.
   */
  async replay(
    accountId: string,
    endpointId: string,
    webhookIds: string[] | undefined,
    dispatch: (batches: DeliveryBatch[]) => Promise<void>,
  ): Promise<{ replayed: number; remaining: number }> {
    return this.knex.transaction(async (trx) => {
      const rows: { event_id: string; phone_key: string }[] = await trx('event_deliveries as d')
        .join('event_endpoints as p', 'p.id', 'd.endpoint_id')
        .join('crm_events as e', 'e.id', 'd.event_id')
        .where({ 'p.account_id': accountId, 'p.id': endpointId })
        .whereNull('p.deleted_at')
        .modify((q) => {
          if (webhookIds) q.whereIn('e.webhook_id', webhookIds);
          else q.where('d.status', 'failed');
        })
        .orderBy('d.event_id')
        .limit(REPLAY_LIMIT)
        .forUpdate()
        .select('d.event_id', 'e.phone_key');
      const remainingFailed = async () =>
        Number(
          (
            await trx('event_deliveries')
              .where({ endpoint_id: endpointId, status: 'failed' })
              .count<{ count: string }[]>('* as count')
          )[0]!.count,
        );
      if (rows.length === 0) return { replayed: 0, remaining: await remainingFailed() };
      await trx('event_deliveries')
        .where({ endpoint_id: endpointId })
        .whereIn(
          'event_id',
          rows.map((r) => r.event_id),
        )
        .update({ status: 'pending' });
      await dispatch(
        groupBatches(rows.map((r) => ({ endpointId, eventId: String(r.event_id), phoneKey: r.phone_key }))),
      );
      return { replayed: rows.length, remaining: await remainingFailed() };
    });
  }

  /**
   * The relay's step, unless another relay is in its own: takes up to `limit` events not yet dispatched, creates a
   * delivery for each live endpoint of the event's account, hands the batches to `dispatch`, and marks the events
   * dispatched, all in one transaction. If `dispatch` throws, nothing is marked and the next step tries again (the
   * delivery workflow ignores an event it already has). Returns how many events it took.
   */
  async relayStep(limit: number, dispatch: (batches: DeliveryBatch[]) => Promise<void>): Promise<number> {
    return this.knex.transaction(async (trx) => {
      // One relay at a time: two taking different events of one number at once could signal them out of order.
      const [{ locked }] = (await trx.raw('select pg_try_advisory_xact_lock(?) as locked', [RELAY_LOCK])).rows;
      if (!locked) return 0;
      const events: { id: string; account_id: string; phone_key: string }[] = await trx('crm_events')
        .whereNull('dispatched_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .select('id', 'account_id', 'phone_key');
      if (events.length === 0) return 0;
      const accountIds = [...new Set(events.map((e) => e.account_id))];
      const endpoints: { id: string; account_id: string }[] = await trx('event_endpoints')
        .whereIn('account_id', accountIds)
        .whereNull('deleted_at')
        .select('id', 'account_id');
      const work: { endpointId: string; eventId: string; phoneKey: string }[] = [];
      for (const event of events) {
        for (const endpoint of endpoints) {
          if (endpoint.account_id === event.account_id) {
            work.push({ endpointId: endpoint.id, eventId: String(event.id), phoneKey: event.phone_key });
          }
        }
      }
      if (work.length > 0) {
        await trx('event_deliveries')
          .insert(work.map((w) => ({ endpoint_id: w.endpointId, event_id: w.eventId })))
          .onConflict(['endpoint_id', 'event_id'])
          .ignore();
        await dispatch(groupBatches(work));
      }
      await trx('crm_events')
        .whereIn(
          'id',
          events.map((e) => e.id),
        )
        .update({ dispatched_at: trx.fn.now() });
      return events.length;
    });
  }

  /**
   * What one delivery attempt needs, as committed. The relay and a replay signal the delivery workflow before they
   * commit, so an attempt can start while they still hold the event (relay) or the delivery (replay): the share
   * locks below wait for them, and the rows are then read as they committed. `missing`: the endpoint is live but the
   * delivery row does not exist (its relay rolled back; the event is taken again). `endpoint_gone`: deleted.
   */
  async deliveryWork(
    endpointId: string,
    eventId: string,
    now = new Date(),
  ): Promise<DeliveryWork | 'missing' | 'endpoint_gone'> {
    return this.knex.transaction(async (trx) => {
      await trx('crm_events').where({ id: eventId }).forShare().first('id');
      const row = await trx('event_deliveries as d')
        .join('event_endpoints as p', 'p.id', 'd.endpoint_id')
        .join('crm_events as e', 'e.id', 'd.event_id')
        .where({ 'd.endpoint_id': endpointId, 'd.event_id': eventId })
        .forShare('d')
        .first(
          'p.url',
          'p.secret',
          'p.previous_secret',
          'p.previous_secret_expires_at',
          'p.deleted_at',
          'd.status',
          'e.webhook_id',
          'e.type',
          'e.occurred_at',
          'e.data',
        );
      if (!row) {
        const endpoint = await trx('event_endpoints').where({ id: endpointId }).first('deleted_at');
        return endpoint && endpoint.deleted_at === null ? 'missing' : 'endpoint_gone';
      }
      const secrets = [row.secret as string];
      if (row.previous_secret && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > now) {
        secrets.push(row.previous_secret as string);
      }
      return {
        url: row.url,
        secrets,
        isEndpointDeleted: row.deleted_at !== null,
        status: row.status,
        webhookId: row.webhook_id,
        body: JSON.stringify({ type: row.type, timestamp: iso(row.occurred_at), data: row.data }),
      };
    });
  }

  /** Records one attempt's answer on the delivery and the endpoint's health. */
  async recordAttempt(
    endpointId: string,
    eventId: string,
    outcome: { isDelivered: boolean; statusCode?: number; error?: string },
  ): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('event_deliveries')
        .where({ endpoint_id: endpointId, event_id: eventId })
        .update({
          attempts: trx.raw('attempts + 1'),
          last_attempt_at: trx.fn.now(),
          last_status_code: outcome.statusCode ?? null,
          last_error: outcome.error?.slice(0, 500) ?? null,
          ...(outcome.isDelivered ? { status: 'delivered', delivered_at: trx.fn.now() } : {}),
        });
      await trx('event_endpoints')
        .where({ id: endpointId })
        .update(
          outcome.isDelivered
            ? { consecutive_failures: 0, failing_since: null, last_success_at: trx.fn.now() }
            : {
                consecutive_failures: trx.raw('consecutive_failures + 1'),
                last_failure_at: trx.fn.now(),
                failing_since: trx.raw(
                  'case when consecutive_failures + 1 >= ? then coalesce(failing_since, now()) end',
                  [FAILING_AFTER_ATTEMPTS],
                ),
              },
        );
    });
  }

  /** Ends a delivery that will not be tried again: `failed` (retries exhausted) or `cancelled` (endpoint deleted). */
  async finishDelivery(endpointId: string, eventId: string, status: 'failed' | 'cancelled'): Promise<void> {
    await this.knex('event_deliveries')
      .where({ endpoint_id: endpointId, event_id: eventId, status: 'pending' })
      .update({ status });
  }

  /**
   * Forgets events older than `days` whose deliveries have all ended (their deliveries go with them). A delivery
   * still pending (an endpoint retrying for 25 hours) keeps its event.
   */
  async deleteEventsOlderThan(days: number, limit = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.deleteOldEventsOnce(days, limit);
      total += deleted;
      if (deleted < limit) return total;
    }
  }

  private async deleteOldEventsOnce(days: number, limit: number): Promise<number> {
    const result = await this.knex.raw(
      `delete from crm_events where id in (
         select e.id from crm_events e
          where e.occurred_at < now() - make_interval(days => ?) and e.dispatched_at is not null
            and not exists (select 1 from event_deliveries d where d.event_id = e.id and d.status = 'pending')
          order by e.id limit ?)`,
      [days, limit],
    );
    return (result as { rowCount: number }).rowCount;
  }

  private live(db: Knex, accountId: string, endpointId: string) {
    return db<EndpointRow>('event_endpoints').where({ account_id: accountId, id: endpointId }).whereNull('deleted_at');
  }
}

/** Groups work by (endpoint, number), keeping each group's events in the order given. */
function groupBatches(work: { endpointId: string; eventId: string; phoneKey: string }[]): DeliveryBatch[] {
  const batches = new Map<string, DeliveryBatch>();
  for (const w of work) {
    const key = `${w.endpointId}/${w.phoneKey}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { endpointId: w.endpointId, phoneKey: w.phoneKey, eventIds: [] };
      batches.set(key, batch);
    }
    batch.eventIds.push(w.eventId);
  }
  return [...batches.values()];
}
