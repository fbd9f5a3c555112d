// The organizers' dashboard: check-in links with live door counts, changes to registrations, deliveries and
// retries, the event report with its charts, the event team, accounts and the audit log.
import net from 'node:net';
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
  signIn,
} from './helpers.mjs';

export async function checkinLinksCreateUseAndRevoke(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, { title: { en: 'Link Test Clinic', fr: 'Clinique test des liens' } });
  await registerByApi(ctx, event.slug, { name: 'Hana Yousef', email: email('hana'), mode: 'in_person' });
  await registerByApi(ctx, event.slug, { name: 'Ivan Petrenko', email: email('ivan'), mode: 'in_person' });

  const page = await ctx.newPage();
  await signIn(ctx, page);
  await page.goto(`/admin/events/${event.id}`);
  await page.locator('#event-checkin').click();
  await page.getByRole('heading', { level: 1, name: 'Door check-in' }).waitFor();
  await page.locator('.door-live-live').waitFor();
  assert.equal(await page.locator('#live-in-person').innerText(), 'In person: 0 of 2 checked in');
  assert.match(await page.locator('#links-none').innerText(), /No check-in link yet/);

  await page.getByLabel('Name of the link').fill('Door A');
  await page.getByRole('button', { name: 'Create the link' }).click();
  const created = page.locator('#created-link');
  await created.waitFor();
  assert.equal(await created.evaluate((el) => el === document.activeElement), true, 'focus moves to the new link');
  const url = await page.getByLabel('Check-in address').inputValue();
  assert.match(url, new RegExp(`^${ctx.base}/checkin#ens_c_[A-Za-z0-9_-]+$`));
  assert.match(await created.innerText(), /it is shown only once/);
  await page.getByRole('button', { name: 'Copy the address' }).click();
  await page.locator('#link-copy-status', { hasText: /Address copied\.|select the address/ }).waitFor();
  await page.locator('#links-table tr', { hasText: 'Door A' }).waitFor();
  assert.match(await page.locator('#links-table tbody').innerText(), /Door A[\s\S]*Active\s+0 check-ins\s+0 undone\s+Never used/);
  await checkA11y(ctx, page, 'check-in links (en)');
  await ctx.shot(page, 'admin-checkin-en-desktop');

  // A volunteer opens the address and checks someone in; the organizer's counts follow without reloading.
  const door = await ctx.newPage({ phone: true, lang: 'en' });
  await door.goto(url);
  await door.locator('#door-tab-search').click();
  await door.locator('#door-search-input').fill('Hana');
  await door.locator('.door-match', { hasText: 'Hana Yousef' }).click();
  await door.locator('#door-result[data-kind="ok"]').waitFor();
  await door.locator('#door-result').waitFor({ state: 'detached', timeout: 8000 });
  await eventually(async () => assert.equal(await page.locator('#live-in-person').innerText(), 'In person: 1 of 2 checked in'), { timeout: 8000 });

  await page.reload();
  const row = page.locator('#links-table tbody tr', { hasText: 'Door A' });
  await row.waitFor();
  assert.match(await row.innerText(), /Active\s+1 check-in\s+0 undone\s+Last used/);
  assert.match(await row.innerText(), /\([0-9a-f]{10}\)|[0-9a-f]{10}/, 'the phone that used it');

  await page.getByRole('button', { name: 'Revoke the link Door A' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke “Door A”?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Revoke the link' }).click();
  await page.locator('#links-message', { hasText: 'Link “Door A” revoked.' }).waitFor();
  assert.match(await row.innerText(), /Revoked/);
  assert.equal(await page.getByRole('button', { name: 'Revoke the link Door A' }).count(), 0);

  await door.locator('#door-search-input').fill('Ivan');
  await door.locator('#door-stopped').waitFor();
  assert.match(await mainText(door), /The organizer revoked this link\./);

  const phone = await ctx.newPage({ phone: true, lang: 'fr' });
  await signIn(ctx, phone);
  await phone.goto(`/admin/events/${event.id}/checkin`);
  await phone.getByRole('heading', { level: 1, name: 'Accueil à l’entrée' }).waitFor();
  await phone.locator('#links-table').waitFor();
  await checkA11y(ctx, phone, 'check-in links (fr)');
  await ctx.shot(phone, 'admin-checkin-fr-phone');
}

export async function registrationsPromoteMoveAndCancel(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, { capacity: { in_person: 1, online: 5 } });
  const ada = await registerByApi(ctx, event.slug, { name: 'Ada Nwosu', email: email('ada'), mode: 'in_person' });
  const ben = await registerByApi(ctx, event.slug, { name: 'Ben Tremblay', email: email('ben'), mode: 'in_person', waitlist: true });
  const chen = await registerByApi(ctx, event.slug, { name: 'Chen Wei', email: email('chen'), mode: 'online' });
  assert.equal(ben.status, 'waitlisted');
  const link = await checkinLink(ctx, token, event.id);
  const scan = await apiCall(ctx, '/api/v1/checkin', { method: 'POST', token: link.token, body: { ticket_code: ada.ticket_code, device_id: 'Door A phone (0123456789)' } });
  assert.equal(scan.body.result, 'checked_in');

  const page = await ctx.newPage();
  await signIn(ctx, page);
  await page.goto(`/admin/events/${event.id}/registrations`);
  await page.locator('#regs-count', { hasText: '3 registrations' }).waitFor();
  const rowOf = (name) => page.locator('tbody tr', { hasText: name });
  assert.match(await rowOf('Ada Nwosu').innerText(), /\d{1,2}:\d\d\s+on Door A phone \(0123456789\)/);
  assert.match(await rowOf('Ben Tremblay').innerText(), /Waitlist\s+no\. 1/);
  await checkA11y(ctx, page, 'registrations with actions');
  await ctx.shot(page, 'admin-registrations-actions-en');

  // Promotion with no free seat: the dialog says the capacity grows.
  await page.getByRole('button', { name: 'Promote Ben Tremblay from the waitlist' }).click();
  const promote = page.getByRole('dialog', { name: 'Promote Ben Tremblay from the waitlist?' });
  await promote.waitFor();
  assert.match(await promote.innerText(), /No in-person seat is free, so the in-person capacity grows by one, from 1 to 2/);
  await checkA11y(ctx, page, 'promote dialog');
  await promote.getByRole('button', { name: 'Promote' }).click();
  await page.locator('#regs-message', { hasText: 'Ben Tremblay is confirmed; the in-person capacity is now 2.' }).waitFor();
  assert.match(await rowOf('Ben Tremblay').innerText(), /Confirmed/);

  // Moving to a full mode changes nothing; moving to one with seats works.
  await page.getByRole('button', { name: 'Move in person: Chen Wei' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click();
  await page.locator('#regs-message', { hasText: 'No in-person seat is left: Chen Wei keeps the current place.' }).waitFor();
  await page.getByRole('button', { name: 'Move online: Ada Nwosu' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click();
  await page.locator('#regs-message', { hasText: 'Ada Nwosu now attends online.' }).waitFor();
  assert.match(await rowOf('Ada Nwosu').innerText(), /Online/);

  // Cancel on the attendee's behalf, after a warning.
  await page.getByRole('button', { name: 'Cancel the registration of Chen Wei' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel the registration of Chen Wei?' });
  await cancel.waitFor();
  await cancel.getByRole('button', { name: 'Cancel the registration' }).click();
  await page.locator('#regs-message', { hasText: 'The registration of Chen Wei is cancelled.' }).waitFor();
  assert.match(await rowOf('Chen Wei').innerText(), /Cancelled/);
  assert.equal(await page.getByRole('button', { name: 'Cancel the registration of Chen Wei' }).count(), 0);
  assert.equal((await registrationOf(ctx, token, event.id, chen.id)).status, 'cancelled');
  assert.equal((await registrationOf(ctx, token, event.id, ben.id)).status, 'confirmed');

  const fr = await ctx.newPage({ phone: true, lang: 'fr' });
  await signIn(ctx, fr);
  await fr.goto(`/admin/events/${event.id}/registrations`);
  await fr.locator('#regs-count', { hasText: '3 inscriptions' }).waitFor();
  await checkA11y(ctx, fr, 'registrations with actions (fr)');
  await ctx.shot(fr, 'admin-registrations-actions-fr-phone');
}

function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Email through SendGrid pointed at a closed port, one try only: every message fails and shows with its error.
export async function deliveriesShowFailuresAndRetry(ctx) {
  const port = await closedPort();
  const server = await ctx.startServer({
    ENSEMBLE_EMAIL_PROVIDER: 'sendgrid',
    ENSEMBLE_SENDGRID_URL: `http://127.0.0.1:${port}`,
    ENSEMBLE_SENDGRID_API_KEY: 'SG.browser-test',
    ENSEMBLE_OUTBOX_MAX_ATTEMPTS: '1',
    ENSEMBLE_OUTBOX_POLL_INTERVAL_MS: '50',
    ENSEMBLE_OUTBOX_BASE_DELAY_S: '1',
    ENSEMBLE_OUTBOX_MAX_DELAY_S: '1',
  });
  const other = { ...ctx, base: server.base, admin: server.admin };
  const token = await adminToken(other);
  const event = await createEvent(other, token, { title: { en: 'Delivery Test Webinar', fr: 'Webinaire test des envois' } });
  const address = email('zainab');
  await registerByApi(other, event.slug, { name: 'Zainab Ali', email: address, mode: 'online' });
  const failed = async () => {
    const res = await apiCall(other, `/api/v1/events/${event.id}/outbox?status=failed`, { token });
    assert.equal(res.status, 200);
    assert.ok(res.body.messages.length >= 1, 'the confirmation failed');
    return res.body.messages;
  };
  await eventually(failed, { timeout: 15_000 });

  const page = await ctx.newPage({ base: server.base });
  await signIn(other, page);
  await page.getByRole('link', { name: 'Deliveries' }).click();
  await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
  const row = page.locator('#out-table tbody tr', { hasText: address });
  await row.waitFor();
  assert.match(await row.innerText(), /Confirmation email/);
  assert.match(await row.innerText(), /Failed/);
  assert.ok((await row.locator('td.error-text').innerText()).trim().length > 3, 'the error shows');
  await checkA11y(ctx, page, 'deliveries (en)');
  await ctx.shot(page, 'admin-deliveries-en-desktop');

  await page.getByRole('button', { name: `Retry the message Confirmation email to ${address}` }).click();
  await page.locator('#out-message', { hasText: `The message to ${address} will be sent again now.` }).waitFor();
  await page.getByLabel('Status').selectOption('pending');
  await page.getByLabel('Status').selectOption('failed');

  // Every failed message of one event, from the event's own page, once the retried one failed again.
  await eventually(failed, { timeout: 15_000 });
  const fr = await ctx.newPage({ base: server.base, lang: 'fr', phone: true });
  await signIn(other, fr);
  await fr.goto(`/admin/events/${event.id}/deliveries`);
  await fr.getByRole('heading', { level: 1, name: 'Envois' }).waitFor();
  await fr.locator('#out-table').waitFor();
  await checkA11y(ctx, fr, 'deliveries (fr)');
  await ctx.shot(fr, 'admin-deliveries-fr-phone');
  await fr.getByRole('button', { name: 'Réessayer tous les messages en échec de cet événement' }).click();
  await fr.locator('#out-message', { hasText: /1 message en échec sera renvoyé maintenant\./ }).waitFor();
}

export async function reportShowsHeadlineChartsAndTables(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, {
    title: { en: 'Report Test Summit', fr: 'Sommet test du bilan' },
    starts: -60,
    hours: 6,
    questions: [
      {
        id: 'profession',
        label: { en: 'Your profession', fr: 'Votre profession' },
        type: 'choice',
        required: true,
        options: [
          { id: 'nurse', label: { en: 'Nurse', fr: 'Infirmière ou infirmier' } },
          { id: 'physician', label: { en: 'Physician', fr: 'Médecin' } },
        ],
      },
      { id: 'first', label: { en: 'First time at the summit', fr: 'Première fois au sommet' }, type: 'boolean' },
      { id: 'needs', label: { en: 'Accessibility needs', fr: 'Besoins d’accessibilité' }, type: 'text' },
    ],
  });
  const people = [
    ['Rosa Lima', 'in_person', 'nurse', true],
    ['Sami Karim', 'in_person', 'nurse', false],
    ['Tara Singh', 'in_person', 'physician', true],
    ['Uche Obi', 'online', 'physician', true],
    ['Vera Kova', 'online', 'nurse', false],
  ];
  const regs = [];
  for (const [name, mode, profession, first] of people)
    regs.push(await registerByApi(ctx, event.slug, { name, email: email('report'), mode, answers: { profession, first, needs: 'none' } }));
  const link = await checkinLink(ctx, token, event.id);
  for (const r of [regs[0], regs[1], regs[3]]) {
    const res = await apiCall(ctx, '/api/v1/checkin', { method: 'POST', token: link.token, body: { ticket_code: r.ticket_code } });
    assert.equal(res.status, 200);
  }

  const page = await ctx.newPage();
  await signIn(ctx, page);
  await page.goto(`/admin/events/${event.id}`);
  await page.locator('#event-report').click();
  await page.getByRole('heading', { level: 1, name: 'Report' }).waitFor();
  assert.equal(await page.locator('#report-headline').innerText(), '2 participants in person and 0 online');
  assert.match(await mainText(page), /Of 5 confirmed registrations \(40% attended\)\./);
  const modes = page.locator('#report-modes');
  assert.match(await modes.locator('tr[data-measure="registered"]').innerText(), /Confirmed\s+3\s+2\s+5/);
  assert.match(await modes.locator('tr[data-measure="attended"]').innerText(), /Attended\s+2\s+0\s+2/);
  assert.match(await modes.locator('tr[data-measure="attendance_rate"]').innerText(), /Attendance rate\s+67%\s+0%/);
  assert.match(await modes.locator('tr[data-measure="checked_in_at_door"]').innerText(), /Online registrants checked in at the door\s+—\s+1/);
  assert.match(await page.locator('#report-time-summary').innerText(), /^All 5 registrations came on \w+ \d+, \d{4}\.$/);
  const profession = page.locator('#report-q-0');
  assert.match(await profession.locator('tr', { hasText: 'Nurse' }).innerText(), /Nurse\s+2\s+1\s+3/);
  assert.match(await profession.locator('tr', { hasText: 'Physician' }).innerText(), /Physician\s+1\s+1\s+2/);
  assert.match(await page.locator('#report-q-1').innerText(), /Yes\s+2\s+1\s+3[\s\S]*No\s+1\s+1\s+2/);
  assert.match(await mainText(page), /Accessibility needs 5 people answered\. Written answers are in the CSV export/);
  // The charts are drawn, with the same numbers.
  const charts = await page.evaluate(() =>
    ['chart-over-time', 'chart-q-0', 'chart-q-1'].map((id) => {
      const chart = window.Chart.getChart(document.getElementById(id));
      return chart ? chart.data.datasets.map((d) => d.data) : null;
    }),
  );
  assert.deepEqual(charts[1], [
    [2, 1],
    [1, 1],
  ]);
  assert.deepEqual(charts[0], [[3], [2]]);
  assert.ok(charts[2]);
  await checkA11y(ctx, page, 'report (en)');
  await ctx.shot(page, 'admin-report-en-desktop');

  const fr = await ctx.newPage({ lang: 'fr', phone: true });
  await signIn(ctx, fr);
  await fr.goto(`/admin/events/${event.id}/report`);
  await fr.getByRole('heading', { level: 1, name: 'Bilan' }).waitFor();
  assert.equal(await fr.locator('#report-headline').innerText(), '2 participants en personne et 0 en ligne');
  assert.match(await fr.locator('#report-q-0').innerText(), /Infirmière ou infirmier\s+2\s+1\s+3/);
  await fr.waitForFunction(() => window.Chart && window.Chart.getChart(document.getElementById('chart-q-1')));
  await checkA11y(ctx, fr, 'report (fr)');
  await ctx.shot(fr, 'admin-report-fr-phone');
}

export async function teamAccountsAndAuditLog(ctx) {
  const token = await adminToken(ctx);
  const event = await createEvent(ctx, token, { title: { en: 'Team Test Fair', fr: 'Salon test de l’équipe' } });
  const page = await ctx.newPage();
  await signIn(ctx, page);

  // An admin creates an organizer account; the server's rules show next to the fields.
  await page.getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  await page.locator('#users-table').waitFor();
  const sofia = { email: email('sofia'), password: 'correct horse battery staple', name: 'Sofia Martins' };
  await page.getByLabel(/^Email address/).fill(sofia.email);
  await page.getByLabel(/^Name/).fill(sofia.name);
  await page.getByLabel(/^First password/).fill('short');
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.locator('.field-error', { hasText: 'must be at least 12 characters' }).waitFor();
  await page.getByLabel(/^First password/).fill(sofia.password);
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.locator('#users-message', { hasText: 'Account of Sofia Martins created.' }).waitFor();
  assert.match(await page.locator('#users-table tr', { hasText: sofia.email }).innerText(), /Organizer\s+Active/);
  await checkA11y(ctx, page, 'accounts (en)');
  await ctx.shot(page, 'admin-users-en-desktop');

  // The event's team: an unknown address is refused at the field; Sofia's is added.
  await page.goto(`/admin/events/${event.id}`);
  await page.locator('#event-team').click();
  await page.getByRole('heading', { level: 1, name: 'Event team' }).waitFor();
  assert.match(await page.locator('#team-table').innerText(), /Demo Admin[\s\S]*Owner/);
  await page.getByLabel(/^Email of their account/).fill('nobody@example.org');
  await page.getByRole('button', { name: 'Add to the team' }).click();
  await page.locator('.field-error', { hasText: 'No active account has this email address.' }).waitFor();
  await page.getByLabel(/^Email of their account/).fill(sofia.email);
  await page.getByRole('button', { name: 'Add to the team' }).click();
  await page.locator('#team-message', { hasText: `${sofia.email} can now manage this event.` }).waitFor();
  assert.match(await page.locator('#team-table').innerText(), /Sofia Martins/);
  await checkA11y(ctx, page, 'team (en)');
  await ctx.shot(page, 'admin-team-en-desktop');

  // Sofia sees the event, and neither accounts nor the audit log.
  const organizer = await ctx.newPage({ lang: 'fr' });
  await signIn(ctx, organizer, sofia);
  assert.match(await mainText(organizer), /Salon test de l’équipe/);
  assert.equal(await organizer.getByRole('link', { name: 'Comptes' }).count(), 0);
  assert.equal(await organizer.getByRole('link', { name: 'Journal d’audit' }).count(), 0);
  await organizer.goto('/admin/users');
  await organizer.getByRole('heading', { level: 1, name: 'Réservé aux administrateurs' }).waitFor();
  await organizer.goto(`/admin/events/${event.id}/team`);
  await organizer.locator('#team-table').waitFor();
  await checkA11y(ctx, organizer, 'team (fr)');
  await ctx.shot(organizer, 'admin-team-fr-desktop');

  // The admin removes her from the team, then disables her account and renames it.
  await page.getByRole('button', { name: 'Remove Sofia Martins from the team' }).click();
  await page.getByRole('dialog', { name: 'Remove Sofia Martins from the team?' }).getByRole('button', { name: 'Remove' }).click();
  await page.locator('#team-message', { hasText: 'Sofia Martins was removed from the team.' }).waitFor();
  assert.doesNotMatch(await page.locator('#team-table').innerText(), /Sofia/);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'Disable the account of Sofia Martins' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  await page.locator('#users-message', { hasText: 'The account of Sofia Martins is disabled.' }).waitFor();
  assert.match(await page.locator('#users-table tr', { hasText: sofia.email }).innerText(), /Disabled/);
  await page.getByRole('button', { name: 'Edit Sofia Martins' }).click();
  await page.getByRole('heading', { name: 'Edit Sofia Martins' }).waitFor();
  await page.locator('#user-edit-form').getByLabel(/^Name/).fill('Sofia Martins-Diallo');
  await page.locator('#user-edit-form').getByRole('button', { name: 'Save' }).click();
  await page.locator('#users-message', { hasText: 'Changes to Sofia Martins-Diallo saved.' }).waitFor();
  const login = await apiCall(ctx, '/api/v1/auth/login', { method: 'POST', body: { email: sofia.email, password: sofia.password } });
  assert.equal(login.status, 401, 'a disabled account cannot sign in');

  // The audit log has it all, and can show one event.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await page.locator('#audit-table').waitFor();
  const log = await page.locator('#audit-table').innerText();
  assert.match(log, /Account created/);
  assert.match(log, /Account disabled/);
  assert.match(log, /Organizer removed from the team/);
  await page.getByLabel('Event').selectOption(String(event.id));
  await page.waitForURL(new RegExp(`event=${event.id}`));
  await eventually(async () => {
    const one = await page.locator('#audit-table').innerText();
    assert.match(one, /Organizer added to the team/);
    assert.doesNotMatch(one, /Account created/);
  });
  await checkA11y(ctx, page, 'audit log (en)');
  await ctx.shot(page, 'admin-audit-en-desktop');
  const fr = await ctx.newPage({ lang: 'fr', phone: true });
  await signIn(ctx, fr);
  await fr.goto('/admin/audit');
  await fr.locator('#audit-table').waitFor();
  await checkA11y(ctx, fr, 'audit log (fr)');
  await ctx.shot(fr, 'admin-audit-fr-phone');
  await fr.goto('/admin/users');
  await fr.locator('#users-table').waitFor();
  await checkA11y(ctx, fr, 'accounts (fr)');
  await ctx.shot(fr, 'admin-users-fr-phone');
}
