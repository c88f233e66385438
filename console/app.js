// The console's entry point: sign-in, the role of the key, the banners and the hash routes of the five views.
import { api, ApiError, forgetKey, setUnauthorizedHandler, storedKey, storeKey } from './api.js';
import { field, h, replace, showError } from './dom.js';
import { renderDoNotContact } from './do-not-contact-view.js';
import { renderEventEndpoints } from './event-endpoints-view.js';
import { renderLead } from './lead-view.js';
import { renderMessages } from './messages-view.js';
import { renderSettings } from './settings-view.js';

/**
 * What every view gets.
 * @typedef {object} Context
 * @property {'admin' | 'agent'} role
 * @property {string | null} a2pStatus the account's A2P 10DLC status; null for agents (the route is admin-only)
 * @property {{ temporalUiUrl: string | null, temporalNamespace: string }} config
 * @property {() => void} noteA2pProblem called when the newest text failed because the account is not verified
 * @property {(fn: () => Promise<void>) => () => void} poll runs fn now and every 2 s while the view is shown
 */

/** @typedef {(main: HTMLElement, context: Context, param: string | undefined) => void | Promise<void>} View */

const POLL_INTERVAL_MS = 2000;
/** @type {Record<string, { title: string, render: View }>} */
const VIEWS = {
  messages: { title: 'Messaging Center', render: renderMessages },
  leads: { title: 'Lead details', render: renderLead },
  'do-not-contact': { title: 'Do Not Contact', render: renderDoNotContact },
  'event-endpoints': { title: 'Event endpoints', render: renderEventEndpoints },
  settings: { title: 'Settings', render: renderSettings },
};

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const session = /** @type {HTMLElement} */ (document.getElementById('session'));
const roleLabel = /** @type {HTMLElement} */ (document.getElementById('role'));
const banners = /** @type {HTMLElement} */ (document.getElementById('banners'));

/** @type {Omit<Context, 'poll'> | undefined} */
let context;
/** Counts views shown: a poll or a slow render of a view no longer on screen sees it changed and stops. */
let generation = 0;

/**
 * Resolves the key's role: GET /v1/settings/a2p is admin-only, so 200 is an admin (and gives the A2P status) and
 * 401 a key the server does not know. A 403 is an agent if the key may read what every agent reads; a key refused
 * there too (one made only for /v1/codec) cannot use the console.
 */
async function signInWithStoredKey() {
  try {
    const a2p = await api('GET', '/v1/settings/a2p');
    return { role: /** @type {const} */ ('admin'), a2pStatus: /** @type {string} */ (a2p.status) };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403)) throw error;
  }
  try {
    await api('GET', '/v1/settings/opt-in-template');
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) throw new NotConsoleKeyError();
    throw error;
  }
  return { role: /** @type {const} */ ('agent'), a2pStatus: null };
}

class NotConsoleKeyError extends Error {
  constructor() {
    super('This key cannot use the console: sign in with an admin or agent key of an account.');
  }
}

async function loadConfig() {
  const response = await fetch('/console/config.json', { cache: 'no-store' });
  if (!response.ok) return { temporalUiUrl: null, temporalNamespace: 'default' };
  return response.json();
}

/** @param {string} [message] shown above the form, e.g. why the previous key was refused */
function showSignIn(message) {
  generation += 1;
  context = undefined;
  nav.hidden = true;
  session.hidden = true;
  replace(banners);
  document.title = 'Sign in · SMS consent';
  const input = h('input', {
    type: 'password',
    name: 'apiKey',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const error = h('div', { class: 'error', role: 'alert', hidden: !message }, message ? h('p', {}, message) : null);
  const form = h(
    'form',
    { class: 'card stack', novalidate: true },
    field('API key', input, 'An admin or agent key (sk_…). It is kept only in this browser tab.'),
    error,
    h('button', { type: 'submit', class: 'button' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = /** @type {HTMLInputElement} */ (input).value.trim();
    if (!key) {
      showError(error, new Error('Paste an API key.'));
      input.focus();
      return;
    }
    storeKey(key);
    await start(true);
  });
  replace(main, h('h1', { tabindex: '-1' }, 'Sign in'), form);
  input.focus();
}

/** @param {boolean} [moveFocus] true after the sign-in form, so focus lands on the first view's heading */
async function start(moveFocus = false) {
  if (!storedKey()) {
    showSignIn();
    return;
  }
  let identity;
  try {
    [identity] = await Promise.all([signInWithStoredKey(), configPromise]);
  } catch (error) {
    forgetKey();
    if (error instanceof ApiError && error.status === 401)
      showSignIn('This key was refused: it is unknown or revoked.');
    else if (error instanceof NotConsoleKeyError) showSignIn(error.message);
    else showSignIn(`Could not sign in: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  context = {
    ...identity,
    config: await configPromise,
    // Admins see the status itself; agents cannot read it, so a text that failed for it is their only sign.
    noteA2pProblem: () => {
      if (identity.role === 'agent') showA2pBanner(null);
    },
  };
  nav.hidden = false;
  session.hidden = false;
  roleLabel.textContent = identity.role === 'admin' ? 'Admin' : 'Agent';
  // Links to admin-only views (index.html marks them): an agent's key would only be refused there.
  for (const item of nav.querySelectorAll('[data-admin-only]')) {
    /** @type {HTMLElement} */ (item).hidden = identity.role !== 'admin';
  }
  replace(banners);
  if (identity.a2pStatus !== null && identity.a2pStatus !== 'verified') showA2pBanner(identity.a2pStatus);
  await route(moveFocus);
}

/** @param {string | null} status null when only a failed text told us (agents cannot read the status) */
function showA2pBanner(status) {
  if (banners.querySelector('[data-banner="a2p"]')) return;
  banners.append(
    h(
      'div',
      { class: 'banner banner--warning', role: 'alert', 'data-banner': 'a2p' },
      h('strong', {}, 'A2P 10DLC is not verified'),
      status ? ` (status: ${status}). ` : '. ',
      'Nothing is sent for this account until its registration is verified; every text fails with ',
      h('code', {}, 'a2p_not_verified'),
      '.',
    ),
  );
}

/**
 * Runs `fn` now and then every 2 s, one run at a time, until the view changes or `stop` is called. A failed run
 * (server restarting, say) is retried at the next tick.
 * @param {() => Promise<void>} fn
 * @param {number} owner the generation of the view that asked
 */
function poll(fn, owner) {
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const isLive = () => !stopped && generation === owner;
  const tick = async () => {
    if (!isLive()) return;
    try {
      if (!document.hidden) await fn();
    } catch {
      // shown by the view on its next successful run; polling keeps going
    } finally {
      if (isLive()) timer = setTimeout(tick, POLL_INTERVAL_MS);
    }
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** @param {boolean} moveFocus true after a navigation, so keyboard and screen reader users land on the new view */
async function route(moveFocus) {
  if (!context) return;
  generation += 1;
  const owner = generation;
  const [name = 'messages', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS[name] ?? VIEWS.messages;
  const param = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.view === (VIEWS[name] ? name : 'messages')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${view.title} · SMS consent`;
  replace(main);
  try {
    await view.render(main, { ...context, poll: (fn) => poll(fn, owner) }, param);
  } catch (error) {
    if (owner !== generation) return;
    const box = h('div', { class: 'error', role: 'alert' });
    showError(box, error);
    main.append(box);
  }
  if (moveFocus && owner === generation) main.querySelector('h1')?.focus();
}

const configPromise = loadConfig();
setUnauthorizedHandler(() => {
  forgetKey();
  showSignIn('The server refused this key (revoked?). Sign in again.');
});
document.getElementById('sign-out')?.addEventListener('click', () => {
  forgetKey();
  showSignIn();
});
window.addEventListener('hashchange', () => void route(true));
void start();
