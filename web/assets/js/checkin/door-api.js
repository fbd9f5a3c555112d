// Calls of the door page, with the check-in link's token as a Bearer credential and never a cookie.
import { ApiError } from '../api.js';

const TIMEOUT_MS = 8000;

// Resolves with the parsed body; rejects with ApiError (status 0 when the network failed or timed out).
export async function door(token, path, { method = 'GET', body, headers = {} } = {}) {
  const init = {
    method,
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...headers },
    credentials: 'omit',
    cache: 'no-store',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  // A venue's Wi-Fi can accept a request and never answer: give up after a while and treat it as offline.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  init.signal = abort.signal;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    clearTimeout(timer);
    throw new ApiError(0, null, null);
  }
  let data = null;
  try {
    const text = await response.text();
    if (text) data = JSON.parse(text);
  } catch {
    data = null;
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) throw new ApiError(response.status, data, response);
  return data;
}

// Lower-case hex SHA-256 of a ticket code: how the saved list names tickets.
export async function ticketHash(code) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Names compared without case or accents, as the server's search does.
export function fold(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
