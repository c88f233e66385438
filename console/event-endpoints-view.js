// Event endpoints (admins only): where the account's events are pushed, each endpoint's health (failing after 3
// failed attempts in a row, until it answers 2xx again) and recent deliveries, replay of the failed ones, and the
// signing secret of a new or rotated endpoint, shown once.
import { api, ApiError, query } from './api.js';
import { badge, field, formatTime, h, renderIfChanged, replace, showError, uid } from './dom.js';
import { deliveriesSection, DELIVERIES_SHOWN } from './event-deliveries.js';

/** As src/db/event-endpoints-repository.ts: an endpoint is failing after this many failed attempts in a row. */
const FAILING_AFTER_ATTEMPTS = 3;

/**
 * One endpoint's card, kept across polls so its buttons, a delete being confirmed or a secret on show stay put.
 * @typedef {{ element: HTMLElement, update: (endpoint: any, deliveries: any[]) => void }} EndpointCard
 */

/** @type {import('./app.js').View} */
export async function renderEventEndpoints(main, context) {
  if (context.role !== 'admin') {
    replace(
      main,
      h('h1', { tabindex: '-1' }, 'Event endpoints'),
      h(
        'p',
        { class: 'muted', 'data-admins-only': '' },
        "Admins only: sign in with an admin key to see and change where this account's events are pushed.",
      ),
    );
    return;
  }

  const list = h('div', { class: 'stack', 'data-endpoints': '' });
  const listError = h('div', { class: 'error', role: 'alert', hidden: true });
  const listStatus = h('p', { role: 'status', class: 'success' });
  const updated = h('p', { class: 'muted small' });
  const listTitle = h('h2', { id: 'endpoints-title', tabindex: '-1' }, 'Endpoints');
  /** @type {Map<string, EndpointCard>} */
  const cards = new Map();

  const refresh = async () => {
    try {
      const { endpoints } = await api('GET', '/v1/event-endpoints');
      const deliveries = await Promise.all(
        endpoints.map((/** @type {any} */ endpoint) =>
          api(
            'GET',
            `/v1/event-endpoints/${encodeURIComponent(endpoint.id)}/deliveries${query({ limit: DELIVERIES_SHOWN })}`,
          ).then(
            (answer) => answer.deliveries,
            (error) => {
              // Deleted since the list was read (from another tab, say): the next poll no longer lists it.
              if (error instanceof ApiError && error.status === 404) return null;
              throw error;
            },
          ),
        ),
      );
      listError.hidden = true;
      showEndpoints(
        endpoints.filter((/** @type {any} */ _endpoint, /** @type {number} */ index) => deliveries[index] !== null),
        deliveries.filter((list) => list !== null),
      );
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every 2 seconds.`;
    } catch (error) {
      showError(listError, error);
      throw error;
    }
  };
  const refreshNow = () => void refresh().catch(() => {});

  /**
   * @param {any[]} endpoints
   * @param {any[][]} deliveries
   */
  const showEndpoints = (endpoints, deliveries) => {
    const ids = new Set(endpoints.map((endpoint) => endpoint.id));
    for (const [id, card] of cards) {
      if (!ids.has(id)) {
        card.element.remove();
        cards.delete(id);
      }
    }
    endpoints.forEach((endpoint, index) => {
      let card = cards.get(endpoint.id);
      if (!card) {
        card = endpointCard(endpoint, {
          onChanged: refreshNow,
          onDeleted: () => {
            listStatus.textContent = `Deleted ${endpoint.url}: nothing more is sent to it.`;
            cards.get(endpoint.id)?.element.remove();
            cards.delete(endpoint.id);
            // The card had focus (its Delete button): it goes to the list's heading rather than the page's top.
            listTitle.focus();
            refreshNow();
          },
        });
        cards.set(endpoint.id, card);
      }
      card.update(endpoint, deliveries[index] ?? []);
    });
    // In the API's order (oldest first); a card is moved only when out of place, so focus in it is not lost.
    const wanted = endpoints.map((endpoint) => /** @type {EndpointCard} */ (cards.get(endpoint.id)).element);
    if (wanted.length === 0) {
      if (!list.querySelector('[data-no-endpoints]')) {
        replace(list, h('p', { class: 'muted', 'data-no-endpoints': '' }, 'No event endpoints yet.'));
      }
      return;
    }
    const inPlace =
      list.children.length === wanted.length && wanted.every((element, index) => list.children[index] === element);
    if (!inPlace) replace(list, wanted);
  };

  replace(
    main,
    h('h1', { tabindex: '-1' }, 'Event endpoints'),
    h(
      'p',
      { class: 'muted' },
      "Every change of the account's leads, texts and Do Not Contact list is posted to each endpoint as an event, " +
        'signed with its secret (Standard Webhooks). An endpoint is marked failing after ' +
        `${FAILING_AFTER_ATTEMPTS} failed attempts in a row, until it answers 2xx again.`,
    ),
    addForm(refreshNow),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'endpoints-title' },
      listTitle,
      listError,
      listStatus,
      list,
      updated,
    ),
  );
  context.poll(refresh);
}

/**
 * Register an endpoint; its secret is shown below the form, once.
 * @param {() => void} onAdded
 */
function addForm(onAdded) {
  const url = /** @type {HTMLInputElement} */ (
    h('input', {
      name: 'url',
      type: 'url',
      required: true,
      maxlength: 2000,
      autocomplete: 'off',
      spellcheck: 'false',
      id: 'endpoint-url',
    })
  );
  const description = /** @type {HTMLInputElement} */ (
    h('input', { name: 'description', maxlength: 200, autocomplete: 'off', id: 'endpoint-description' })
  );
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const secretSlot = h('div');
  const form = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'endpoint-add-title', novalidate: true },
    h(
      'div',
      { class: 'inline-form' },
      field('URL', url, 'Where your CRM receives events: https, e.g. https://crm.example.com/hooks/sms-consent.'),
      field('Description (optional)', description, 'e.g. "CRM production"'),
    ),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Add endpoint')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    replace(secretSlot);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      const created = await api('POST', '/v1/event-endpoints', {
        url: url.value.trim(),
        ...(description.value.trim() ? { description: description.value.trim() } : {}),
      });
      url.value = '';
      description.value = '';
      replace(
        secretSlot,
        secretBox(created.secret, `Added ${created.url}: events are posted to it from now on.`, () =>
          replace(secretSlot),
        ),
      );
      onAdded();
    } catch (failure) {
      showError(error, failure);
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'endpoint-add-title' },
    h('h2', { id: 'endpoint-add-title' }, 'Add an endpoint'),
    form,
    secretSlot,
  );
}

/**
 * One endpoint: its URL and health, Rotate secret and Delete (confirmed), and its recent deliveries.
 * @param {any} endpoint
 * @param {{ onChanged: () => void, onDeleted: () => void }} handlers
 * @returns {EndpointCard}
 */
function endpointCard(endpoint, handlers) {
  const titleId = uid('endpoint-title');
  const title = h('h3', { id: titleId, class: 'endpoint__url' }, endpoint.url);
  const description = h('p', { class: 'muted' });
  const health = h('div', { 'data-health-details': '' });
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const status = h('p', { role: 'status', class: 'success' });
  const secretSlot = h('div');
  const deliveries = deliveriesSection(endpoint, handlers.onChanged);

  const rotate = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'button button--quiet' }, 'Rotate secret')
  );
  const remove = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'button button--quiet', 'aria-expanded': 'false' }, 'Delete…')
  );
  const confirmDelete = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'button button--danger' }, 'Delete endpoint')
  );
  const keep = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'button button--quiet' }, 'Keep it')
  );
  const confirmation = h(
    'div',
    { class: 'confirm stack', role: 'group', 'aria-label': `Delete ${endpoint.url}?`, hidden: true },
    h(
      'p',
      {},
      h('strong', {}, 'Delete this endpoint? '),
      'Nothing more is sent to it and its pending deliveries are cancelled. This cannot be undone.',
    ),
    h('div', { class: 'actions' }, confirmDelete, keep),
  );

  /** @param {boolean} isOpen */
  const showConfirmation = (isOpen) => {
    confirmation.hidden = !isOpen;
    remove.setAttribute('aria-expanded', String(isOpen));
    (isOpen ? keep : remove).focus();
  };
  remove.addEventListener('click', () => showConfirmation(confirmation.hidden));
  keep.addEventListener('click', () => showConfirmation(false));
  confirmDelete.addEventListener('click', async () => {
    error.hidden = true;
    confirmDelete.disabled = true;
    try {
      await api('DELETE', `/v1/event-endpoints/${encodeURIComponent(endpoint.id)}`);
      handlers.onDeleted();
    } catch (failure) {
      showError(error, failure);
    } finally {
      confirmDelete.disabled = false;
    }
  });
  rotate.addEventListener('click', async () => {
    error.hidden = true;
    status.textContent = '';
    replace(secretSlot);
    rotate.disabled = true;
    try {
      const rotated = await api('POST', `/v1/event-endpoints/${encodeURIComponent(endpoint.id)}/rotate-secret`);
      replace(
        secretSlot,
        secretBox(
          rotated.secret,
          'New secret. For 24 hours every event is signed with the old secret too, so your receiver can switch ' +
            'without missing an event.',
          () => replace(secretSlot),
        ),
      );
      handlers.onChanged();
    } catch (failure) {
      showError(error, failure);
    } finally {
      rotate.disabled = false;
    }
  });

  const element = h(
    'article',
    { class: 'card stack endpoint', 'aria-labelledby': titleId, 'data-endpoint-id': endpoint.id },
    title,
    description,
    health,
    h('div', { class: 'actions' }, rotate, remove),
    confirmation,
    error,
    status,
    secretSlot,
    deliveries.element,
  );
  return {
    element,
    update(current, recent) {
      const isFailing = current.health === 'failing';
      element.classList.toggle('endpoint--failing', isFailing);
      element.dataset.health = current.health;
      description.textContent = current.description ?? '';
      description.hidden = !current.description;
      renderIfChanged(health, current, renderHealth);
      deliveries.update(recent);
    },
  };
}

/**
 * The endpoint's health: a failing one says since when and how many attempts in a row failed.
 * @param {Element} element
 * @param {any} endpoint
 */
function renderHealth(element, endpoint) {
  const failures = endpoint.consecutiveFailures;
  const inARow = `${failures} failed attempt${failures === 1 ? '' : 's'} in a row`;
  let summary;
  if (endpoint.health === 'failing') {
    summary = [
      h('strong', {}, ` since ${formatTime(endpoint.failingSince)}`),
      `: ${inARow}. Its events are retried, and it is healthy again at its next 2xx answer.`,
    ];
  } else if (failures > 0) {
    summary = `: ${inARow}; it is marked failing after ${FAILING_AFTER_ATTEMPTS}.`;
  } else {
    summary = endpoint.lastSuccessAt ? ': its last event was acknowledged.' : ': no event delivered yet.';
  }
  replace(
    element,
    h(
      'p',
      { class: 'health', 'data-health': endpoint.health, 'data-consecutive-failures': failures },
      badge(endpoint.health, endpoint.health),
      summary,
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Last acknowledged'),
      h('dd', {}, formatTime(endpoint.lastSuccessAt) || 'never'),
      h('dt', {}, 'Last failed attempt'),
      h('dd', {}, formatTime(endpoint.lastFailureAt) || 'never'),
      h('dt', {}, 'Added'),
      h('dd', {}, formatTime(endpoint.createdAt)),
    ),
  );
}

/**
 * A signing secret, shown once: after a new endpoint or a rotation. The admin copies it, then hides it.
 * @param {string} secret
 * @param {string} intro what just happened
 * @param {() => void} onDone
 */
function secretBox(secret, intro, onDone) {
  const input = /** @type {HTMLInputElement} */ (
    h('input', { readonly: true, value: secret, spellcheck: 'false', autocomplete: 'off', 'data-secret': '' })
  );
  input.addEventListener('focus', () => input.select());
  const copied = h('p', { role: 'status', class: 'success' });
  const copy = h('button', { type: 'button', class: 'button button--quiet' }, 'Copy');
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await window.navigator.clipboard.writeText(secret);
      copied.textContent = 'Copied.';
    } catch {
      copied.textContent = 'The browser did not allow copying: the secret is selected, press Ctrl+C (⌘C).';
    }
  });
  const box = h(
    'div',
    { class: 'secret-box stack', role: 'group', 'aria-label': 'Signing secret, shown once' },
    h('p', {}, intro),
    field(
      'Signing secret',
      input,
      'Shown only now: it cannot be shown again. Give it to your receiver to verify the webhook-signature header; ' +
        'if it is lost, rotate the secret.',
    ),
    h(
      'div',
      { class: 'actions' },
      copy,
      h('button', { type: 'button', class: 'button button--quiet', onclick: onDone }, 'Done: hide the secret'),
      copied,
    ),
  );
  return box;
}
