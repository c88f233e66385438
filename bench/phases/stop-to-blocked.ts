import { setTimeout as sleep } from 'node:timers/promises';
import { defaultTemplates } from '../../src/consent/default-templates';
import { BENCH_SIGNATURE_SECRET } from '../harness';
import { postInbound, queueText } from '../http';
import { startProgress } from '../progress';
import { summarize, type LatencySummary } from '../stats';
import { Failures, type AcceptedLead, type BenchContext } from './context';

/** Section 4 of the results. */
export interface StopToBlockedResult {
  /** Numbers a STOP was sent from (fewer than asked when the time budget ran out). */
  numbers: number;
  measured: number;
  failures: number;
  failureExamples: string[];
  /** From sending the STOP webhook to its 2xx. */
  stopAckMs: LatencySummary;
  /** From sending the STOP webhook to the first POST /v1/messages to that number that answers `blocked`. */
  stopToBlockedMs: LatencySummary;
  /** How many of the numbers refused the very first send after the STOP's 2xx (the rest needed more tries). */
  blockedAtFirstTry: number;
  /** Texts queued for the number just before each STOP, racing it. */
  racingTexts: number;
  /** Texts the sandbox received after a STOP was acknowledged, other than its one confirmation: must be 0. */
  textsAfterStopAck: number;
  confirmationsAfterStopAck: number;
}

const PROBE_ATTEMPTS = 50;
const PROBE_WINDOW_MS = 10_000;
const RACING_TEXTS_PER_NUMBER = 2;
const CONFIRMATION_TIMEOUT_MS = 30_000;
/** After the confirmations, a further pause so that a late, wrong send would still be seen. */
const SETTLE_MS = 2_000;

/**
 * For each number (an accepted lead from phase 2, so its texts go out at once): queue two texts without waiting,
 * send a signed STOP, then POST /v1/messages to the number until it answers `blocked`. Afterwards, every text the
 * sandbox received for those numbers after the STOP's 2xx, other than the opt-out confirmation, is a violation of
 * invariant 2.
 */
export async function runStopToBlocked(context: BenchContext, leads: AcceptedLead[]): Promise<StopToBlockedResult> {
  const { system, watch } = context;
  const confirmation = defaultTemplates(system.account.name).optOutConfirmation;
  const failures = new Failures();
  const ackMs: number[] = [];
  let blockedAtFirstTry = 0;
  const blockedMs: number[] = [];
  const acknowledgedAt = new Map<string, number>();
  const racing: Promise<unknown>[] = [];
  const progress = startProgress('4/5 STOP to blocked', leads.length);
  let numbers = 0;

  const deadline = Date.now() + context.phaseSeconds * 1000;
  for (const [index, lead] of leads.entries()) {
    if (Date.now() > deadline) break;
    try {
      for (let race = 0; race < RACING_TEXTS_PER_NUMBER; race += 1) {
        racing.push(
          queueText(system.apiUrl, system.account.agentKey, {
            leadId: lead.leadId,
            phone: lead.phone,
            body: `Bench race ${index}.${race}: racing the STOP.`,
          }),
        );
      }
      numbers += 1;
      const sentAt = performance.now();
      const stop = await postInbound(system.apiUrl, BENCH_SIGNATURE_SECRET, {
        from: lead.phone,
        to: system.account.senderNumber,
        text: 'STOP',
      });
      if (stop.status !== 200) throw new Error(`the STOP webhook answered ${stop.status}`);
      acknowledgedAt.set(lead.phone, Date.now());
      ackMs.push(performance.now() - sentAt);
      let isBlocked = false;
      for (let attempt = 0; attempt < PROBE_ATTEMPTS && performance.now() - sentAt < PROBE_WINDOW_MS; attempt += 1) {
        const probe = await queueText(system.apiUrl, system.account.agentKey, {
          leadId: lead.leadId,
          phone: lead.phone,
          body: `Bench probe ${index}.${attempt}: after the STOP.`,
        });
        if (probe.body?.status === 'blocked') {
          blockedMs.push(performance.now() - sentAt);
          if (attempt === 0) blockedAtFirstTry += 1;
          isBlocked = true;
          break;
        }
      }
      if (!isBlocked) throw new Error(`no send was refused within ${PROBE_WINDOW_MS / 1000} s of the STOP`);
    } catch (error) {
      failures.add(error);
    }
    progress.tick();
  }
  await Promise.allSettled(racing);
  await Promise.allSettled(
    [...acknowledgedAt.keys()].map((phone) =>
      watch.waitFor(phone, (message) => message.text.startsWith(confirmation), CONFIRMATION_TIMEOUT_MS),
    ),
  );
  await sleep(SETTLE_MS);
  progress.done(numbers < leads.length ? `time budget reached after ${numbers} numbers` : undefined);

  let textsAfterStopAck = 0;
  let confirmationsAfterStopAck = 0;
  for (const [phone, ackAt] of acknowledgedAt) {
    for (const message of watch.textsTo(phone)) {
      if (Date.parse(message.receivedAt) <= ackAt) continue;
      if (message.text.startsWith(confirmation)) confirmationsAfterStopAck += 1;
      else textsAfterStopAck += 1;
    }
  }
  return {
    numbers,
    measured: blockedMs.length,
    failures: failures.count,
    failureExamples: failures.examples,
    stopAckMs: summarize(ackMs),
    stopToBlockedMs: summarize(blockedMs),
    blockedAtFirstTry,
    racingTexts: racing.length,
    textsAfterStopAck,
    confirmationsAfterStopAck,
  };
}
