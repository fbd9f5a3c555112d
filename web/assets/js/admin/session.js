// The organizer's session: who is signed in, sign-in and sign-out (session cookie + CSRF token).
import { api, setCsrfToken } from '../api.js';

let user = null;

export function currentUser() {
  return user;
}

// Asks the server who is signed in; null when nobody is.
export async function loadSession() {
  try {
    const me = await api('/api/v1/auth/me');
    setCsrfToken(me.csrf_token);
    user = me;
  } catch (err) {
    if (err.status !== 401) throw err;
    setCsrfToken('');
    user = null;
  }
  return user;
}

export async function signIn(email, password) {
  const answer = await api('/api/v1/auth/login', { method: 'POST', body: { email, password } });
  setCsrfToken(answer.csrf_token);
  user = answer.user;
  return user;
}

export async function signOut() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken('');
    user = null;
  }
}

export function forget() {
  setCsrfToken('');
  user = null;
}
