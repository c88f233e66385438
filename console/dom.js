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
  if (['delivered', 'accepted', 'verified', 'received', 'healthy'].includes(status)) return 'good';
  if (['failed', 'blocked', 'rejected', 'not_sent', 'expired', 'cancelled', 'unverified', 'failing'].includes(status)) {
    return 'bad';
  }
  if (['held', 'scheduled', 'queued', 'sending', 'pending'].includes(status)) return 'wait';
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

/**
 * A table that stacks into cards on a narrow screen (style.css), so every cell of `rows` carries its column's
 * title in data-label. The caption is for screen readers only; `emptyText` stands in for a table without rows.
 * @param {{ caption: string, columns: string[], rows: HTMLElement[], emptyText: string, attributes?: Attributes }} table
 */
export function dataTable({ caption, columns, rows, emptyText, attributes = {} }) {
  if (rows.length === 0) return h('p', { class: 'muted' }, emptyText);
  return h(
    'table',
    { class: 'data-table', ...attributes },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h('tbody', {}, rows),
  );
}
