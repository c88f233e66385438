// How the console words the API's machine values (statuses, kinds, reasons, actors), shared by every view.
import { badge, h } from './dom.js';

/** The words of the four opt-in statuses, as people know them. */
export const OPT_IN_LABELS = /** @type {const} */ ({
  not_sent: 'Not Sent',
  sent: 'Sent',
  accepted: 'Accepted',
  rejected: 'Rejected',
});

/** What each kind of text is. */
export const KIND_LABELS = /** @type {Record<string, string>} */ ({
  lead: 'Text',
  opt_in: 'Opt-in',
  opt_in_confirmation: 'Opt-in confirmation',
  opt_out_confirmation: 'Opt-out confirmation',
  help_reply: 'HELP reply',
  clarification: 'Clarifying question',
  inbound: 'Reply',
});

/** What each pushed event is about, by its `type` (src/events/event-catalogue.ts). */
export const EVENT_TYPE_LABELS = /** @type {Record<string, string>} */ ({
  'lead.consent.changed': "A lead's opt-in status changed",
  'message.status.changed': 'A text changed status',
  'do_not_contact.changed': 'The Do Not Contact list changed',
});

/** Why a text did not go out, in words. */
export const REASON_LABELS = /** @type {Record<string, string>} */ ({
  a2p_not_verified: 'the account is not A2P 10DLC verified',
  invalid_number: 'the number is not valid',
  provider_refused: 'the carrier refused it',
  provider_auth_failed: 'the SMS provider refused our credentials',
  insufficient_balance: 'the Vonage account balance is too low',
  send_outcome_unknown: 'the provider never confirmed it',
  do_not_contact: 'the number is on the Do Not Contact list',
  lead_rejected: 'the lead opted out',
  not_opted_in: 'the lead has not opted in',
  hold_expired: 'it waited too long for START',
  opted_out: 'the number opted out',
  sends_paused: 'an unclear reply paused texts until START',
  outside_sending_window: "its opt-in waits for the lead's sending window (quiet hours)",
  no_sending_window: 'no sending window is known for the number (give the lead a time zone)',
});

/**
 * An opt-in status as people know it (Sent, Accepted, ...), coloured like any other status.
 * @param {string} status
 */
export function optInBadge(status) {
  return badge(OPT_IN_LABELS[/** @type {keyof typeof OPT_IN_LABELS} */ (status)] ?? status, status);
}

/**
 * An opt-in shows how its lead answered (Sent, Not Sent, Accepted, Rejected), then how the text itself fared; any
 * other text its own status. A text that did not go out says why.
 * @param {any} message
 */
export function statusOf(message) {
  const reason = message.reason ? (REASON_LABELS[message.reason] ?? message.reason) : null;
  const isOptIn = message.kind === 'opt_in' && message.optIn;
  // Quiet hours: a scheduled text says when it goes out, in the operator's own clock.
  const sendAt = message.status === 'scheduled' && message.sendAt ? new Date(message.sendAt).toLocaleString() : null;
  return [
    isOptIn ? optInBadge(message.optIn) : badge(message.status, message.status),
    isOptIn ? h('span', { class: 'reason' }, ` text ${message.status}`) : null,
    reason ? h('span', { class: 'reason' }, ` ${reason}`) : null,
    sendAt ? h('span', { class: 'reason', 'data-send-at': message.sendAt }, ` goes out ${sendAt}`) : null,
  ];
}

/**
 * Who added an entry: the system (a STOP, a carrier receipt), or an API key, shown by the start of its id.
 * @param {string | null} actor
 */
export function actorOf(actor) {
  if (!actor || actor === 'system') return 'system';
  return /^[0-9a-f-]{36}$/.test(actor) ? h('span', { title: actor }, `key ${actor.slice(0, 8)}`) : actor;
}
