// The volunteer's door page: a real check-in link in English and French, name search, undo, the camera with a
// fake video of a real ticket, offline scans queued and sent in a batch, and a revoked link.
import {
  adminToken,
  apiCall,
  assert,
  checkA11y,
  checkinLink,
  createEvent,
  email,
  eventually,
  mainText,
  registerByApi,
  registrationOf,
  ticketVideo,
} from './helpers.mjs';

async function openDoor(page, link) {
  await page.goto(`/checkin#${link.token}`);
  await page.locator('#door-count-in-person').waitFor();
  await page.locator('#door-list-info', { hasText: /\d/ }).waitFor({ state: 'attached' });
}

async function findByName(page, name) {
  await page.locator('#door-tab-search').click();
  await page.locator('#door-search-input').fill(name);
  const match = page.locator('.door-match', { hasText: name });
  await match.first().waitFor();
  return match.first();
}

export async function doorPageFromARealLinkInBothLanguages(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, { title: { en: 'Door Test Summit', fr: 'Sommet test de l’entrée' } });
  await registerByApi(ctx, event.slug, { name: 'Amara Okoye', email: email('amara'), mode: 'in_person' });
  await registerByApi(ctx, event.slug, { name: 'Bilal Rahimi', email: email('bilal'), mode: 'online' });
  const link = await checkinLink(ctx, token, event.id, 'Door A');
  assert.match(link.url, /\/checkin#ens_c_/, 'the credential is in the fragment');

  const page = await ctx.newPage({ phone: true, lang: 'en' });
  await openDoor(page, link);
  assert.equal(await page.evaluate(() => location.hash), '', 'the credential leaves the address bar');
  assert.doesNotMatch(page.url(), /ens_c_/);
  await page.getByRole('heading', { level: 1, name: 'Door Test Summit' }).waitFor();
  await page.locator('.door-live-live').waitFor();
  assert.match(await page.locator('#door-count-in-person').innerText(), /In person\s+0 \/ 1/);
  assert.match(await page.locator('#door-count-online').innerText(), /Online registrants at the door\s+0/);
  assert.equal(await page.locator('#door-tab-scan').getAttribute('aria-pressed'), 'true');
  await page.locator('#door-settings summary').click();
  assert.match(await page.locator('#door-list-info').innerText(), /2 confirmed attendees, saved at/);
  assert.match(await page.locator('#door-link-info').innerText(), /“Door A”, valid until/);
  await checkA11y(ctx, page, 'door page (en)');
  await ctx.shot(page, 'door-en-phone');

  // The link stays on the phone: the page reopens without it in the address.
  await page.goto('/checkin');
  await page.getByRole('heading', { level: 1, name: 'Door Test Summit' }).waitFor();

  const fr = await ctx.newPage({ phone: true, lang: 'fr' });
  await openDoor(fr, link);
  await fr.getByRole('heading', { level: 1, name: 'Sommet test de l’entrée' }).waitFor();
  assert.match(await fr.locator('#door-count-in-person').innerText(), /En personne\s+0 \/ 1/);
  assert.equal(await fr.locator('#door-tab-search').innerText(), 'Chercher un nom');
  await checkA11y(ctx, fr, 'door page (fr)');
  await ctx.shot(fr, 'door-fr-phone');
  await fr.getByRole('button', { name: 'Show this page in English' }).click();
  await fr.locator('#door-tab-search', { hasText: 'Find by name' }).waitFor();

  const desktop = await ctx.newPage({ lang: 'en' });
  await openDoor(desktop, link);
  await ctx.shot(desktop, 'door-en-desktop');

  // Without a link, the page says where to get one.
  const stranger = await ctx.newPage({ lang: 'en' });
  await stranger.goto('/checkin');
  await stranger.getByRole('heading', { level: 1, name: 'Open your check-in link' }).waitFor();
  await checkA11y(ctx, stranger, 'door page without a link');
}

export async function nameSearchChecksInShowsRepeatsAndUndoes(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, { capacity: { in_person: 1, online: 10 } });
  const nadia = await registerByApi(ctx, event.slug, { name: 'Nadia Haddad', email: email('nadia'), mode: 'in_person' });
  const waiting = await registerByApi(ctx, event.slug, { name: 'Nadia Waiting', email: email('nadiaw'), mode: 'in_person', waitlist: true });
  assert.equal(waiting.status, 'waitlisted');
  const online = await registerByApi(ctx, event.slug, { name: 'Omar Online', email: email('omar'), mode: 'online' });
  const link = await checkinLink(ctx, token, event.id);

  const page = await ctx.newPage({ phone: true, lang: 'en' });
  await openDoor(page, link);
  await page.locator('#door-settings summary').click();
  await page.getByLabel('Name of this phone').fill('Door A phone');
  await page.getByRole('button', { name: 'Save the name' }).click();
  await page.locator('#door-message', { hasText: 'Name saved.' }).waitFor();

  // Search, tap, green card; the server has the check-in with this phone's name.
  const match = await findByName(page, 'nadia');
  assert.match(await page.locator('#door-search-status').innerText(), /2 people match/);
  assert.match(await page.locator('#door-matches').innerText(), /Nadia Waiting\s+In person · On the waitlist: no seat/);
  await ctx.shot(page, 'door-search-en-phone');
  await match.click();
  const card = page.locator('#door-result');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-kind'), 'ok');
  assert.match(await card.innerText(), /Checked in\s+Nadia Haddad\s+Registered: In person/);
  assert.equal(await page.getByRole('button', { name: 'Next' }).evaluate((el) => el === document.activeElement), true, 'focus is on Next');
  await checkA11y(ctx, page, 'green card');
  await ctx.shot(page, 'door-green-en-phone');
  // Undo appears where the finger tapped the name, and a phone keeps :hover there: still readable.
  await page.getByRole('button', { name: 'Undo this check-in' }).hover();
  await checkA11y(ctx, page, 'green card, undo hovered');
  await page.getByRole('button', { name: 'Next' }).click();
  await card.waitFor({ state: 'detached' });
  const stored = await registrationOf(ctx, token, event.id, nadia.id);
  assert.ok(stored.checked_in_at, 'the server has the check-in');
  assert.match(stored.checked_in_device, /^Door A phone \([0-9a-f]{10}\)$/);
  await eventually(async () => assert.match(await page.locator('#door-count-in-person').innerText(), /1 \/ 1/), { timeout: 8000 });

  // The same person again: amber, with the time and the phone.
  await page.locator('.door-match', { hasText: 'Nadia Haddad' }).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-kind'), 'warn');
  assert.match(await card.innerText(), /Already checked in\s+Nadia Haddad\s+At \d{1,2}:\d\d on Door A phone/);
  await ctx.shot(page, 'door-amber-en-phone');
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'detached' });

  // A waitlisted person: red, and why.
  await page.locator('.door-match', { hasText: 'Nadia Waiting' }).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-kind'), 'bad');
  assert.match(await card.innerText(), /Not valid\s+Nadia Waiting\s+This person is on the waitlist and has no seat\./);
  await ctx.shot(page, 'door-red-en-phone');
  await card.click();
  await card.waitFor({ state: 'detached' });

  // An online registrant at the door is flagged.
  await page.locator('#door-search-input').fill('omar');
  await page.locator('.door-match', { hasText: 'Omar Online' }).click();
  await card.waitFor();
  assert.match(await card.innerText(), /Online registrant at the door/);
  // Undo from the card takes the check-in back on the server.
  await page.getByRole('button', { name: 'Undo this check-in' }).click();
  await page.locator('#door-message', { hasText: 'Check-in of Omar Online undone.' }).waitFor();
  assert.equal((await registrationOf(ctx, token, event.id, online.id)).checked_in_at, null);

  // A typed ticket code works as a scan; an unknown one is red.
  await page.locator('#door-tab-scan').click();
  await page.getByLabel('Ticket code (under the QR code)').fill('not-a-real-ticket-code');
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await card.waitFor();
  assert.match(await card.innerText(), /This ticket is not valid for this event\./);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Ticket code (under the QR code)').fill(online.ticket_code);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-kind'), 'ok');
  await page.getByRole('button', { name: 'Next' }).click();
  await card.waitFor({ state: 'detached' });
  // "Undo the last check-in" stays under the scanner after the card is gone.
  assert.match(await page.locator('#door-last').innerText(), /Last check-in: Omar Online at/);
  await page.getByRole('button', { name: 'Undo the last check-in' }).click();
  await page.locator('#door-undo').waitFor({ state: 'detached' });
  assert.match(await page.locator('#door-message').innerText(), /Check-in of Omar Online undone\./);
  assert.equal((await registrationOf(ctx, token, event.id, online.id)).checked_in_at, null);
}

// Chromium's fake camera plays a video of a real ticket's QR code; the scanner reads it and checks the person in.
export async function cameraScanChecksIn(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token);
  const reg = await registerByApi(ctx, event.slug, { name: 'Jean-Baptiste Mukendi', email: email('jb'), mode: 'in_person' });
  const link = await checkinLink(ctx, token, event.id);
  const video = await ticketVideo(ctx, reg.manage_token);
  // qr-scanner decodes in a worker made from a blob: URL where the browser has no BarcodeDetector (Chromium on
  // Linux). Until the server's Content-Security-Policy allows such workers (worker-src blob:), this browser runs
  // without the policy; every other test keeps it.
  const csp = (await fetch(`${ctx.base}/checkin`, { method: 'HEAD' })).headers.get('content-security-policy') || '';
  const blobWorkers = /worker-src[^;]*blob:/.test(csp);
  const page = await ctx.newCameraPage({ video, lang: 'fr', bypassCSP: !blobWorkers });
  await openDoor(page, link);
  // The camera was allowed before: it starts by itself, and reads the ticket.
  const card = page.locator('#door-result');
  await card.waitFor({ timeout: 20_000 });
  assert.equal(await card.getAttribute('data-kind'), 'ok');
  assert.match(await card.innerText(), /Arrivée enregistrée\s+Jean-Baptiste Mukendi/);
  await ctx.shot(page, 'door-camera-green-fr-phone');
  const stored = await registrationOf(ctx, token, event.id, reg.id);
  assert.ok(stored.checked_in_at, 'the server has the check-in');
  // The card closes by itself and scanning goes on: the same ticket is then "already checked in".
  await card.waitFor({ state: 'detached', timeout: 8000 });
  await page.locator('#door-result[data-kind="warn"]').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('#door-result').innerText(), /Arrivée déjà enregistrée/);
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByRole('button', { name: 'Éteindre la caméra' }).click();
  await page.locator('#door-camera-state', { hasText: 'La caméra est éteinte.' }).waitFor();
}

export async function offlineScansQueueAndSyncWithConflicts(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token);
  const listed = await registerByApi(ctx, event.slug, { name: 'Farida Osman', email: email('farida'), mode: 'in_person' });
  const elsewhere = await registerByApi(ctx, event.slug, { name: 'Kwame Mensah', email: email('kwame'), mode: 'in_person' });
  const cancelled = await registerByApi(ctx, event.slug, { name: 'Lucía Torres', email: email('lucia'), mode: 'in_person' });
  const cancel = await apiCall(ctx, `/api/v1/registrations/${cancelled.manage_token}/cancel`, { method: 'POST' });
  assert.equal(cancel.status, 200);
  const link = await checkinLink(ctx, token, event.id, 'Door A');
  const other = await checkinLink(ctx, token, event.id, 'Door B');

  const page = await ctx.newPage({ phone: true, lang: 'en' });
  const loaded = new Set();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === ctx.base && /\.(js|css|svg)$/.test(url.pathname) && url.pathname !== '/checkin-sw.js') loaded.add(url.pathname);
  });
  await openDoor(page, link);
  await page.locator('#door-settings summary').click();
  await page.locator('#door-list-info', { hasText: '2 confirmed attendees' }).waitFor();
  // Everything the page loads is in the service worker's list, so that it reopens offline.
  const worker = await (await fetch(`${ctx.base}/checkin-sw.js`)).text();
  const kept = new Set([...worker.matchAll(/'(\/[^']*)'/g)].map((m) => m[1]));
  for (const file of loaded) assert.ok(kept.has(file), `${file} is missing from web/checkin-sw.js`);
  // The service worker keeps the page for a reload without network.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.context().setOffline(true);
  await page.locator('.door-offline').waitFor();
  assert.match(await page.locator('.door-offline').innerText(), /No network\. Scans are checked against the list saved on this phone/);

  // By name, from the saved list: provisional green, pending.
  const match = await findByName(page, 'farida');
  assert.match(await page.locator('#door-matches').innerText(), /Searching the list saved on this phone/);
  await match.click();
  const card = page.locator('#door-result');
  await card.waitFor();
  assert.match(await card.innerText(), /Checked in, pending sync\s+Farida Osman/);
  await ctx.shot(page, 'door-offline-green-en-phone');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#door-pending-count', { hasText: '1 scan waiting to be sent' }).waitFor();

  // By ticket code: one on the list (checked in at another door meanwhile), one not on it (cancelled).
  await page.locator('#door-tab-scan').click();
  await page.getByLabel('Ticket code (under the QR code)').fill(elsewhere.ticket_code);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await card.waitFor();
  assert.match(await card.innerText(), /Checked in, pending sync\s+Kwame Mensah/);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Ticket code (under the QR code)').fill(cancelled.ticket_code);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-kind'), 'bad');
  assert.match(await card.innerText(), /Not on the list\s+This ticket is not on the list saved on this phone\. It will be checked when the network returns\./);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#door-pending-count', { hasText: '3 scans waiting to be sent' }).waitFor();
  await checkA11y(ctx, page, 'door page offline');
  await ctx.shot(page, 'door-offline-pending-en-phone');

  // Reopened without network, the page comes from the service worker with the saved list and the queue.
  const reopened = await page.reload();
  assert.ok(reopened.fromServiceWorker(), 'the page came from the service worker');
  await page.locator('#door-pending-count', { hasText: '3 scans waiting to be sent' }).waitFor();
  await page.locator('.door-offline').waitFor();

  // Another door checks Kwame in while this phone is offline.
  const at = await apiCall(ctx, '/api/v1/checkin', {
    method: 'POST',
    token: other.token,
    body: { ticket_code: elsewhere.ticket_code, device_id: 'Door B tablet' },
  });
  assert.equal(at.body.result, 'checked_in');

  await page.context().setOffline(false);
  await page.locator('#door-pending').waitFor({ state: 'detached', timeout: 20_000 });
  const attention = page.locator('#door-attention');
  await attention.waitFor();
  const text = (await attention.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /Kwame Mensah Already checked in at \d{1,2}:\d\d on Door B tablet\./);
  assert.match(text, new RegExp(`Ticket ${cancelled.ticket_code} This registration was cancelled\\.`));
  assert.doesNotMatch(text, /Farida/);
  assert.equal(await page.locator('.door-offline').count(), 0);
  await eventually(async () => assert.match(await page.locator('#door-count-in-person').innerText(), /2 \/ 2/), { timeout: 8000 });
  await page.locator('.door-live-live').waitFor();
  await ctx.shot(page, 'door-attention-en-phone');
  await checkA11y(ctx, page, 'door page needs attention');
  const farida = await registrationOf(ctx, token, event.id, listed.id);
  assert.ok(farida.checked_in_at, 'the batch checked Farida in on the server');
  assert.match(farida.checked_in_device, /\([0-9a-f]{10}\)$|^[0-9a-f]{10}$/);
  assert.equal((await registrationOf(ctx, token, event.id, elsewhere.id)).checked_in_device, 'Door B tablet', 'the earlier check-in stays');

  await attention.getByRole('button', { name: 'Done: Kwame Mensah' }).click();
  await page.locator('.door-attention-item', { hasText: 'Kwame Mensah' }).waitFor({ state: 'detached' });
}

export async function revokedLinkSaysSoPlainly(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token);
  await registerByApi(ctx, event.slug, { name: 'Priya Raman', email: email('priya'), mode: 'in_person' });
  const link = await checkinLink(ctx, token, event.id);
  const page = await ctx.newPage({ phone: true, lang: 'fr' });
  await openDoor(page, link);
  const revoke = await apiCall(ctx, `/api/v1/events/${event.id}/checkin-links/${link.id}/revoke`, { method: 'POST', token });
  assert.equal(revoke.status, 200);
  // The next request says it: here a search.
  await page.locator('#door-tab-search').click();
  await page.locator('#door-search-input').fill('Priya');
  await page.locator('#door-stopped').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Ce lien d’accueil ne fonctionne plus' }).waitFor();
  assert.match(await mainText(page), /L’organisateur a révoqué ce lien\. Demandez un nouveau lien à un organisateur\./);
  await checkA11y(ctx, page, 'revoked link (fr)');
  await ctx.shot(page, 'door-revoked-fr-phone');
}
