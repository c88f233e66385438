import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { isTransient } from '../../src/errors';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Connects a client, has another session terminate its backend, then returns what each later query throws. */
async function errorsAfterBackendTerminated(): Promise<unknown[]> {
  const victim = new pg.Client({ connectionString: DATABASE_URL });
  victim.on('error', () => {});
  await victim.connect();
  const pid = ((await victim.query('select pg_backend_pid() as pid')).rows[0] as { pid: number }).pid;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const errors: unknown[] = [];
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await victim.query('select 1').then(
        () => errors.push(undefined),
        (error: unknown) => errors.push(error),
      );
    }
  } finally {
    await admin.end();
    await victim.end().catch(() => {});
  }
  return errors;
}

describe('isTransient', () => {
  it('calls every error of a client whose Postgres backend was terminated transient (503, retry)', async () => {
    const errors = await errorsAfterBackendTerminated();

    assert.equal(errors.length, 2);
    for (const error of errors) {
      assert.ok(error instanceof Error, 'the query after the cut fails');
      assert.equal(isTransient(error), true, `not seen as transient: ${error.message}`);
    }
  });

  it('does not call a constraint violation or a programming error transient', () => {
    assert.equal(isTransient(Object.assign(new Error('duplicate key value'), { code: '23505' })), false);
    assert.equal(isTransient(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
  });
});
