// Settings → Text SMS Templates: the five account texts with a live preview of exactly what goes out (footer,
// segments, encoding), editable by admins; and the account's A2P 10DLC status.
import { api } from './api.js';
import { badge, field, h, replace, showError } from './dom.js';
import { describeCost, FOOTER, MAX_SYSTEM_TEXT_SEGMENTS, previewText } from './sms-preview.js';

/** The account texts, by their /v1/settings name, with what each is for. */
const ACCOUNT_TEXTS = [
  {
    name: 'opt-in-template',
    title: 'Opt-In template',
    hint: 'The first text every new lead receives. It must say to reply START and "Msg & data rates may apply".',
  },
  {
    name: 'help-reply',
    title: 'HELP reply',
    hint: 'Sent when a number texts HELP. It must say how to opt out (STOP) and "Msg & data rates may apply".',
  },
  {
    name: 'opt-in-confirmation',
    title: 'Opt-in confirmation',
    hint: 'Sent after START. It must say "Msg & data rates may apply" and how to get HELP.',
  },
  {
    name: 'opt-out-confirmation',
    title: 'Opt-out confirmation',
    hint: 'The one text sent after STOP. It confirms the opt-out only: no links.',
  },
  {
    name: 'clarification',
    title: 'Clarifying question',
    hint: 'Sent once when a reply might mean STOP but the rules cannot tell. It must say to reply STOP or START.',
  },
];

/** @type {import('./app.js').View} */
export async function renderSettings(main, context) {
  const isAdmin = context.role === 'admin';
  const a2p = h(
    'section',
    { class: 'card', 'aria-labelledby': 'a2p-title' },
    h('h2', { id: 'a2p-title' }, 'A2P 10DLC registration'),
    isAdmin
      ? h(
          'p',
          {},
          'Status: ',
          badge(context.a2pStatus ?? 'unknown', context.a2pStatus ?? 'unknown'),
          context.a2pStatus === 'verified' ? ' Texts can go out.' : ' Nothing is sent until it is verified.',
        )
      : h('p', { class: 'muted' }, 'Only an admin key can see the A2P status.'),
  );
  const list = h('div', { class: 'stack' });
  replace(
    main,
    h('h1', { tabindex: '-1' }, 'Settings'),
    a2p,
    h(
      'section',
      { 'aria-labelledby': 'templates-title', class: 'stack' },
      h('h2', { id: 'templates-title' }, 'Text SMS Templates'),
      h(
        'p',
        { class: 'muted' },
        'Every text ends with the footer “',
        FOOTER,
        '”, added when it is sent. ',
        isAdmin ? '' : 'Read-only: only an admin key can change these texts.',
      ),
      list,
    ),
  );
  const texts = await Promise.all(ACCOUNT_TEXTS.map((text) => api('GET', `/v1/settings/${text.name}`)));
  replace(
    list,
    ACCOUNT_TEXTS.map((text, index) => accountTextEditor(text, texts[index].template, isAdmin)),
  );
}

/**
 * One account text: the text (read-only for agents), what goes out and what it costs, and Save for admins.
 * @param {{ name: string, title: string, hint: string }} text
 * @param {string} saved
 * @param {boolean} isAdmin
 */
function accountTextEditor(text, saved, isAdmin) {
  const textarea = /** @type {HTMLTextAreaElement} */ (
    h('textarea', { id: `text-${text.name}`, name: text.name, rows: 4, maxlength: 2000, readonly: !isAdmin })
  );
  textarea.value = saved;
  const previewBody = h('pre', { class: 'sms-preview', 'data-preview': 'text' });
  const cost = h('p', { class: 'cost', 'data-preview': 'cost', 'aria-live': 'polite' });
  const problem = h('p', { class: 'warning', hidden: true });
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const done = h('p', { class: 'success', role: 'status' });
  const update = () => {
    const preview = previewText(textarea.value);
    previewBody.textContent = preview.text;
    cost.textContent = describeCost(preview);
    cost.dataset.segments = String(preview.segments);
    cost.dataset.encoding = preview.encoding;
    const tooLong = preview.segments > MAX_SYSTEM_TEXT_SEGMENTS;
    problem.hidden = !tooLong;
    problem.textContent = tooLong ? `Too long: at most ${MAX_SYSTEM_TEXT_SEGMENTS} segments with the footer.` : '';
  };
  textarea.addEventListener('input', () => {
    done.textContent = '';
    update();
  });
  update();

  const form = h(
    'form',
    { class: 'card stack', 'data-text': text.name, 'aria-label': text.title },
    field(text.title, textarea, text.hint),
    h(
      'div',
      { class: 'preview', role: 'group', 'aria-label': `${text.title}: what the lead receives` },
      h('p', { class: 'preview__label' }, 'What the lead receives'),
      previewBody,
      cost,
      problem,
    ),
    error,
    isAdmin ? h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Save'), done) : null,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!isAdmin) return;
    error.hidden = true;
    done.textContent = '';
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      const result = await api('PUT', `/v1/settings/${text.name}`, { template: textarea.value });
      textarea.value = result.template;
      update();
      done.textContent = `Saved: ${describeCost(result.preview)}.`;
    } catch (failure) {
      showError(error, failure);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
