/**
 * The names of the behaviour changes made after executions started running. Each is checked with `patched()` where
 * the behaviour differs, so a history recorded before the change replays as it ran (test/workflows/replay.test.ts
 * replays every committed history). A name is stored in history: never rename or reuse one.
 */

/**
 * setMessageStatus and recordConsentChange run as local activities (recordQueuedMessage stays regular, see
 * onMessageQueued). A history recorded before holds them as ActivityTaskScheduled events, which only the regular
 * proxy replays.
 */
export const PATCH_BOOKKEEPING_LOCAL = 'postgres-bookkeeping-as-local-activities';
/** A lead blocked before any opt-in reached it is not_sent (do_not_contact), never rejected. */
export const PATCH_NO_OPT_IN_IS_NOT_REJECTED = 'lead-without-opt-in-is-not-rejected';
/** The opt-out confirmation is skipped only when an earlier STOP was already confirmed. */
export const PATCH_CONFIRM_UNCONFIRMED_STOP = 'confirm-each-unconfirmed-stop';
/** A number Postgres has on Do Not Contact, learnt at a send or a queued text, counts as opted out. */
export const PATCH_POSTGRES_DNC_MARKS_OPTED_OUT = 'postgres-do-not-contact-marks-opted-out';
/**
 * A reply the classifier cannot settle pauses sends and asks once (docs/keywords.md). Histories from before it
 * never carry an `unclear` intent, so the marker only records when a run first took the new path.
 */
export const PATCH_UNCLEAR_REPLY_PAUSES = 'unclear-reply-pauses-sends';
/**
 * Quiet hours: texts due outside the recipient's window wait on a timer (docs/quiet-hours.md). Older histories
 * never hold a `scheduled` send result, so the marker only records when a run first sent a scheduled text.
 */
export const PATCH_QUIET_HOURS = 'quiet-hours-scheduled-texts';
/**
 * A START sends its confirmation and the texts it releases in one sendTexts activity (in order, each with its own
 * outbox row and claim) instead of one sendText each. Older histories hold one sendText per text.
 */
export const PATCH_START_SENDS_IN_ONE_ACTIVITY = 'start-sends-in-one-activity';
/**
 * A new lead's opt-in goes out from the recordQueuedMessage activity that records its text (RecordQueuedMessageInput
 * .optIn) instead of a sendText of its own. Older histories hold recordQueuedMessage then sendText.
 */
export const PATCH_OPT_IN_WITH_QUEUED_TEXT = 'opt-in-sent-with-the-queued-text';
/**
 * A text to a lead that has accepted goes out from the recordQueuedMessage activity that records it
 * (RecordQueuedMessageInput.sendNow) instead of a sendText of its own. Older histories hold both activities.
 */
export const PATCH_SEND_WITH_QUEUED_TEXT = 'accepted-text-sent-when-recorded';
