import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { isTransient } from '../../src/errors';
import { grpcFailure } from '../support/grpc-failure';

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

  it('maps a Temporal failure by its gRPC status: unavailable, deadline and exhausted are transient, others not', () => {
    // gRPC status codes (grpc/grpc doc/statuscodes.md): 4 DEADLINE_EXCEEDED, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE.
    for (const code of [4, 8, 14]) assert.equal(isTransient(grpcFailure(code, 'transient')), true, `code ${code}`);
    // 3 INVALID_ARGUMENT, 5 NOT_FOUND, 7 PERMISSION_DENIED, 13 INTERNAL: a retry cannot fix them.
    for (const code of [3, 5, 7, 13]) assert.equal(isTransient(grpcFailure(code, 'permanent')), false, `code ${code}`);
  });

  it('maps a Postgres error by its SQLSTATE, whatever its message says', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

    assert.equal(isTransient(pgError('57P01', 'terminating connection due to administrator command')), true);
    assert.equal(isTransient(pgError('08006', 'anything')), true);
    assert.equal(isTransient(pgError('40P01', 'deadlock detected')), true);
    assert.equal(isTransient(pgError('23505', 'Connection terminated: looks transient, is a unique violation')), false);
    assert.equal(isTransient(pgError('42P01', 'relation does not exist')), false);
  });

  it('does not call a constraint violation or a programming error transient', () => {
    assert.equal(isTransient(Object.assign(new Error('duplicate key value'), { code: '23505' })), false);
    assert.equal(isTransient(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
  });
});
