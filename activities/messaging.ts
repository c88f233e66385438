import { ApplicationFailure, Context, heartbeat, log } from '@temporalio/activity';
import type { FailureReason } from '../workflows/sms-consent.contract';
import type {
  RecordConsentChangeInput,
  RecordQueuedMessageInput,
  RecordQueuedMessageResult,
  SendTextInput,
  SendTextsInput,
  SendPlanner,
  SendTextResult,
  SetMessageStatusInput,
} from './types';

/** How a claim on an outbound message turned out. */
export type OutboundClaim =
  /** Nothing to send: already sent, refused by the gate, or failed before. */
  | { kind: 'done'; result: SendTextResult }
  /** The row is now `sending`; call the provider with exactly this. */
  | { kind: 'send'; to: string; from: string; text: string }
  /** An earlier attempt may have reached the provider; wait for its status callback (see sendText). */
  | { kind: 'outcome_unknown' };

/** Postgres, as the activities need it. Implemented by src/db/outbox-repository.ts. */
export interface ConsentStore {
  recordQueuedMessage(input: RecordQueuedMessageInput): Promise<RecordQueuedMessageResult>;
  /**
   * Runs `fn` while holding the number's lock, and hands it the claim, which runs on the lock's own connection. The
   * STOP webhook takes the same lock before it commits the Do Not Contact row, so a send that passed the gate
   * finishes before the STOP is acknowledged (invariant 2).
   */
  withNumberLock<T>(accountId: string, phone: string, fn: (claim: ClaimOutbound) => Promise<T>): Promise<T>;
  markSent(messageId: string, providerMessageId: string): Promise<SendTextResult>;
  markFailed(messageId: string, reason: FailureReason, detail?: unknown): Promise<void>;
  /** The provider surely did not take it (429, 5xx, refused connection): back to its previous status. */
  releaseClaim(messageId: string): Promise<void>;
  setMessageStatus(input: SetMessageStatusInput): Promise<void>;
  recordConsentChange(input: RecordConsentChangeInput): Promise<void>;
}

/**
 * Creates the row if missing, re-reads consent (gate) and marks it `sending`, all in one transaction. With
 * `planSend` (a lead's text or opt-in whose caller can wait), a text outside the recipient's sending window is
 * marked `scheduled` with its `sendAt` instead of `sending`, and comes back done as `scheduled`.
 */
export type ClaimOutbound = (
  input: SendTextInput,
  options: { reconcileWindowMs: number; planSend?: SendPlanner },
) => Promise<OutboundClaim>;

/** What the SMS provider said to one send. Implemented by src/vonage/sms-gateway.ts. */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'refused'; reason: FailureReason; detail?: unknown }
  | { kind: 'not_sent_retryable'; detail: string }
  | { kind: 'outcome_unknown'; detail: string };

/** Sends one SMS; never throws for provider answers, only classifies them. */
export interface SmsGateway {
  sendSms(input: { to: string; from: string; text: string; clientRef: string }): Promise<SendOutcome>;
}

/** Dependencies of the messaging activities. */
export interface MessagingDeps {
  store: ConsentStore;
  sms: SmsGateway;
  /** How long an uncertain send waits for the provider's status callback before it is failed, never resent. */
  reconcileWindowMs: number;
  /** Quiet hours: when a lead's text or opt-in may reach the recipient. */
  planSend: SendPlanner;
  /**
   * True once the worker is draining (SIGTERM): sendTexts then stops after the text in flight and fails its attempt
   * as retryable, so the rest of the batch goes out from the retry on another worker instead of delaying the drain.
   */
  isWorkerStopping?: () => boolean;
}

/** Builds the activities that touch Postgres and Vonage for the consent workflow. */
export function createMessagingActivities(deps: MessagingDeps) {
  const { store, sms } = deps;

  /** One text at most once (see sendText): lock, claim, provider, outcome. */
  const sendOne = (input: SendTextInput): Promise<SendTextResult> =>
    store.withNumberLock(input.accountId, input.phone, async (claimOutbound) => {
      // Only a caller that can wait for the window lets the gate answer `scheduled` (see SendTextInput.canSchedule).
      const claim = await claimOutbound(input, {
        reconcileWindowMs: deps.reconcileWindowMs,
        planSend: input.canSchedule ? deps.planSend : undefined,
      });
      if (claim.kind === 'done') return claim.result;
      if (claim.kind === 'outcome_unknown') {
        throw ApplicationFailure.retryable('an earlier send attempt may have reached Vonage', 'SendOutcomeUnknown');
      }
      const outcome = await sms.sendSms({
        to: claim.to,
        from: claim.from,
        text: claim.text,
        clientRef: input.messageId,
      });
      switch (outcome.kind) {
        case 'accepted':
          return store.markSent(input.messageId, outcome.providerMessageId);
        case 'refused':
          log.warn('provider refused a text', { messageId: input.messageId, reason: outcome.reason });
          await store.markFailed(input.messageId, outcome.reason, outcome.detail);
          return { status: 'failed', reason: outcome.reason };
        case 'not_sent_retryable':
          await store.releaseClaim(input.messageId);
          throw ApplicationFailure.retryable(`provider unavailable: ${outcome.detail}`, 'ProviderUnavailable');
        case 'outcome_unknown':
          throw ApplicationFailure.retryable(`send outcome unknown: ${outcome.detail}`, 'SendOutcomeUnknown');
      }
    });

  return {
    /**
     * Writes the queued text (idempotent by message ID and idempotency key) and reads the number's consent. With
     * `optIn`, then sends the lead's opt-in as sendText would, after the text's row is committed; with `sendNow`,
     * the text itself. A retry after a failed send finds the row under this message ID and carries on as the first
     * attempt, and the sent text's own row keeps it to one send.
     */
    async recordQueuedMessage(input: RecordQueuedMessageInput): Promise<RecordQueuedMessageResult> {
      const { optIn, sendNow, ...text } = input;
      const recorded = await store.recordQueuedMessage(text);
      if ((!optIn && !sendNow) || recorded.isDuplicate || recorded.isOnDoNotContact) return recorded;
      const { accountId, phone, phoneKey, workflowId, leadId } = input;
      const ref = { accountId, phone, phoneKey, workflowId, leadId, canSchedule: true };
      if (optIn) return { ...recorded, optIn: await sendOne({ ...ref, messageId: optIn.messageId, kind: 'opt_in' }) };
      return { ...recorded, sent: await sendOne({ ...ref, messageId: recorded.messageId, kind: 'lead' }) };
    },

    /**
     * Sends one outbound text at most once. Exactly-once comes from the outbox row: it is claimed (`sending`)
     * and committed before the provider is called, with the message ID as Vonage's client_ref.
     *
     * The one residual window: the worker dies after Vonage accepted the text and before the provider's message
     * id is committed. The retry then finds the row `sending` without an id and does not send again; the
     * status webhook matches Vonage's callback by client_ref and records the id (reconciliation). If no callback
     * arrives within `reconcileWindowMs`, the text is failed with `send_outcome_unknown`, never resent.
     */
    async sendText(input: SendTextInput): Promise<SendTextResult> {
      return sendOne(input);
    },

    /**
     * Sends texts to one number in order, each exactly as sendText does: its own lock, claim and outbox row, so
     * each is sent at most once and a STOP committed between two of them blocks the rest at the gate. One activity
     * instead of one per text (a START's confirmation and the texts it releases): fewer Temporal tasks per lead.
     * A retry after a failure part-way starts from the first text again; the texts already sent come back from
     * their rows as they were, without a second send. A heartbeat after each text lets a dead worker's batch be
     * retried as soon as one text's time has passed, not after the whole batch's. A worker that starts to drain
     * (or an attempt cancelled) stops after the text in flight, and the retry sends the rest.
     */
    async sendTexts(input: SendTextsInput): Promise<SendTextResult[]> {
      const { texts, ...ref } = input;
      const results: SendTextResult[] = [];
      for (const text of texts) {
        if (results.length > 0 && (deps.isWorkerStopping?.() || Context.current().cancellationSignal.aborted)) {
          throw ApplicationFailure.retryable(
            `the worker is stopping after ${results.length} of ${texts.length} texts; the retry sends the rest`,
            'WorkerStopping',
          );
        }
        heartbeat(results.length);
        results.push(await sendOne({ ...ref, ...text }));
      }
      return results;
    },

    /** Moves non-terminal messages to held, cancelled, expired, blocked or failed. */
    async setMessageStatus(input: SetMessageStatusInput): Promise<void> {
      await store.setMessageStatus(input);
    },

    /** Appends consent events to the ledger and updates the leads' statuses in one transaction. */
    async recordConsentChange(input: RecordConsentChangeInput): Promise<void> {
      await store.recordConsentChange(input);
    },
  };
}
