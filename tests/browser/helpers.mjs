// Shared steps of the browser tests: API calls for setup, accessibility checks, the registration form, sign-in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export { assert };

let counter = 0;

// A unique address per call, so tests never collide on "already registered".
export function email(label) {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}@example.org`;
}

export async function apiCall(ctx, path, { method = 'GET', body, headers = {}, token } = {}) {
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...auth, ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function registerByApi(ctx, slug, fields) {
  const res = await apiCall(ctx, `/api/v1/events/${slug}/registrations`, {
    method: 'POST',
    body: { language: 'en', answers: {}, waitlist: false, consent: true, ...fields },
  });
  assert.equal(res.status, 201, `registration by API: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function adminToken(ctx) {
  const res = await apiCall(ctx, '/api/v1/auth/login', { method: 'POST', body: ctx.admin });
  assert.equal(res.status, 200);
  return res.body.token;
}

let eventCounter = 0;

// A published event made for one test, so that tests never share seats. `starts` is minutes from now.
export async function createEvent(ctx, token, { starts = 60 * 24 * 30, hours = 4, ...fields } = {}) {
  eventCounter += 1;
  const at = (minutes) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const slug = `browser-test-${Date.now().toString(36)}-${eventCounter}`;
  const body = {
    title: { en: `Browser test event ${eventCounter}`, fr: `Événement de test ${eventCounter}` },
    slug,
    format: 'hybrid',
    timezone: 'America/Toronto',
    starts_at: at(starts),
    ends_at: at(starts + hours * 60),
    venue: { name: 'Toronto Reference Library', address: '789 Yonge St', city: 'Toronto', province: 'ON', postal_code: 'M4W 2G8' },
    capacity: { in_person: 20, online: 50 },
    registration: { waitlist: true },
    languages: ['en', 'fr'],
    online: { provider: 'none' },
    ...fields,
  };
  const created = await apiCall(ctx, '/api/v1/events', { method: 'POST', body, token });
  assert.equal(created.status, 201, `event: ${JSON.stringify(created.body)}`);
  const published = await apiCall(ctx, `/api/v1/events/${created.body.id}/publish`, { method: 'POST', token });
  assert.equal(published.status, 200, `publish: ${JSON.stringify(published.body)}`);
  return published.body;
}

// A volunteer's check-in link of an event: {id, token, url, label, expires_at}.
export async function checkinLink(ctx, token, eventId, label = 'Door A') {
  const res = await apiCall(ctx, `/api/v1/events/${eventId}/checkin-links`, { method: 'POST', body: { label }, token });
  assert.equal(res.status, 201, `check-in link: ${JSON.stringify(res.body)}`);
  return res.body;
}

// The organizer's view of one registration (by its id), with checked_in_at and checked_in_device.
export async function registrationOf(ctx, token, eventId, id) {
  const res = await apiCall(ctx, `/api/v1/events/${eventId}/registrations`, { token });
  assert.equal(res.status, 200);
  return res.body.registrations.find((r) => r.id === id);
}

// A short video (.y4m, 640 × 480) of a registration's QR ticket, for Chromium's fake camera, made with ffmpeg.
export async function ticketVideo(ctx, manageToken) {
  const res = await fetch(`${ctx.base}/api/v1/registrations/${manageToken}/ticket.png`);
  assert.equal(res.status, 200, 'ticket.png');
  const png = path.join(ctx.scratch, `${manageToken.slice(0, 8)}.png`);
  const video = path.join(ctx.scratch, `${manageToken.slice(0, 8)}.y4m`);
  writeFileSync(png, Buffer.from(await res.arrayBuffer()));
  try {
    execFileSync(
      'ffmpeg',
      ['-loglevel', 'error', '-y', '-loop', '1', '-i', png, '-vf', 'scale=400:400,pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p', '-r', '5', '-t', '2', video],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    throw new Error(`ffmpeg could not make the camera video (apt-get install -y ffmpeg): ${err.stderr || err.message}`);
  }
  return video;
}

let axeSource = null;

// Runs axe-core on the page; fails on any violation of serious or critical impact.
// axe.min.js from web/node_modules is evaluated through the DevTools protocol: page.addScriptTag({path})
// would insert an inline <script>, which the pages' Content-Security-Policy (script-src 'self') rightly refuses.
export async function checkA11y(ctx, page, label) {
  if (!axeSource) axeSource = readFileSync(ctx.axePath, 'utf8');
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.length, 0, `${label}: accessibility violations:\n${JSON.stringify(bad, null, 2)}`);
  return violations;
}

export async function signIn(ctx, page, account = ctx.admin) {
  await page.goto('/admin/login');
  await page.getByLabel(/Email address|Adresse courriel/).fill(account.email);
  await page.getByLabel(/^(Password|Mot de passe)/).fill(account.password);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /^(Events|Événements)$/ }).waitFor();
}

// The visible text of the page's main landmark, spaces squeezed.
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

// Retries `check` until it passes (public event answers may be cached by the browser for a second).
export async function eventually(check, { timeout = 5000, interval = 250 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}
