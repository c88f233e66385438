import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCH_BOOKKEEPING_LOCAL } from './patches';

/**
 * How the consent workflow calls its activities: the retry and timeout policy of each proxy, and which run as
 * local activities. Kept apart from the consent rules so a reader finds every Temporal timing choice in one place.
 */

// Activities retry until they succeed: a text to a lead must not be lost because Postgres or Vonage blinked.
// Permanent refusals come back as results (failed/blocked), not as errors, so nothing here needs a catch.
const RETRY_UNTIL_DONE = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

// 20 s bounds one attempt (Vonage's client timeout is 10 s) and is how long a dead worker delays a retry.
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: RETRY_UNTIL_DONE,
});

// recordQueuedMessage that also sends a text (a new lead's opt-in, or the text to a lead that has accepted): the
// write, then one send bounded as sendText's (20 s).
export const queueActs = proxyActivities<Pick<Activities, 'recordQueuedMessage'>>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY_UNTIL_DONE,
});

/** Texts a START sends in one activity (sendTexts): at most this many per activity, so one attempt stays short. */
export const TEXTS_PER_BATCH = 20;

// sendTexts sends up to TEXTS_PER_BATCH texts, each bounded as one sendText is (20 s). A heartbeat after each text
// keeps the 20 s bound for a dead worker; the start-to-close bound covers a whole batch of slow sends.
export const batchActs = proxyActivities<Pick<Activities, 'sendTexts'>>({
  startToCloseTimeout: '7 minutes',
  heartbeatTimeout: '20 seconds',
  retry: RETRY_UNTIL_DONE,
});

/** The Postgres-only activities that run as local activities: idempotent, one short transaction, no provider call. */
export type Bookkeeping = Pick<Activities, 'setMessageStatus' | 'recordConsentChange'>;

// Bookkeeping runs inside the workflow task as local activities: no activity task and no workflow task after each
// one, which is most of what a lead costs the dev server (issue #6). A local activity's result reaches history only
// when its workflow task completes; if the worker dies first, the whole task is re-run, local activities included,
// so each of these must be idempotent under re-execution (src/db/outbox-repository.ts). sendText stays a regular
// activity: it holds the number's lock through a Vonage call and may keep retrying for the whole reconcile window,
// work that belongs in the worker's bounded activity slots with server-side timeouts, not inside a workflow task.
// 10 s bounds one attempt, a transaction that normally takes milliseconds. Backoffs under the 10 s threshold
// (1, 2, 4, 8 s) are waited in the worker; longer ones on a server timer, so that a Postgres outage neither keeps a
// local-activity slot busy nor heartbeats the workflow task every 8 s.
const localActs = proxyLocalActivities<Bookkeeping>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '10 seconds',
  retry: RETRY_UNTIL_DONE,
});

/** Decided at every call: an older execution replays its recorded regular activities, then switches once live. */
export function bookkeeping(): Bookkeeping {
  return patched(PATCH_BOOKKEEPING_LOCAL) ? localActs : acts;
}
