// Lead details → Search leads: the account's recent leads, or those whose ID starts with what was typed or that
// use that number, each with its opt-in status and a link to its details. The leads table is shared with the Do Not
// Contact search.
import { api, query } from './api.js';
import { dataTable, field, formatTime, h, replace, showError } from './dom.js';
import { optInBadge, REASON_LABELS } from './labels.js';

const RESULT_LIMIT = 50;

/**
 * Leads with their opt-in status and why it was not sent, each linking to its details.
 * @param {{ caption: string, leads: any[], emptyText: string, showPhone?: boolean }} table
 */
export function leadsTable({ caption, leads, emptyText, showPhone = true }) {
  return dataTable({
    caption,
    emptyText,
    columns: ['Lead', ...(showPhone ? ['Number'] : []), 'Opt-in', 'Reason', 'Last change'],
    attributes: { 'data-leads': '' },
    rows: leads.map((lead) =>
      h(
        'tr',
        { 'data-lead-id': lead.leadId, 'data-phone': lead.phone },
        h('td', { 'data-label': 'Lead' }, h('a', { href: `#/leads/${encodeURIComponent(lead.leadId)}` }, lead.leadId)),
        showPhone ? h('td', { 'data-label': 'Number', class: 'nowrap' }, lead.phone) : null,
        h('td', { 'data-label': 'Opt-in', 'data-opt-in': lead.status }, optInBadge(lead.status)),
        h('td', { 'data-label': 'Reason' }, lead.reason ? (REASON_LABELS[lead.reason] ?? lead.reason) : '—'),
        h('td', { 'data-label': 'Last change' }, formatTime(lead.updatedAt)),
      ),
    ),
  });
}

/** The search of Lead details, showing the most recent leads until something is searched. */
export function leadSearch() {
  const input = /** @type {HTMLInputElement} */ (
    h('input', { name: 'q', maxlength: 128, autocomplete: 'off', spellcheck: 'false', id: 'lead-search' })
  );
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const summary = h('p', { role: 'status', class: 'muted' });
  const results = h('div');
  const form = h(
    'form',
    { class: 'inline-form', role: 'search', 'aria-labelledby': 'lead-search-title', novalidate: true },
    field('Lead ID or number', input, 'The start of a lead ID, or a phone number in any format. Empty: recent leads.'),
    h('button', { type: 'submit', class: 'button' }, 'Search'),
  );

  /** @param {string} text what was searched; empty for the recent leads */
  const load = async (text) => {
    try {
      const { leads } = await api('GET', `/v1/leads${query({ q: text, limit: RESULT_LIMIT })}`);
      error.hidden = true;
      summary.textContent = text
        ? `${leads.length === 1 ? '1 lead' : `${leads.length} leads`} for “${text}”`
        : 'The most recent leads, newest change first';
      replace(
        results,
        leadsTable({
          caption: text ? `Leads for “${text}”` : 'Recent leads',
          leads,
          emptyText: text ? 'No lead ID starts with that, and no lead uses that number.' : 'No leads yet.',
        }),
      );
    } catch (failure) {
      showError(error, failure);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(input.value.trim());
  });
  void load('');

  return h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'lead-search-title' },
    h('h2', { id: 'lead-search-title' }, 'Search leads'),
    form,
    error,
    summary,
    results,
  );
}
