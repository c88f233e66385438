import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccountsRepository, hashApiKey } from '../../src/db/accounts-repository';
import { DoNotContactRepository } from '../../src/db/do-not-contact-repository';
import { phoneKeyOf } from '../../src/phone';
import { getConsentStateQuery, smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PHONE_HASH_KEY, waitFor, type TestAccount, type TestSystem } from '../support/system';
import { startSystemPerFile } from '../support/system-per-file';

const REPO_ROOT = path.resolve(__dirname, '../..');
const CLI_TIMEOUT_MS = 60_000;
/** Nothing listens on port 1, so Temporal is unreachable unless a test passes a running server's address. */
const UNREACHABLE_TEMPORAL = '127.0.0.1:1';
const TEMPORAL_UI_URL = 'http://temporal-ui.test:8233';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an operator would: a real process against the given database (and Temporal, if given). */
function runCli(args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src/scripts/cli.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: UNREACHABLE_TEMPORAL,
          TEMPORAL_NAMESPACE: 'default',
          TEMPORAL_UI_URL,
          PHONE_HASH_KEY,
          ...env,
        },
        timeout: CLI_TIMEOUT_MS,
      },
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

/** Runs `run` over `items` a few at a time: a dozen CLI processes at once can starve a busy machine. */
async function mapInBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  }
  return results;
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

  /** A ledger row as the START reply `eventKey` of `leadId`'s number would have written it. */
  async function insertStartReply(eventKey: string, accountId: string, phone: string, leadId: string) {
    await db.knex('consent_events').insert({
      event_key: eventKey,
      account_id: accountId,
      phone,
      lead_id: leadId,
      event_type: 'opted_in',
      source: 'inbound_sms',
      raw_text: 'START',
      occurred_at: new Date(),
    });
  }

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
    await insertStartReply(`cli-test-${account.id}`, account.id, phone, 'lead-cli-1');

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

  it('lists every account when account list is run', async () => {
    const first = await accounts.createAccount({ name: 'Listed One', senderNumber: uniqueSender() });
    const second = await accounts.createAccount({
      name: 'Listed Two',
      senderNumber: uniqueSender(),
      a2pStatus: 'verified',
    });

    const run = await runCli(['account', 'list'], db.url);

    assert.equal(run.code, 0, run.stderr);
    const listed = parseOneJsonLine(run.stdout).accounts as { id: string; name: string; a2pStatus: string }[];
    assert.deepEqual(
      listed.filter((a) => a.id === first.id || a.id === second.id).map((a) => [a.name, a.a2pStatus]),
      [
        ['Listed One', 'unverified'],
        ['Listed Two', 'verified'],
      ],
    );
  });

  it('lists keys with id, role, prefix and dates but never the key or its hash when key list is run', async () => {
    const account = await accounts.createAccount({ name: 'Key List', senderNumber: uniqueSender() });
    const admin = await accounts.createApiKey(account.id, 'admin', 'first');
    const agent = await accounts.createApiKey(account.id, 'agent');
    await accounts.revokeApiKey(agent.keyId);

    const run = await runCli(['key', 'list', '--account', account.id, '--pretty'], db.url);

    assert.equal(run.code, 0, run.stderr);
    for (const secret of [admin.apiKey, agent.apiKey, hashApiKey(admin.apiKey), hashApiKey(agent.apiKey)]) {
      assert.ok(!run.stdout.includes(secret), 'key list printed a key or a key hash');
    }
    const listed = JSON.parse(run.stdout);
    assert.equal(listed.accountId, account.id);
    assert.deepEqual(
      listed.keys.map((k: Record<string, unknown>) => Object.keys(k).sort()),
      [0, 1].map(() => ['createdAt', 'keyId', 'label', 'prefix', 'revokedAt', 'role']),
    );
    const byId = new Map(listed.keys.map((k: { keyId: string }) => [k.keyId, k]));
    assert.deepEqual(
      [byId.get(admin.keyId), byId.get(agent.keyId)].map((k: any) => [k.role, k.prefix, k.revokedAt === null]),
      [
        ['admin', admin.apiKey.slice(0, 8), true],
        ['agent', agent.apiKey.slice(0, 8), false],
      ],
    );
  });

  it('stops the key from resolving when key revoke is run, and says so when it is run again', async () => {
    const account = await accounts.createAccount({ name: 'Revoke', senderNumber: uniqueSender() });
    const key = await accounts.createApiKey(account.id, 'agent');
    const other = await accounts.createApiKey(account.id, 'agent');

    const first = await runCli(['key', 'revoke', '--key-id', key.keyId], db.url);
    const again = await runCli(['key', 'revoke', '--key-id', key.keyId], db.url);

    assert.equal(first.code, 0, first.stderr);
    const revoked = parseOneJsonLine(first.stdout);
    assert.deepEqual([revoked.keyId, revoked.accountId, revoked.wasAlreadyRevoked], [key.keyId, account.id, false]);
    assert.equal(await accounts.findPrincipal(key.apiKey), undefined);
    assert.ok(await accounts.findPrincipal(other.apiKey), 'another key of the account was revoked too');
    assert.equal(again.code, 0, again.stderr);
    const second = parseOneJsonLine(again.stdout);
    assert.equal(second.wasAlreadyRevoked, true);
    assert.equal(second.revokedAt, revoked.revokedAt);
  });

  it('exits non-zero with a clear message when key revoke names an unknown key', async () => {
    const unknown = await runCli(['key', 'revoke', '--key-id', '00000000-0000-4000-8000-000000000000'], db.url);
    const malformed = await runCli(['key', 'revoke', '--key-id', 'not-a-key'], db.url);

    for (const run of [unknown, malformed]) {
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /no API key with id/);
    }
  });

  it("prints the number's leads, entry and events with a note and exits 0 when Temporal is unreachable", async () => {
    const account = await accounts.createAccount({ name: 'By Number', senderNumber: uniqueSender() });
    const phone = '+12015550188';
    await db.knex('lead_consents').insert([
      { account_id: account.id, lead_id: 'lead-a', phone, phone_key: 'k', status: 'accepted' },
      { account_id: account.id, lead_id: 'lead-b', phone, phone_key: 'k', status: 'sent' },
      { account_id: account.id, lead_id: 'lead-c', phone: '+12015550189', phone_key: 'k2', status: 'rejected' },
    ]);
    await insertStartReply(`cli-number-${account.id}`, account.id, phone, 'lead-a');

    const run = await runCli(['consent', '--account', account.id, '--phone', phone, '--pretty'], db.url);

    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.ok(run.stdout.split('\n').length > 10, 'expected indented JSON with --pretty');
    assert.equal(report.phone, phone);
    assert.deepEqual(report.leads.map((l: { leadId: string; status: string }) => [l.leadId, l.status]).sort(), [
      ['lead-a', 'accepted'],
      ['lead-b', 'sent'],
    ]);
    assert.equal(report.isOnDoNotContact, false);
    assert.equal(report.doNotContact, null);
    assert.deepEqual(
      report.events.map((e: { eventType: string }) => e.eventType),
      ['opted_in'],
    );
    const workflowId = smsConsentWorkflowId(account.id, phoneKeyOf(phone, PHONE_HASH_KEY));
    assert.equal(report.workflow.workflowId, workflowId);
    assert.equal(
      report.workflow.webUiUrl,
      `${TEMPORAL_UI_URL}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`,
    );
    assert.equal(report.workflow.state, undefined);
    assert.match(report.workflow.note, /Temporal is unreachable at 127\.0\.0\.1:1/);
  });

  it('exits non-zero when consent gets neither or both of --lead and --phone, or a bad number', async () => {
    const account = await accounts.createAccount({ name: 'Consent Args', senderNumber: uniqueSender() });

    const runs = await Promise.all([
      runCli(['consent', '--account', account.id], db.url),
      runCli(['consent', '--account', account.id, '--lead', 'x', '--phone', '+12015550100'], db.url),
      runCli(['consent', '--account', account.id, '--phone', '555'], db.url),
    ]);

    assert.deepEqual(
      runs.map((run) => [run.code, run.stdout]),
      runs.map(() => [1, '']),
    );
    assert.match(runs[0]!.stderr, /give --lead <id> or --phone <e164>/);
    assert.match(runs[1]!.stderr, /cannot be used with/);
    assert.match(runs[2]!.stderr, /--phone "555" is not a valid phone number/);
  });

  it('writes nothing and exits non-zero when dnc add gets bad input or cannot reach Temporal', async () => {
    const account = await accounts.createAccount({ name: 'DNC Bad', senderNumber: uniqueSender() });
    const phone = '+12015550166';
    const add = (...args: string[]) => runCli(['dnc', 'add', '--account', account.id, ...args], db.url);

    const runs = await Promise.all([
      add('--phone', '12', '--source', 'email'),
      add('--phone', phone, '--source', 'sms'),
      add('--phone', phone, '--source', 'email', '--reason', 'x'.repeat(501)),
      runCli(['dnc', 'add', '--account', 'nope', '--phone', phone, '--source', 'email'], db.url),
      add('--phone', phone, '--source', 'email'),
    ]);

    for (const run of runs) {
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
    }
    assert.match(runs[0]!.stderr, /--phone "12" is not a valid phone number/);
    assert.match(runs[1]!.stderr, /Allowed choices are phone_call, email, web, operator/);
    assert.match(runs[2]!.stderr, /--reason is 501 characters; at most 500/);
    assert.match(runs[3]!.stderr, /no account with id "nope"/);
    assert.match(runs[4]!.stderr, /could not reach Temporal at 127\.0\.0\.1:1 .*nothing was written/);
    assert.deepEqual(await db.knex('do_not_contact').where({ account_id: account.id }), []);
    assert.deepEqual(await db.knex('consent_events').where({ account_id: account.id }), []);
  });

  it('pages through the list newest first when dnc list is run with --limit and --cursor', async () => {
    const account = await accounts.createAccount({ name: 'DNC List', senderNumber: uniqueSender() });
    const dnc = new DoNotContactRepository(db.knex);
    const phones = ['+12015550151', '+12015550152', '+12015550153'];
    for (const phone of phones) await dnc.add(account.id, { phone, phoneKey: phone, source: 'email' });

    const firstPage = await runCli(['dnc', 'list', '--account', account.id, '--limit', '2'], db.url);
    const { nextCursor } = parseOneJsonLine(firstPage.stdout);
    const secondPage = await runCli(
      ['dnc', 'list', '--account', account.id, '--limit', '2', '--cursor', nextCursor],
      db.url,
    );
    const badLimit = await runCli(['dnc', 'list', '--account', account.id, '--limit', '0'], db.url);

    assert.equal(firstPage.code, 0, firstPage.stderr);
    assert.equal(secondPage.code, 0, secondPage.stderr);
    const second = parseOneJsonLine(secondPage.stdout);
    assert.deepEqual(
      [...parseOneJsonLine(firstPage.stdout).items, ...second.items].map((e: { phone: string }) => e.phone),
      [...phones].reverse(),
    );
    assert.equal(second.nextCursor, null);
    assert.equal(badLimit.code, 1);
    assert.match(badLimit.stderr, /give a whole number from 1 to 500/);
  });

  it('shows a description and examples and exits 0 for every command and group when --help is given', async () => {
    const commands = [
      [],
      ['account'],
      ['account', 'create'],
      ['account', 'list'],
      ['key'],
      ['key', 'create'],
      ['key', 'list'],
      ['key', 'revoke'],
      ['consent'],
      ['dnc'],
      ['dnc', 'add'],
      ['dnc', 'check'],
      ['dnc', 'list'],
      ['sandbox'],
      ['sandbox', 'reply'],
    ];

    const runs = await mapInBatches(commands, 4, (command) => runCli([...command, '--help'], db.url));

    for (const [index, run] of runs.entries()) {
      const name = ['cli', ...commands[index]!].join(' ');
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      assert.ok(run.stdout.startsWith(`Usage: ${name} [options]`), `${name}:\n${run.stdout}`);
      assert.match(run.stdout.split('\n')[2]!, /^\S.+/, `${name} has no one-line description`);
      assert.match(run.stdout, /\nExamples:\n {2}\$ npm run cli -- \S/, `${name} has no examples`);
    }
  });
});

describe('cli with a running system', () => {
  let system: TestSystem;
  let account: TestAccount;
  startSystemPerFile((started) => ({ system, account } = started));

  /** Runs the CLI against this file's system: its database and its Temporal server. */
  const runLiveCli = (args: string[]) =>
    runCli(args, system.db.url, {
      TEMPORAL_ADDRESS: system.env.address,
      TEMPORAL_NAMESPACE: system.env.namespace ?? 'default',
    });
  const consentByPhone = (phone: string) => runLiveCli(['consent', '--account', account.accountId, '--phone', phone]);
  const queue = (leadId: string, phone: string, body: string) =>
    system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body } });
  const workflowOf = (phone: string) =>
    system.client.workflow.getHandle(smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY)));
  const optedOutState = (phone: string, what: string) =>
    waitFor(what, async () => {
      const state = await workflowOf(phone).query(getConsentStateQuery);
      return state.isOptedOut ? state : undefined;
    });

  it("shows the number's lead statuses and the live workflow state when consent is run by phone", async () => {
    const phone = system.newLeadPhone();
    const queued = await queue('lead-cli-live', phone, 'the house on Elm St');
    assert.equal(queued.body.status, 'held', JSON.stringify(queued.body));
    await waitFor('the lead recorded as sent', async () => {
      const row = await system.db.knex('lead_consents').where({ account_id: account.accountId, phone }).first();
      return row?.status === 'sent';
    });

    const run = await consentByPhone(phone);

    assert.equal(run.code, 0, run.stderr);
    const report = parseOneJsonLine(run.stdout);
    assert.deepEqual(
      report.leads.map((l: { leadId: string; status: string }) => [l.leadId, l.status]),
      [['lead-cli-live', 'sent']],
    );
    assert.equal(report.isOnDoNotContact, false);
    assert.ok(report.events.length > 0, 'expected the opt-in request in the ledger');
    const workflowId = smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY));
    assert.equal(report.workflow.workflowId, workflowId);
    assert.equal(
      report.workflow.webUiUrl,
      `${TEMPORAL_UI_URL}/namespaces/${system.env.namespace ?? 'default'}/workflows/${encodeURIComponent(workflowId)}`,
    );
    assert.equal(report.workflow.status, 'RUNNING');
    assert.equal(report.workflow.note, undefined);
    assert.equal(report.workflow.state.isOptedOut, false);
    assert.equal(report.workflow.state.heldCount, 1);
    assert.equal(report.workflow.state.leads['lead-cli-live'].status, 'sent');
  });

  it('says there is no workflow yet when consent is run for a number never texted', async () => {
    const phone = system.newLeadPhone();

    const run = await consentByPhone(phone);

    assert.equal(run.code, 0, run.stderr);
    const report = parseOneJsonLine(run.stdout);
    assert.deepEqual(report.leads, []);
    assert.equal(report.workflow.state, undefined);
    assert.match(report.workflow.note, /no workflow for this number yet/);
  });

  it('lists the number and opts its workflow out when dnc add is run, as dnc check and the query show', async () => {
    const phone = system.newLeadPhone();
    await queue('lead-cli-dnc', phone, 'held until START');
    const add = () =>
      runLiveCli([
        'dnc',
        'add',
        '--account',
        account.accountId,
        '--phone',
        phone,
        '--source',
        'phone_call',
        '--reason',
        'asked on a call',
      ]);

    const added = await add();
    const addedAgain = await add();
    const check = await runCli(['dnc', 'check', '--account', account.accountId, '--phone', phone], system.db.url);

    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(parseOneJsonLine(added.stdout), { phone, isNew: true, source: 'phone_call' });
    assert.equal(addedAgain.code, 0, addedAgain.stderr);
    assert.deepEqual(parseOneJsonLine(addedAgain.stdout), { phone, isNew: false, source: 'phone_call' });
    assert.equal(check.code, 0, check.stderr);
    const checked = parseOneJsonLine(check.stdout);
    assert.equal(checked.isOnDoNotContact, true);
    assert.deepEqual(
      [checked.entry.source, checked.entry.reason, checked.entry.actor],
      ['phone_call', 'asked on a call', 'cli'],
    );
    const state = await optedOutState(phone, 'the workflow to opt the number out');
    assert.equal(state.held.length, 0);
    const ledger = await system.db
      .knex('consent_events')
      .where({ account_id: account.accountId, phone, event_type: 'do_not_contact_added' });
    assert.deepEqual(
      ledger.map((row: { source: string; actor: string }) => [row.source, row.actor]),
      [['phone_call', 'cli']],
    );
  });

  it('starts the workflow opted out when dnc add is run for a number never texted', async () => {
    const phone = system.newLeadPhone();

    const added = await runLiveCli(['dnc', 'add', '--account', account.accountId, '--phone', phone, '--source', 'web']);
    const state = await optedOutState(phone, 'the new workflow to be opted out');
    const report = await consentByPhone(phone);

    assert.equal(added.code, 0, added.stderr);
    assert.equal(state.isOptedOut, true);
    assert.equal(report.code, 0, report.stderr);
    const parsed = parseOneJsonLine(report.stdout);
    assert.equal(parsed.isOnDoNotContact, true);
    assert.equal(parsed.doNotContact.source, 'web');
    assert.equal(parsed.workflow.state.isOptedOut, true);
  });
});
