// JSON calls to the server's /api/v1, with its error body turned into an ApiError.
const CSRF_KEY = 'ensemble.csrf';

export class ApiError extends Error {
  constructor(status, body, response) {
    const error = (body && body.error) || {};
    super(error.message || (status === 0 ? 'network error' : `HTTP ${status}`));
    this.status = status;
    this.code = error.code || (status === 0 ? 'network' : 'http');
    this.fields = error.fields || {};
    this.body = body || {};
    const retry = response ? Number(response.headers.get('Retry-After')) : NaN;
    this.retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  }
}

export function setCsrfToken(token) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // Without storage the token still lives for this page.
  }
  memoryCsrf = token || '';
}

let memoryCsrf = '';

function csrfToken() {
  try {
    return sessionStorage.getItem(CSRF_KEY) || memoryCsrf;
  } catch {
    return memoryCsrf;
  }
}

// Calls the API. Resolves with the parsed body (null for 204); rejects with ApiError.
export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin', signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) init.headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, null, null);
  }
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
  }
  if (!response.ok) throw new ApiError(response.status, data, response);
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : '';
}
