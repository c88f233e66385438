// Do Not Contact → Search: a number or a lead ID. Each number found says whether it is on the list (why and when)
// and lists every lead that texted it with its opt-in status, so one search answers "may we text this person?".
import { api, query } from './api.js';
import { field, formatTime, h, replace, showError } from './dom.js';
import { leadsTable } from './lead-search.js';

/** @param {Record<string, string>} sourceLabels why a number is on the list, in words, by the entry's source */
export function searchForm(sourceLabels) {
  const input = /** @type {HTMLInputElement} */ (
    h('input', {
      name: 'q',
      required: true,
      maxlength: 128,
      autocomplete: 'off',
      spellcheck: 'false',
      id: 'dnc-search',
    })
  );
  const status = h('p', { role: 'status', class: 'muted' });
  const result = h('div', { class: 'stack result' });
  const form = h(
    'form',
    { class: 'card stack', role: 'search', 'aria-labelledby': 'dnc-search-title', novalidate: true },
    h('h2', { id: 'dnc-search-title' }, 'Search a number or a lead'),
    field('Phone number or lead ID', input, 'A number in any common format, or a lead ID for the numbers it texted.'),
    h('button', { type: 'submit', class: 'button' }, 'Search'),
    status,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    replace(result);
    try {
      const answer = await api('GET', `/v1/do-not-contact/search${query({ q: input.value.trim() })}`);
      status.textContent =
        answer.numbers.length === 0
          ? `“${answer.query}” is neither a valid number nor a lead of this account.`
          : `${answer.numbers.length === 1 ? '1 number' : `${answer.numbers.length} numbers`} for “${answer.query}”`;
      replace(
        result,
        answer.numbers.map((/** @type {any} */ number) => numberResult(number, sourceLabels)),
      );
    } catch (error) {
      const box = h('div', { class: 'error' });
      showError(box, error);
      replace(result, box);
    }
  });
  return form;
}

/**
 * @param {any} number one of the search's numbers: {phone, isOnDoNotContact, entry?, leads}
 * @param {Record<string, string>} sourceLabels
 */
function numberResult(number, sourceLabels) {
  const { entry } = number;
  return h(
    'section',
    { class: 'stack', 'data-number': number.phone, 'aria-label': number.phone },
    number.isOnDoNotContact
      ? h(
          'p',
          { 'data-listed': 'true' },
          h('strong', {}, number.phone),
          ` is on the list since ${formatTime(entry.createdAt)}: ${sourceLabels[entry.source] ?? entry.source}${
            entry.reason ? ` (${entry.reason})` : ''
          }.`,
        )
      : h('p', { 'data-listed': 'false' }, h('strong', {}, number.phone), ' is not on the list.'),
    leadsTable({
      caption: `Leads that texted ${number.phone}, newest change first`,
      leads: number.leads,
      emptyText: 'No lead has texted this number.',
      showPhone: false,
    }),
  );
}
