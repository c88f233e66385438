// Messaging Center: compose a text (or fill a template) for a lead, and the account's recent texts with their
// statuses, filterable and refreshed every 2 s.
import { api, query } from './api.js';
import { badge, dataTable, field, formatTime, h, renderIfChanged, replace, showError } from './dom.js';
import { KIND_LABELS, OPT_IN_LABELS, optInBadge, REASON_LABELS, statusOf } from './labels.js';
import { describeCost, previewText } from './sms-preview.js';

const RECENT_LIMIT = 50;

/** The filter's choices: opt-in statuses (of opt-in texts) and text statuses. */
const FILTERS = [
  { group: 'Opt-ins', options: Object.entries(OPT_IN_LABELS).map(([value, label]) => [`optIn:${value}`, label]) },
  {
    group: 'Texts',
    options: ['held', 'sent', 'delivered', 'blocked', 'cancelled', 'expired', 'failed', 'received'].map((status) => [
      `status:${status}`,
      status,
    ]),
  },
];

/** @type {import('./app.js').View} */
export async function renderMessages(main, context) {
  const recent = h('div', { class: 'recent' });
  const updated = h('p', { class: 'muted small', 'data-updated': '' });
  const recentError = h('div', { class: 'error', role: 'alert', hidden: true });
  const filter = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'recent-filter', name: 'filter' },
      h('option', { value: '' }, 'All texts'),
      FILTERS.map(({ group, options }) =>
        h(
          'optgroup',
          { label: group },
          options.map(([value, label]) => h('option', { value }, label)),
        ),
      ),
    )
  );
  const compose = h('div', { class: 'compose' });
  replace(
    main,
    h('h1', { tabindex: '-1' }, 'Messaging Center'),
    compose,
    h(
      'section',
      { class: 'card stack', 'aria-labelledby': 'recent-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'recent-title' }, 'Recent texts'), field('Show', filter)),
      recentError,
      recent,
      updated,
    ),
  );

  const refresh = async () => {
    const [kind, value] = filter.value ? filter.value.split(':') : [];
    try {
      const { messages } = await api(
        'GET',
        `/v1/messages${query({ limit: RECENT_LIMIT, status: kind === 'status' ? value : undefined, optIn: kind === 'optIn' ? value : undefined })}`,
      );
      recentError.hidden = true;
      renderIfChanged(recent, messages, renderRecent);
      const newestOutbound = messages.find((/** @type {any} */ m) => m.direction === 'outbound');
      if (newestOutbound?.reason === 'a2p_not_verified') context.noteA2pProblem();
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every 2 seconds.`;
    } catch (error) {
      showError(recentError, error);
      throw error;
    }
  };
  filter.addEventListener('change', () => void refresh().catch(() => {}));
  context.poll(refresh);

  const { templates } = await api('GET', '/v1/templates');
  replace(
    compose,
    composeForm(templates, context, () => void refresh().catch(() => {})),
  );
}

/**
 * The list of recent texts: a table that stacks into cards on a narrow screen.
 * @param {Element} container
 * @param {any[]} messages
 */
function renderRecent(container, messages) {
  replace(
    container,
    dataTable({
      caption: 'Recent texts, newest first',
      emptyText: 'No texts yet.',
      columns: ['When', 'Lead', 'Number', 'Kind', 'Status', 'Text'],
      rows: messages.map((message) =>
        h(
          'tr',
          {
            'data-message-id': message.messageId,
            'data-kind': message.kind,
            'data-lead-id': message.leadId ?? '',
            'data-message-status': message.status,
          },
          h('td', { 'data-label': 'When' }, formatTime(message.createdAt)),
          h(
            'td',
            { 'data-label': 'Lead' },
            message.leadId ? h('a', { href: `#/leads/${encodeURIComponent(message.leadId)}` }, message.leadId) : '—',
          ),
          h('td', { 'data-label': 'Number', class: 'nowrap' }, message.phone),
          h(
            'td',
            { 'data-label': 'Kind' },
            message.direction === 'inbound' ? 'Reply' : (KIND_LABELS[message.kind] ?? message.kind),
          ),
          h('td', { 'data-label': 'Status', class: 'status-cell' }, statusOf(message)),
          h('td', { 'data-label': 'Text', class: 'body-cell' }, message.body),
        ),
      ),
    }),
  );
}

/**
 * Compose a text or fill a template, for one lead.
 * @param {any[]} templates
 * @param {import('./app.js').Context} context
 * @param {() => void} onSent
 */
function composeForm(templates, context, onSent) {
  const leadId = h('input', { name: 'leadId', required: true, maxlength: 128, autocomplete: 'off' });
  const phone = h('input', { name: 'phone', type: 'tel', required: true, maxlength: 32, autocomplete: 'off' });
  const body = /** @type {HTMLTextAreaElement} */ (h('textarea', { name: 'body', rows: 4, maxlength: 947 }));
  const bodyPreview = h('pre', { class: 'sms-preview' });
  const bodyCost = h('p', { class: 'cost', 'aria-live': 'polite' });
  const showBodyPreview = () => {
    const preview = previewText(body.value);
    bodyPreview.textContent = preview.text;
    bodyCost.textContent = describeCost(preview);
  };
  body.addEventListener('input', showBodyPreview);
  showBodyPreview();

  const template = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { name: 'templateId' },
      templates.map((t) => h('option', { value: t.templateId }, t.name)),
    )
  );
  const variables = h('div', { class: 'stack' });
  const showVariables = () => {
    const chosen = templates.find((t) => t.templateId === template.value);
    replace(
      variables,
      chosen ? h('p', { class: 'template-body' }, chosen.body) : null,
      (chosen?.variables ?? []).map((/** @type {string} */ name) =>
        field(name, h('input', { name: `var-${name}`, 'data-variable': name, required: true, autocomplete: 'off' })),
      ),
    );
  };
  template.addEventListener('change', showVariables);
  showVariables();

  const writeChoice = h('input', { type: 'radio', name: 'mode', value: 'body', checked: true, id: 'mode-body' });
  const templateChoice = h('input', {
    type: 'radio',
    name: 'mode',
    value: 'template',
    id: 'mode-template',
    disabled: templates.length === 0,
  });
  const writePanel = h(
    'div',
    { class: 'stack' },
    field('Text', body, 'The footer is added when it goes out.'),
    h(
      'div',
      { class: 'preview' },
      h('p', { class: 'preview__label' }, 'What the lead receives'),
      bodyPreview,
      bodyCost,
    ),
  );
  const templatePanel = h('div', { class: 'stack', hidden: true }, field('Template', template), variables);
  const showMode = () => {
    const useTemplate = /** @type {HTMLInputElement} */ (templateChoice).checked;
    writePanel.hidden = useTemplate;
    templatePanel.hidden = !useTemplate;
  };
  writeChoice.addEventListener('change', showMode);
  templateChoice.addEventListener('change', showMode);

  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const result = h('div', { class: 'result', role: 'status' });
  const form = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'compose-title', novalidate: true },
    h('h2', { id: 'compose-title' }, 'Send a text'),
    h(
      'div',
      { class: 'grid-2' },
      field('Lead ID', leadId, "The CRM's id of the lead."),
      field('Phone number', phone, 'E.164, e.g. +14155550123.'),
    ),
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', {}, 'What to send'),
      h('div', { class: 'choice' }, writeChoice, h('label', { for: 'mode-body' }, 'Write a text')),
      h(
        'div',
        { class: 'choice' },
        templateChoice,
        h('label', { for: 'mode-template' }, templates.length === 0 ? 'Use a template (none yet)' : 'Use a template'),
      ),
    ),
    writePanel,
    templatePanel,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Send')),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    replace(result);
    const useTemplate = /** @type {HTMLInputElement} */ (templateChoice).checked;
    /** @type {Record<string, unknown>} */
    const request = {
      leadId: /** @type {HTMLInputElement} */ (leadId).value.trim(),
      phone: /** @type {HTMLInputElement} */ (phone).value.trim(),
    };
    if (useTemplate) {
      request.templateId = template.value;
      request.variables = Object.fromEntries(
        [...variables.querySelectorAll('input[data-variable]')].map((input) => [
          /** @type {HTMLInputElement} */ (input).dataset.variable,
          /** @type {HTMLInputElement} */ (input).value,
        ]),
      );
    } else {
      request.body = body.value;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      const answer = await api('POST', '/v1/messages', request);
      if (answer.reason === 'a2p_not_verified') context.noteA2pProblem();
      replace(
        result,
        h(
          'p',
          { 'data-result': answer.status },
          'Queued for ',
          h('a', { href: `#/leads/${encodeURIComponent(String(request.leadId))}` }, String(request.leadId)),
          ': the text is ',
          badge(answer.status, answer.status),
          ', the opt-in is ',
          optInBadge(answer.optIn),
          answer.reason ? ` (${REASON_LABELS[answer.reason] ?? answer.reason})` : '',
          answer.duplicate ? ' (already queued before)' : '',
          '.',
        ),
      );
      onSent();
    } catch (failure) {
      showError(error, failure);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
