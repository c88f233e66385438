import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccountsRepository } from '../../src/db/accounts-repository';
import { createTestDatabase, type TestDatabase } from '../support/database';

const REPO_ROOT = path.resolve(__dirname, '../..');
const CLI_TIMEOUT_MS = 60_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an operator would: a real process against the given database. */
function runCli(args: string[], databaseUrl: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src/scripts/cli.ts'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function parseOneJsonLine(stdout: string): any {
  const lines = stdout.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `expected exactly one line on stdout, got:\n${stdout}`);
  assert.ok(stdout.endsWith('\n'));
  return JSON.parse(lines[0]!);
}

let senderCounter = 0;
/** A valid US number unique to this test file. */
function uniqueSender(): string {
  senderCounter += 1;
  return `+1201555${String(100 + senderCounter).padStart(4, '0')}`;
}

describe('cli', () => {
  let db: TestDatabase;
  let accounts: AccountsRepository;

  before(async () => {
    db = await createTestDatabase();
    accounts = new AccountsRepository(db.knex);
  });
  after(async () => {
    await db?.drop();
  });

  it('prints one JSON line with an admin API key when an account is created', async () => {
    const sender = uniqueSender();

    const run = await runCli(
      ['account', 'create', '--name', 'Acme Homes', '--sender', sender, '--a2p', 'verified'],
      db.url,
    );

    assert.equal(run.code, 0, run.stderr);
    const created = parseOneJsonLine(run.stdout);
    assert.deepEqual(Object.keys(created), ['accountId', 'apiKey', 'role', 'senderNumber']);
    assert.equal(created.role, 'admin');
    assert.equal(created.senderNumber, sender);
    const principal = await accounts.findPrincipal(created.apiKey);
    assert.deepEqual(principal && { accountId: principal.accountId, role: principal.role }, {
      accountId: created.accountId,
      role: 'admin',
    });
    const account = await accounts.findById(created.accountId);
    assert.equal(account?.name, 'Acme Homes');
    assert.equal(account?.a2pStatus, 'verified');
  });

  it('normalizes the sender to E.164 when it is given without the plus sign', async () => {
    const sender = uniqueSender();

    const run = await runCli(['account', 'create', '--name', 'Digits Only', '--sender', sender.slice(1)], db.url);

    assert.equal(run.code, 0, run.stderr);
    const created = parseOneJsonLine(run.stdout);
    assert.equal(created.senderNumber, sender);
    assert.equal((await accounts.findById(created.accountId))?.a2pStatus, 'unverified');
  });

  it('exits non-zero with a clear message and creates nothing when --sender is invalid', async () => {
    const before = await db.knex('accounts').count<{ count: string }[]>({ count: '*' });

    const run = await runCli(['account', 'create', '--name', 'Bad', '--sender', '12345'], db.url);

    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /--sender "12345" is not a valid phone number/);
    assert.match(run.stderr, /E\.164/);
    const afterCount = await db.knex('accounts').count<{ count: string }[]>({ count: '*' });
    assert.equal(afterCount[0]!.count, before[0]!.count);
  });

  it('exits non-zero and keeps the first account when the sender number is already taken', async () => {
    const sender = uniqueSender();
    const first = await runCli(['account', 'create', '--name', 'First', '--sender', sender], db.url);
    assert.equal(first.code, 0, first.stderr);

    const second = await runCli(['account', 'create', '--name', 'Second', '--sender', sender], db.url);

    assert.notEqual(second.code, 0);
    assert.equal(second.stdout, '');
    assert.match(second.stderr, /already uses sender number/);
    const rows = await db.knex('accounts').where({ sender_number: sender }).select('name');
    assert.deepEqual(rows, [{ name: 'First' }]);
  });

  it('creates an agent key that resolves to the account when key create is run', async () => {
    const account = await accounts.createAccount({ name: 'Keys', senderNumber: uniqueSender() });

    const run = await runCli(['key', 'create', '--account', account.id, '--role', 'agent'], db.url);

    assert.equal(run.code, 0, run.stderr);
    const key = parseOneJsonLine(run.stdout);
    assert.deepEqual(Object.keys(key).sort(), ['apiKey', 'keyId', 'role']);
    assert.equal(key.role, 'agent');
    assert.deepEqual(await accounts.findPrincipal(key.apiKey), {
      accountId: account.id,
      keyId: key.keyId,
      role: 'agent',
    });
  });

  it('exits non-zero when key create names an unknown account or role', async () => {
    const unknownAccount = await runCli(
      ['key', 'create', '--account', '00000000-0000-4000-8000-000000000000', '--role', 'agent'],
      db.url,
    );
    const badRole = await runCli(
      ['key', 'create', '--account', '00000000-0000-4000-8000-000000000000', '--role', 'owner'],
      db.url,
    );

    assert.notEqual(unknownAccount.code, 0);
    assert.equal(unknownAccount.stdout, '');
    assert.match(unknownAccount.stderr, /no account with id/);
    assert.notEqual(badRole.code, 0);
    assert.match(badRole.stderr, /Allowed choices are admin, agent/);
  });

  it("prints the lead's consent and ledger events when consent is run", async () => {
    const account = await accounts.createAccount({ name: 'Consent', senderNumber: uniqueSender() });
    const phone = '+12015550177';
    await db.knex('lead_consents').insert({
      account_id: account.id,
      lead_id: 'lead-cli-1',
      phone,
      phone_key: 'k',
      status: 'accepted',
    });
    await db.knex('consent_events').insert({
      event_key: `cli-test-${account.id}`,
      account_id: account.id,
      phone,
      lead_id: 'lead-cli-1',
      event_type: 'opted_in',
      source: 'inbound_sms',
      raw_text: 'START',
      occurred_at: new Date(),
    });

    const run = await runCli(['consent', '--lead', 'lead-cli-1', '--account', account.id], db.url);

    assert.equal(run.code, 0, run.stderr);
    const consent = parseOneJsonLine(run.stdout);
    assert.equal(consent.status, 'accepted');
    assert.equal(consent.phone, phone);
    assert.deepEqual(
      consent.events.map((e: { eventType: string; rawText: string }) => [e.eventType, e.rawText]),
      [['opted_in', 'START']],
    );
  });

  it('shows help and exits 0 for every command when --help is given', async () => {
    const commands = [[], ['account', 'create'], ['key', 'create'], ['consent'], ['sandbox', 'reply']];

    const runs = await Promise.all(commands.map((command) => runCli([...command, '--help'], db.url)));

    for (const [index, run] of runs.entries()) {
      assert.equal(run.code, 0, `${commands[index]!.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, /^Usage: cli/);
    }
  });
});
