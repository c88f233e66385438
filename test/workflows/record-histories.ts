/**
 * Records workflow histories for the replay test: runs real scenarios against the real stack and writes each
 * workflow's history to test/workflows/histories/<scenario>.<label>.json. Run it when the workflow changes on
 * purpose, AFTER guarding the change with `patched()`, with a label naming the change, and commit the new files
 * beside the old ones. It never overwrites a file: the old ones are the running executions a deploy must still
 * replay.
 *
 *   npm run test:record-histories -- <label>
 *   npm run test:record-histories -- <label> --deploy-from <checkout of the previous code, with its node_modules>
 *
 * The second form records only held-across-deploy.<label>.json: the previous code's worker holds a lead's text
 * behind its opt-in, then this code's worker takes over (a deploy) and handles the START, the release and a new
 * text, as a deploy does to every number still waiting for its reply.
 *
 * The event delivery workflow's history (an endpoint down, then up) is recorded by its end-to-end test instead:
 *   RECORD_EVENT_HISTORY=<label> node --import tsx --test test/events/event-delivery.test.ts
 */
import path from 'node:path';
import { writeHistoryFile } from '../support/temporal-cli';
import { phoneKeyOf } from '../../src/phone';
import { smsConsentWorkflowId } from '../../workflows/sms-consent.contract';
import { PHONE_HASH_KEY, startSystem, waitFor } from '../support/system';

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^[a-z0-9-]+$/.test(label)) {
    throw new Error('usage: record-histories.ts <label>, a kebab-case name for the workflow change being recorded');
  }
  const deployFromIndex = process.argv.indexOf('--deploy-from');
  if (deployFromIndex !== -1) {
    const previous = process.argv[deployFromIndex + 1];
    if (!previous) throw new Error('--deploy-from needs the path of a checkout of the previous code');
    await recordDeploy(label, path.resolve(previous));
    return;
  }
  // Quiet hours enforced, so a scenario can record a text waiting for its window; the others send in the daytime
  // of the zones they name (or of their area code's zone when run in its daytime).
  const system = await startSystem({ isQuietHoursEnforced: true });
  try {
    const account = await system.createAccount();
    // Leads live where it is noon, so the recorder runs at any hour of the day with quiet hours enforced.
    const DAYTIME = zoneWhereLocalHourIs(12);
    const queue = (leadId: string, phone: string, body: string) =>
      system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId, phone, body, timeZone: DAYTIME } });
    const reply = (phone: string, text: string) =>
      system.sandbox.reply({ from: phone, to: account.senderNumber, text });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
    const scenarios: Record<string, string> = {};

    // One lead as the benchmark runs it (queued, START, the held text released): what a lead costs in tasks.
    const singleLead = system.newLeadPhone();
    await queue('lead-h0', singleLead, 'held until START');
    await reply(singleLead, 'START');
    await waitFor('released', () => system.sandbox.sent({ to: singleLead }).length >= 3);
    scenarios['single-lead-opt-in-release'] = singleLead;

    const optIn = system.newLeadPhone();
    await queue('lead-h1', optIn, 'first');
    await queue('lead-h1', optIn, 'second');
    await queue('lead-h2', optIn, 'duplicate lead');
    await reply(optIn, 'START');
    await waitFor('released', () => system.sandbox.sent({ to: optIn }).length >= 5);
    await queue('lead-h1', optIn, 'after accept');
    await reply(optIn, 'HELP');
    scenarios['opt-in-release-help'] = optIn;

    const stop = system.newLeadPhone();
    await queue('lead-h3', stop, 'held then cancelled');
    await reply(stop, 'STOP');
    await reply(stop, 'stop again');
    await queue('lead-h3', stop, 'blocked');
    await reply(stop, 'START');
    await queue('lead-h3', stop, 'after resubscribe');
    scenarios['stop-block-resubscribe'] = stop;

    const dnc = system.newLeadPhone();
    await queue('lead-h4', dnc, 'held');
    await system.api('POST', '/v1/do-not-contact', { key: account.agentKey, body: { phone: dnc, source: 'email' } });
    await settle();
    await system.api('DELETE', '/v1/do-not-contact', {
      key: account.adminKey,
      body: { phone: dnc, reason: 'wrong lead' },
    });
    await settle();
    await queue('lead-h4', dnc, 'fresh opt-in');
    scenarios['do-not-contact-added-removed'] = dnc;

    const unverified = await system.createAccount({ a2pStatus: 'pending' });
    const notSent = system.newLeadPhone();
    await system.api('POST', '/v1/messages', {
      key: unverified.agentKey,
      body: { leadId: 'lead-h5', phone: notSent, body: 'x' },
    });
    await system.api('PUT', '/v1/settings/a2p', { key: unverified.adminKey, body: { status: 'verified' } });
    await system.api('POST', '/v1/messages', {
      key: unverified.agentKey,
      body: { leadId: 'lead-h5', phone: notSent, body: 'y' },
    });

    // An unclear reply pauses an accepted lead's texts and a new lead's opt-in; START resumes; HELP in Spanish.
    const unclear = system.newLeadPhone();
    await queue('lead-h6', unclear, 'held until START');
    await reply(unclear, 'START');
    await waitFor('released', () => system.sandbox.sent({ to: unclear }).length >= 3);
    await reply(unclear, 'We need to stop the project');
    await waitFor('clarification', () => system.sandbox.sent({ to: unclear }).length >= 4);
    await queue('lead-h6', unclear, 'held by the pause');
    await queue('lead-h7', unclear, 'new lead while paused');
    await reply(unclear, 'START');
    await waitFor('resumed', () => system.sandbox.sent({ to: unclear }).length >= 7);
    await reply(unclear, 'AYUDA');
    scenarios['unclear-pause-resume'] = unclear;

    // Quiet hours: a text queued for a zone where it is night waits on a timer; the CRM then gives the lead a
    // daytime zone, which re-plans it, and it goes out.
    const quiet = system.newLeadPhone();
    const queueIn = (body: string, timeZone: string) =>
      system.api('POST', '/v1/messages', {
        key: account.agentKey,
        body: { leadId: 'lead-h8', phone: quiet, body, timeZone },
      });
    await queueIn('held until START', zoneWhereLocalHourIs(12));
    await reply(quiet, 'START');
    await waitFor('released', () => system.sandbox.sent({ to: quiet }).length >= 3);
    const night = await queueIn('waits for the morning', zoneWhereLocalHourIs(23));
    if (night.body.status !== 'scheduled') throw new Error(`expected scheduled, got ${JSON.stringify(night.body)}`);
    await queueIn('after the zone changed', zoneWhereLocalHourIs(12));
    await waitFor('re-planned and sent', () => system.sandbox.sent({ to: quiet }).length >= 5);
    scenarios['quiet-hours-replanned'] = quiet;

    await settle();
    const accountOf = (name: string) =>
      name === 'a2p-not-sent-then-verified' ? unverified.accountId : account.accountId;
    scenarios['a2p-not-sent-then-verified'] = notSent;
    for (const [name, phone] of Object.entries(scenarios)) {
      const workflowId = smsConsentWorkflowId(accountOf(name), phoneKeyOf(phone, PHONE_HASH_KEY));
      await writeHistory(`${name}.${label}`, system.env.address, workflowId);
    }
  } finally {
    await system.close();
  }
}

/** A fixed-offset IANA zone (no DST) whose local hour is `hour` now; Etc/GMT signs are inverted (POSIX). */
function zoneWhereLocalHourIs(hour: number): string {
  const offset = (((hour - new Date().getUTCHours()) % 24) + 24) % 24;
  const signed = offset > 14 ? offset - 24 : offset;
  return signed === 0 ? 'Etc/UTC' : signed > 0 ? `Etc/GMT-${signed}` : `Etc/GMT+${-signed}`;
}

async function recordDeploy(label: string, previousCheckout: string): Promise<void> {
  const system = await startSystem({ inProcessWorker: false });
  const stopWorker = async (worker: ReturnType<typeof system.spawnWorker>) => {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  };
  try {
    const account = await system.createAccount();
    const phone = system.newLeadPhone();
    const queue = (body: string) =>
      system.api('POST', '/v1/messages', { key: account.agentKey, body: { leadId: 'lead-deploy', phone, body } });

    const before = system.spawnWorker({ repoRoot: previousCheckout });
    const held = await queue('held across the deploy');
    if (held.body.status !== 'held') throw new Error(`expected held, got ${JSON.stringify(held.body)}`);
    await stopWorker(before);
    const after = system.spawnWorker();
    await system.sandbox.reply({ from: phone, to: account.senderNumber, text: 'START' });
    await waitFor('released', () => system.sandbox.sent({ to: phone }).length >= 3);
    await queue('after the deploy');
    await waitFor('sent at once', () => system.sandbox.sent({ to: phone }).length >= 4);
    await stopWorker(after);

    const workflowId = smsConsentWorkflowId(account.accountId, phoneKeyOf(phone, PHONE_HASH_KEY));
    await writeHistory(`held-across-deploy.${label}`, system.env.address, workflowId);
  } finally {
    await system.close();
  }
}

async function writeHistory(name: string, address: string, workflowId: string): Promise<void> {
  console.log(`wrote ${await writeHistoryFile(name, address, workflowId)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
