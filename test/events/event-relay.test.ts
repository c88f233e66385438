import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountsRepository } from '../../src/db/accounts-repository';
import { EventEndpointsRepository, type DeliveryBatch } from '../../src/db/event-endpoints-repository';
import { createTestDatabase, type TestDatabase } from '../support/database';

/*
 * The relay's and the replay's transactions against real Postgres, with no Temporal: `dispatch` stands in for the
 * signal to the delivery workflow, and runs whatever a delivery attempt would do at that moment. A delivery
 * workflow can start its attempt while the relay or the replay that signalled it has not committed yet.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event relay and replay transactions', () => {
  let db: TestDatabase;
  let repository: EventEndpointsRepository;
  let accountId: string;
  let endpointId: string;
  let counter = 0;

  before(async () => {
    db = await createTestDatabase();
    repository = new EventEndpointsRepository(db.knex);
    const account = await new AccountsRepository(db.knex).createAccount({
      name: 'Relay Realty',
      senderNumber: '+12015550187',
      a2pStatus: 'verified',
    });
    accountId = account.id;
    endpointId = (await repository.create(accountId, { url: 'http://127.0.0.1:9/hooks' })).id;
  });
  after(async () => {
    await db.drop();
  });

  /** A Do Not Contact entry: its trigger records one event for the account's endpoint. */
  const listNumber = async () => {
    counter += 1;
    const phone = `+1212555${String(counter).padStart(4, '0')}`;
    await db
      .knex('do_not_contact')
      .insert({ account_id: accountId, phone, phone_key: `key-${counter}`, source: 'web' });
  };

  it('an attempt that starts before the relay commits waits for it and finds its delivery pending', async () => {
    await listNumber();
    let early: ReturnType<EventEndpointsRepository['deliveryWork']> | undefined;

    const taken = await repository.relayStep(200, async (batches: DeliveryBatch[]) => {
      early = repository.deliveryWork(endpointId, batches[0]!.eventIds[0]!);
      await sleep(300);
    });
    const work = await early!;

    assert.equal(taken, 1);
    assert.ok(typeof work === 'object', `the attempt saw ${String(work)}`);
    assert.equal(work.status, 'pending');
  });

  it('an attempt that starts before a replay commits waits for it and finds the delivery pending again', async () => {
    await listNumber();
    await repository.relayStep(200, async () => undefined);
    const [delivery] = await repository.deliveries(accountId, endpointId, { limit: 1 });
    await db.knex('event_deliveries').where({ endpoint_id: endpointId }).update({ status: 'delivered' });
    let early: ReturnType<EventEndpointsRepository['deliveryWork']> | undefined;

    const result = await repository.replay(accountId, endpointId, [delivery!.webhookId], async (batches) => {
      early = repository.deliveryWork(endpointId, batches[0]!.eventIds[0]!);
      await sleep(300);
    });
    const work = await early!;

    assert.deepEqual(result, { replayed: 1, remaining: 0 });
    assert.ok(typeof work === 'object');
    assert.equal(work.status, 'pending');
  });

  it('lets one relay take events at a time, so one number’s events are never handed over twice at once', async () => {
    await listNumber();
    await listNumber();
    let second: Promise<number> | undefined;

    const first = await repository.relayStep(200, async () => {
      second = repository.relayStep(200, async () => undefined);
      await second;
    });

    assert.equal(first, 2);
    assert.equal(await second!, 0);
  });

  it('tells a missing delivery of a live endpoint from one whose endpoint is gone', async () => {
    assert.equal(await repository.deliveryWork(endpointId, '999999'), 'missing');
    await repository.remove(accountId, endpointId);
    assert.equal(await repository.deliveryWork(endpointId, '999999'), 'endpoint_gone');
  });
});
