// The Do Not Contact list: search a number or a lead, add a number with the way the revocation came in, and see why
// and when each number is on the list.
import { api, query } from './api.js';
import { dataTable, field, formatTime, h, renderIfChanged, replace, showError } from './dom.js';
import { searchForm } from './do-not-contact-search.js';
import { actorOf } from './labels.js';

const PAGE_SIZE = 50;

/** Why a number is on the list, in words (the entry's source). */
const SOURCE_LABELS = /** @type {Record<string, string>} */ ({
  sms: 'Replied STOP by text',
  phone_call: 'Asked by phone',
  email: 'Asked by email',
  web: 'Asked on the web',
  operator: 'Added by an operator',
  carrier: 'Opted out at the carrier',
  import: 'Imported list',
});
/** The sources a person may record (carrier and import are the system's). */
const ADDABLE_SOURCES = ['phone_call', 'email', 'web', 'sms', 'operator'];

/** @type {import('./app.js').View} */
export async function renderDoNotContact(main, context) {
  const list = h('div', { class: 'stack' });
  const listError = h('div', { class: 'error', role: 'alert', hidden: true });
  const more = h('button', { type: 'button', class: 'button button--quiet', hidden: true }, 'Show more');
  /** @type {any[]} */
  let items = [];
  /** @type {string | undefined} */
  let nextCursor;

  /** @param {boolean} append false: reload the first page */
  const load = async (append) => {
    try {
      const page = await api(
        'GET',
        `/v1/do-not-contact${query({ limit: PAGE_SIZE, cursor: append ? nextCursor : undefined })}`,
      );
      listError.hidden = true;
      items = append ? [...items, ...page.items] : page.items;
      nextCursor = page.nextCursor;
      more.hidden = !nextCursor;
      renderIfChanged(list, items, renderEntries);
    } catch (error) {
      showError(listError, error);
    }
  };
  more.addEventListener('click', () => void load(true));

  replace(
    main,
    h('h1', { tabindex: '-1' }, 'Do Not Contact list'),
    h('p', { class: 'muted' }, 'Nothing but HELP replies goes to a number on this list, until it texts START again.'),
    h(
      'div',
      { class: 'grid-2' },
      searchForm(SOURCE_LABELS),
      addForm(() => void load(false)),
    ),
    h(
      'section',
      { class: 'card stack', 'aria-labelledby': 'dnc-list-title' },
      h('h2', { id: 'dnc-list-title' }, 'Numbers on the list'),
      listError,
      list,
      more,
    ),
  );
  // Polled like the other views, so a STOP shows up without a reload; not once more pages are open.
  context.poll(async () => {
    if (items.length <= PAGE_SIZE) await load(false);
  });
}

/**
 * @param {Element} container
 * @param {any[]} items
 */
function renderEntries(container, items) {
  replace(
    container,
    dataTable({
      caption: 'Numbers on the Do Not Contact list, newest first',
      emptyText: 'The list is empty.',
      columns: ['Number', 'Why', 'Reason', 'Added by', 'When'],
      attributes: { 'data-dnc-list': '' },
      rows: items.map((entry) =>
        h(
          'tr',
          { 'data-phone': entry.phone },
          h('td', { 'data-label': 'Number', class: 'nowrap' }, entry.phone),
          h('td', { 'data-label': 'Why', 'data-source': entry.source }, SOURCE_LABELS[entry.source] ?? entry.source),
          h('td', { 'data-label': 'Reason' }, entry.reason ?? '—'),
          h('td', { 'data-label': 'Added by' }, actorOf(entry.actor)),
          h('td', { 'data-label': 'When' }, formatTime(entry.createdAt)),
        ),
      ),
    }),
  );
}

/** @param {() => void} onAdded */
function addForm(onAdded) {
  const phone = /** @type {HTMLInputElement} */ (
    h('input', { name: 'phone', type: 'tel', required: true, maxlength: 32, autocomplete: 'off', id: 'dnc-add' })
  );
  const source = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { name: 'source', id: 'dnc-source' },
      ADDABLE_SOURCES.map((value) => h('option', { value }, SOURCE_LABELS[value] ?? value)),
    )
  );
  const reason = /** @type {HTMLInputElement} */ (
    h('input', { name: 'reason', maxlength: 500, autocomplete: 'off', id: 'dnc-reason' })
  );
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const result = h('p', { role: 'status', class: 'success' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'dnc-add-title', novalidate: true },
    h('h2', { id: 'dnc-add-title' }, 'Add a number'),
    field('Phone number', phone),
    field('How they asked', source),
    field('Reason (optional)', reason, 'e.g. "asked by email on 2 Nov not to be texted"'),
    error,
    h('button', { type: 'submit', class: 'button' }, 'Add to the list'),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    result.textContent = '';
    try {
      const entry = await api('POST', '/v1/do-not-contact', {
        phone: phone.value.trim(),
        source: source.value,
        ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
      });
      result.textContent = entry.isNew
        ? `${entry.phone} is now on the list; its held texts are cancelled.`
        : `${entry.phone} was already on the list.`;
      phone.value = '';
      reason.value = '';
      onAdded();
    } catch (failure) {
      showError(error, failure);
    }
  });
  return form;
}
