import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex';
import { holdNumberLock, lockNumberForListChange } from '../../src/db/number-locks';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ACCOUNT = 'acct-lock-test';

/** The Postgres backend of a pooled pg connection (pg.Client's processID, which its typings leave out). */
const backendPid = (connection: unknown): number => (connection as { processID: number }).processID;

/**
 * The number lock a sender holds for its session (holdNumberLock) must never outlive the send: whatever `fn` does,
 * a list change for the number goes through once it returns, and the pool gets back a connection holding no lock
 * or a closed one. Real Postgres; each case breaks the release in a different way.
 */
describe('holdNumberLock', () => {
  let db: TestDatabase;
  /** One connection, so "the next send" is the same slot of the pool: reused when released, replaced when closed. */
  let pool: Knex;

  before(async () => {
    db = await createTestDatabase();
    pool = createKnex({ databaseUrl: db.url, poolMax: 1 });
  });
  after(async () => {
    await pool?.destroy();
    await db?.drop();
  });

  /**
   * A STOP's list change for `phone`: resolves with the time it got both locks, in a transaction of its own. A lock
   * left behind fails it after 5 s (lock_timeout) instead of hanging the suite.
   */
  const listChange = (phone: string) =>
    db.knex.transaction(async (trx) => {
      await trx.raw("set local lock_timeout = '5s'");
      await lockNumberForListChange(trx, ACCOUNT, phone);
      return Date.now();
    });

  /** Advisory locks held by every backend of the test database but the asking one. */
  const advisoryLocksHeld = async (): Promise<number> => {
    const { rows } = await db.knex.raw(
      `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and d.datname = current_database() and l.pid <> pg_backend_pid()`,
    );
    return rows[0].n;
  };

  const isBackendAlive = async (pid: number): Promise<boolean> =>
    (await db.knex.raw('select 1 from pg_stat_activity where pid = ?', [pid])).rows.length > 0;

  /** The backend of the pool's next connection, as the next send would get it. */
  const nextBackend = () => holdNumberLock(pool, ACCOUNT, '+12125550100', async (connection) => backendPid(connection));

  it('makes a list change for the number wait until the send returns, then leaves no lock on the pooled connection', async () => {
    const phone = '+12125550101';
    let released = 0;
    let changedAt: Promise<number> | undefined;
    const pid = await holdNumberLock(pool, ACCOUNT, phone, async (connection) => {
      changedAt = listChange(phone);
      await sleep(300);
      released = Date.now();
      return backendPid(connection);
    });
    assert.ok((await changedAt!) >= released, 'the list change got the lock before the send let go');
    assert.equal(await advisoryLocksHeld(), 0);
    assert.equal(await nextBackend(), pid, 'a cleanly released connection goes back to the pool');
  });

  it('releases the lock when the send throws, and rethrows', async () => {
    const phone = '+12125550102';
    await assert.rejects(
      holdNumberLock(pool, ACCOUNT, phone, async () => {
        throw new Error('provider exploded');
      }),
      /provider exploded/,
    );
    assert.equal(await advisoryLocksHeld(), 0);
    await listChange(phone);
  });

  it('releases every session lock of the connection, even one taken twice or for another number', async () => {
    const phone = '+12125550103';
    await holdNumberLock(pool, ACCOUNT, phone, async (connection) => {
      await pool.raw('select pg_advisory_lock(hashtextextended(?, 0))', [`${ACCOUNT}:${phone}`]).connection(connection);
      await pool
        .raw('select pg_advisory_lock(hashtextextended(?, 0))', [`${ACCOUNT}:+12125550199`])
        .connection(connection);
    });
    assert.equal(await advisoryLocksHeld(), 0);
    await listChange(phone);
    await listChange('+12125550199');
  });

  it('closes the connection when the release fails on a live backend (a transaction left aborted), so its lock goes with it', async () => {
    const phone = '+12125550104';
    const pid = await holdNumberLock(pool, ACCOUNT, phone, async (connection) => {
      // Leaves the session inside a failed transaction: pg_advisory_unlock_all() is then refused.
      await pool.raw('begin').connection(connection);
      await assert.rejects(pool.raw('select 1 / 0').connection(connection));
      return backendPid(connection);
    });
    await listChange(phone);
    assert.equal(await advisoryLocksHeld(), 0);
    await waitUntil(async () => !(await isBackendAlive(pid)), 'the session that failed to let go has ended');
    assert.notEqual(await nextBackend(), pid, 'the pool replaced the closed connection');
  });

  it('returns the send result when the lock holder backend is terminated mid-send, and the pool replaces the connection', async () => {
    const phone = '+12125550105';
    let changedAt: Promise<number> | undefined;
    const result = await holdNumberLock(pool, ACCOUNT, phone, async (connection) => {
      const pid = backendPid(connection);
      changedAt = listChange(phone);
      await sleep(100);
      await db.knex.raw('select pg_terminate_backend(?)', [pid]);
      return { pid, sentAt: Date.now() };
    });
    // The lock died with its session, so the list change may already have gone through: that is what the claim's
    // transaction-scoped gate lock is for (docs/consent-model.md). Here only the release is under test.
    await changedAt;
    assert.equal(await advisoryLocksHeld(), 0);
    assert.notEqual(await nextBackend(), result.pid, 'the pool replaced the terminated connection');
  });
});

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting until ${what}`);
}
