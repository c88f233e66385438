// Lead details → Text History: the lead's texts in both directions, its opt-in and consent events, and a link to
// its workflow in the Temporal Web UI. Refreshed every 2 s.
import { api, ApiError } from './api.js';
import { dataTable, field, formatTime, h, renderIfChanged, replace, showError } from './dom.js';
import { actorOf, KIND_LABELS, optInBadge, REASON_LABELS, statusOf } from './labels.js';
import { leadSearch } from './lead-search.js';

/** Ledger event types, in words. */
const EVENT_LABELS = /** @type {Record<string, string>} */ ({
  opt_in_sent: 'Opt-in sent',
  opt_in_not_sent: 'Opt-in not sent',
  opted_in: 'Opted in (START)',
  opted_out: 'Opted out (STOP)',
  resubscribed: 'Re-subscribed',
  do_not_contact_added: 'Added to Do Not Contact',
  do_not_contact_removed: 'Removed from Do Not Contact',
});

/** @type {import('./app.js').View} */
export async function renderLead(main, context, leadId) {
  const input = /** @type {HTMLInputElement} */ (
    h('input', { name: 'leadId', required: true, maxlength: 128, autocomplete: 'off' })
  );
  input.value = leadId ?? '';
  const form = h(
    'form',
    { class: 'card inline-form', role: 'search', 'aria-label': 'Find a lead' },
    field('Lead ID', input),
    h('button', { type: 'submit', class: 'button' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = input.value.trim();
    if (id) location.hash = `#/leads/${encodeURIComponent(id)}`;
  });
  const details = h('div', { class: 'stack' });
  replace(main, h('h1', { tabindex: '-1' }, leadId ? `Lead ${leadId}` : 'Lead details'), form, details);
  if (!leadId) {
    details.append(
      h('p', { class: 'muted' }, 'Enter a lead ID, search below, or pick a lead in the Messaging Center.'),
      leadSearch(),
    );
    return;
  }

  const summary = h('section', { class: 'card', 'aria-labelledby': 'consent-title' });
  const history = h('section', { class: 'card stack', 'aria-labelledby': 'history-title' });
  const events = h('section', { class: 'card stack', 'aria-labelledby': 'events-title' });
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  replace(details, error, summary, history, events);

  context.poll(async () => {
    try {
      const path = `/v1/leads/${encodeURIComponent(leadId)}`;
      const [messages, consent] = await Promise.all([api('GET', `${path}/messages`), api('GET', `${path}/consent`)]);
      error.hidden = true;
      if (!summary.isConnected) replace(details, error, summary, history, events);
      renderIfChanged(summary, consent, (section, data) => renderSummary(section, data, context));
      renderIfChanged(history, messages.messages, renderHistory);
      renderIfChanged(events, consent.events, renderEvents);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) {
        replace(details, h('p', { class: 'muted', role: 'status' }, `No lead "${leadId}" in this account yet.`));
        return;
      }
      showError(error, failure);
      throw failure;
    }
  });
}

/**
 * @param {Element} section
 * @param {any} consent
 * @param {import('./app.js').Context} context
 */
function renderSummary(section, consent, context) {
  const { temporalUiUrl, temporalNamespace } = context.config;
  // The workflow is per number, and LeadIds lists every lead texting it, so this finds the lead's workflow without
  // the phone number ever appearing in a URL.
  const workflowsUrl = temporalUiUrl
    ? `${temporalUiUrl}/namespaces/${encodeURIComponent(temporalNamespace)}/workflows?query=${encodeURIComponent(
        `LeadIds="${consent.leadId}"`,
      )}`
    : null;
  replace(
    section,
    h('h2', { id: 'consent-title' }, 'Consent'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Opt-in'),
      h(
        'dd',
        { 'data-opt-in': consent.status },
        optInBadge(consent.status),
        consent.reason ? ` ${REASON_LABELS[consent.reason] ?? consent.reason}` : '',
      ),
      h('dt', {}, 'Number'),
      h('dd', {}, consent.phone),
      h('dt', {}, 'Do Not Contact'),
      h('dd', {}, consent.isOnDoNotContact ? 'Yes: nothing but HELP replies goes to this number' : 'No'),
      h('dt', {}, 'Last change'),
      h('dd', {}, formatTime(consent.updatedAt)),
    ),
    workflowsUrl
      ? h(
          'p',
          {},
          h(
            'a',
            { href: workflowsUrl, target: '_blank', rel: 'noopener noreferrer', 'data-temporal-link': '' },
            "Open this lead's workflow in the Temporal Web UI",
            h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'),
          ),
        )
      : h('p', { class: 'muted' }, 'The Temporal Web UI address is not configured (TEMPORAL_UI_URL).'),
  );
}

/**
 * Both directions in order, as a conversation.
 * @param {Element} section
 * @param {any[]} messages
 */
function renderHistory(section, messages) {
  replace(
    section,
    h('h2', { id: 'history-title' }, 'Text History'),
    messages.length === 0
      ? h('p', { class: 'muted' }, 'No texts yet.')
      : h(
          'ol',
          { class: 'conversation' },
          messages.map((message) =>
            h(
              'li',
              {
                class: `bubble bubble--${message.direction}`,
                'data-message-id': message.messageId,
                'data-kind': message.kind,
              },
              h(
                'p',
                { class: 'bubble__meta' },
                h('span', {}, message.direction === 'inbound' ? 'From the lead' : 'To the lead'),
                ' · ',
                KIND_LABELS[message.kind] ?? message.kind,
                ' · ',
                h('time', { datetime: message.createdAt }, formatTime(message.createdAt)),
                ' · ',
                statusOf(message),
              ),
              h('p', { class: 'bubble__body' }, message.body),
            ),
          ),
        ),
  );
}

/**
 * @param {Element} section
 * @param {any[]} events
 */
function renderEvents(section, events) {
  replace(
    section,
    h('h2', { id: 'events-title' }, 'Consent events'),
    dataTable({
      caption: 'Consent ledger, oldest first',
      emptyText: 'No consent events yet.',
      columns: ['When', 'Event', 'Source', 'Their text', 'By'],
      rows: events.map((event) =>
        h(
          'tr',
          { 'data-event-type': event.eventType },
          h('td', { 'data-label': 'When' }, formatTime(event.occurredAt)),
          h('td', { 'data-label': 'Event' }, EVENT_LABELS[event.eventType] ?? event.eventType),
          h('td', { 'data-label': 'Source' }, event.source),
          h('td', { 'data-label': 'Their text' }, event.rawText ?? '—'),
          h('td', { 'data-label': 'By' }, actorOf(event.actor)),
        ),
      ),
    }),
  );
}
