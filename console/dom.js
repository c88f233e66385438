// Small DOM helpers. Every value from the API reaches the page as text (textContent, attributes), never as HTML,
// so a text body or a lead ID cannot inject markup.

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Record<string, string | number | boolean | null | undefined | ((event: any) => void)>} Attributes
 */

/**
 * Creates an element. Attributes starting with `on` become listeners; `true` sets an empty attribute, and
 * `false`, null and undefined leave it out.
 * @param {string} tag
 * @param {Attributes} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {(Child | Child[])[]} children
 */
function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's content.
 * @param {Element} element
 * @param {...(Child | Child[])} children
 */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

let nextId = 0;
/**
 * A unique element id, to tie a label to its input.
 * @param {string} prefix
 */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * A labelled form field: the label, the control and an optional hint tied to it with aria-describedby.
 * @param {string} label
 * @param {HTMLElement} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  const id = control.id || uid('field');
  control.id = id;
  const children = [h('label', { for: id }, label)];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    children.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  return h('div', { class: 'field' }, ...children, control);
}

/**
 * A date and time in the reader's locale, or an empty string.
 * @param {string | null | undefined} iso
 */
export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '';
}

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
});

/**
 * A status badge: `tone` picks colours that keep at least 4.5:1 contrast (style.css).
 * @param {string} text
 * @param {string} status the machine word, kept in data-status for tests and styles
 */
export function badge(text, status) {
  return h('span', { class: `badge badge--${toneOf(status)}`, 'data-status': status }, text);
}

/** @param {string} status */
function toneOf(status) {
  if (['delivered', 'accepted', 'verified', 'received'].includes(status)) return 'good';
  if (['failed', 'blocked', 'rejected', 'not_sent', 'expired', 'cancelled', 'unverified'].includes(status)) {
    return 'bad';
  }
  if (['held', 'queued', 'sending', 'pending'].includes(status)) return 'wait';
  return 'info';
}

/**
 * Shows an API error in `element` (role=alert), with each validation problem on its own line.
 * @param {Element} element
 * @param {unknown} error
 */
export function showError(element, error) {
  const body = /** @type {{ body?: { message?: string, details?: unknown } }} */ (error).body;
  const details = Array.isArray(body?.details) ? body.details : [];
  const message = body?.message ?? (error instanceof Error ? error.message : String(error));
  replace(
    element,
    h('p', {}, message),
    details.length > 0
      ? h(
          'ul',
          {},
          details.map((detail) => h('li', {}, String(detail?.message ?? detail))),
        )
      : null,
  );
  element.hidden = false;
}

/** @type {WeakMap<Element, string>} */
const shown = new WeakMap();

/**
 * Re-renders `element` only when `data` changed since the last time. Polled views call this every 2 s, and a
 * re-render would take keyboard focus away from a link the user is on.
 * @template T
 * @param {Element} element
 * @param {T} data
 * @param {(element: Element, data: T) => void} render
 */
export function renderIfChanged(element, data, render) {
  const json = JSON.stringify(data);
  if (shown.get(element) === json) return;
  shown.set(element, json);
  render(element, data);
}
