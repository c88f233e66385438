// The console's only way to the server: the /v1 JSON API with the signed-in key, like any other client.

// sessionStorage, not localStorage: the key lives only as long as the tab, and is never sent as a cookie.
const STORAGE_KEY = 'sms-consent.apiKey';

/** An answer other than 2xx, with its parsed body ({error, message, details?, requestId}). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {any} body
   */
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The signed-in key, if any. */
export function storedKey() {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** @param {string} key */
export function storeKey(key) {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Called when the server refuses the key (401): the app signs out. */
let onUnauthorized = () => {};

/** @param {() => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * Calls the API and returns the parsed JSON body; throws ApiError for any other status than 2xx.
 * @param {string} method
 * @param {string} path e.g. /v1/messages
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function api(method, path, body) {
  const headers = /** @type {Record<string, string>} */ ({ accept: 'application/json' });
  const key = storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

/**
 * A query string from the defined values of `params`.
 * @param {Record<string, string | number | undefined>} params
 */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
