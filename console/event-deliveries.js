// Event endpoints → one endpoint's recent deliveries: each event's status, attempts and the endpoint's last answer,
// with a replay of the failed ones (all of them, or one).
import { api } from './api.js';
import { badge, dataTable, formatTime, h, renderIfChanged, replace, showError, uid } from './dom.js';
import { EVENT_TYPE_LABELS } from './labels.js';

/** How many of an endpoint's newest deliveries the console shows. */
export const DELIVERIES_SHOWN = 20;

/**
 * The recent deliveries of one endpoint, with "Replay failed" for the endpoint and "Replay" on each failed one.
 * `update` shows what the view's poll fetched; `onReplayed` asks the view to fetch again at once.
 * @param {{ id: string, url: string }} endpoint
 * @param {() => void} onReplayed
 */
export function deliveriesSection(endpoint, onReplayed) {
  const titleId = uid('deliveries-title');
  const table = h('div', { 'data-deliveries': '' });
  const status = h('p', { role: 'status', class: 'success' });
  const error = h('div', { class: 'error', role: 'alert', hidden: true });

  /**
   * POST /replay: the given deliveries, or without `webhookIds` every failed one of the endpoint.
   * @param {HTMLButtonElement} button
   * @param {string[]} [webhookIds]
   */
  const replay = async (button, webhookIds) => {
    error.hidden = true;
    status.textContent = '';
    button.disabled = true;
    try {
      const { replayed, remaining } = await api(
        'POST',
        `/v1/event-endpoints/${encodeURIComponent(endpoint.id)}/replay`,
        webhookIds ? { webhookIds } : {},
      );
      status.textContent = replayMessage(replayed, remaining, webhookIds);
      onReplayed();
    } catch (failure) {
      showError(error, failure);
    } finally {
      button.disabled = false;
    }
  };

  const replayFailed = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'button', class: 'button button--quiet', 'data-replay-failed': '' }, 'Replay failed')
  );
  replayFailed.addEventListener('click', () => void replay(replayFailed));

  const element = h(
    'section',
    { class: 'stack deliveries', 'aria-labelledby': titleId },
    h('div', { class: 'section-head' }, h('h4', { id: titleId }, 'Recent deliveries'), replayFailed),
    h(
      'p',
      { class: 'hint' },
      `The ${DELIVERIES_SHOWN} newest events, newest first. An event that is not acknowledged (2xx) is retried ` +
        '2 s, 4 s, 8 s … up to an hour apart for 25 hours, then it is failed and can be replayed.',
    ),
    error,
    status,
    table,
  );

  /** @param {any[]} deliveries */
  const update = (deliveries) =>
    renderIfChanged(table, deliveries, (container, rows) =>
      replace(
        container,
        dataTable({
          caption: `Recent deliveries to ${endpoint.url}, newest first`,
          emptyText: 'No events for this endpoint yet.',
          columns: ['Event', 'Status', 'Attempts', 'Last answer', 'Occurred', 'Last attempt', 'Replay'],
          rows: rows.map((delivery) => deliveryRow(delivery, replay)),
        }),
      ),
    );
  return { element, update };
}

/**
 * @param {any} delivery
 * @param {(button: HTMLButtonElement, webhookIds: string[]) => Promise<void>} replay
 */
function deliveryRow(delivery, replay) {
  const label = EVENT_TYPE_LABELS[delivery.type] ?? delivery.type;
  /** @type {HTMLButtonElement | null} */
  let replayButton = null;
  if (delivery.status === 'failed') {
    const button = /** @type {HTMLButtonElement} */ (
      h(
        'button',
        {
          type: 'button',
          class: 'button button--quiet button--small',
          'aria-label': `Replay ${label} ${delivery.webhookId}`,
        },
        'Replay',
      )
    );
    button.addEventListener('click', () => void replay(button, [delivery.webhookId]));
    replayButton = button;
  }
  return h(
    'tr',
    {
      'data-webhook-id': delivery.webhookId,
      'data-event-type': delivery.type,
      'data-delivery-status': delivery.status,
      'data-status-code': delivery.lastStatusCode ?? undefined,
    },
    h(
      'td',
      { 'data-label': 'Event' },
      label,
      h('br'),
      h('code', { class: 'muted small' }, delivery.type),
      h('br'),
      h('span', { class: 'muted small', title: 'the webhook-id header of every attempt' }, delivery.webhookId),
    ),
    h('td', { 'data-label': 'Status' }, badge(delivery.status, delivery.status)),
    h('td', { 'data-label': 'Attempts' }, String(delivery.attempts)),
    h('td', { 'data-label': 'Last answer', 'data-last-answer': '' }, lastAnswer(delivery)),
    h('td', { 'data-label': 'Occurred' }, formatTime(delivery.occurredAt)),
    h('td', { 'data-label': 'Last attempt' }, formatTime(delivery.lastAttemptAt) || '—'),
    h('td', { 'data-label': 'Replay' }, replayButton ?? '—'),
  );
}

/**
 * What the endpoint last answered: its HTTP status, or why there was no answer (timeout, refused address …).
 * @param {any} delivery
 */
function lastAnswer(delivery) {
  if (delivery.attempts === 0) return h('span', { class: 'muted' }, 'not tried yet');
  const code = delivery.lastStatusCode;
  // The delivery records "answered 500" as the error of a non-2xx answer; the code already says it.
  const error = delivery.lastError && delivery.lastError !== `answered ${code}` ? delivery.lastError : null;
  return [
    code !== null && code !== undefined ? `HTTP ${code}` : null,
    error ? h('span', { class: 'reason' }, ` ${error}`) : null,
  ];
}

/**
 * @param {number} replayed
 * @param {number} remaining failed deliveries a replay call left for the next one (it takes 1,000 at a time)
 * @param {string[]} [webhookIds]
 */
function replayMessage(replayed, remaining, webhookIds) {
  if (webhookIds) {
    return replayed > 0 ? `Event ${webhookIds.join(', ')} is queued again.` : 'That event is no longer here to replay.';
  }
  if (replayed === 0) {
    return 'No failed deliveries to replay. Pending ones are still being retried on their own.';
  }
  const queued = `${replayed === 1 ? '1 failed delivery is' : `${replayed} failed deliveries are`} queued again.`;
  return remaining > 0 ? `${queued} ${remaining} more failed: replay again for the next ones.` : queued;
}
