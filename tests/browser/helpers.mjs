// Shared steps of the browser tests: API calls for setup, accessibility checks, the registration form, sign-in.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export { assert };

let counter = 0;

// A unique address per call, so tests never collide on "already registered".
export function email(label) {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}@example.org`;
}

export async function apiCall(ctx, path, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
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

export async function signIn(ctx, page) {
  await page.goto('/admin/login');
  await page.getByLabel(/Email address|Adresse courriel/).fill(ctx.admin.email);
  await page.getByLabel(/^(Password|Mot de passe)/).fill(ctx.admin.password);
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
