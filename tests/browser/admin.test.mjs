// The organizer app: sign-in, create an event with questions and an agenda, publish it, see it publicly, follow registrations.
import { assert, email, mainText, signIn } from './helpers.mjs';

export async function signInRejectsAWrongPassword(ctx) {
  const page = await ctx.newPage();
  await page.goto('/admin');
  await page.waitForURL(/\/admin\/login\?next=/);
  await page.getByRole('heading', { level: 1, name: 'Organizer sign-in' }).waitFor();
  await page.getByLabel(/Email address/).fill(ctx.admin.email);
  await page.getByLabel(/^Password/).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#login-error').waitFor();
  assert.equal(await page.locator('#login-error').innerText(), 'Wrong email or password.');
  await ctx.shot(page, 'admin-login-en');
}

export async function signInListsEventsAndSignsOut(ctx) {
  const page = await ctx.newPage();
  await signIn(ctx, page);
  const text = await mainText(page);
  assert.match(text, /Upcoming and drafts/);
  assert.match(text, /The Annual IEHPs Summit 2027/);
  assert.match(text, /Past events/);
  assert.match(text, /IEHP Pre-Conference Event/);
  assert.match(await page.locator('header').innerText(), /Signed in as Demo Admin/);
  const csrf = await page.evaluate(() => sessionStorage.getItem('ensemble.csrf'));
  assert.ok(csrf && csrf.length > 10, 'the CSRF token is kept for the tab');
  await ctx.shot(page, 'admin-events-en-desktop');
  const phone = await ctx.newPage({ phone: true, lang: 'fr' });
  await signIn(ctx, phone);
  await ctx.shot(phone, 'admin-events-fr-phone');
  await phone.getByRole('button', { name: 'Se déconnecter' }).click();
  await phone.getByRole('heading', { level: 1, name: 'Connexion des organisateurs' }).waitFor();
  assert.match(await mainText(phone), /Vous êtes déconnecté·e/);
  await phone.goto('/admin/events');
  await phone.waitForURL(/\/admin\/login/);
}

async function fillText(page, label, value) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

export async function createPublishAndRegister(ctx) {
  const page = await ctx.newPage({ timezoneId: 'America/Toronto' });
  await signIn(ctx, page);
  await page.getByRole('link', { name: 'New event' }).click();
  await page.getByRole('heading', { level: 1, name: 'New event' }).waitFor();

  await fillText(page, 'Title in English (required)', 'Nursing Licensure Clinic 2027');
  await fillText(page, 'Title in French', 'Clinique sur le permis infirmier 2027');
  await fillText(page, 'Summary (one or two sentences) in English', 'Bring your documents: NNAS, exams and bridging programs, one by one.');
  await fillText(page, 'Summary (one or two sentences) in French', 'Apportez vos documents : NNAS, examens et programmes de transition, un à un.');
  await fillText(page, 'Description in English', 'For **internationally educated nurses** in Atlantic Canada.\n\n- NNAS application\n- NCLEX-RN preparation');
  await fillText(page, 'Web address (slug)', 'nursing-licensure-clinic-2027');
  await page.getByLabel('Format (required)').selectOption('hybrid');
  await page.getByLabel('Time zone (required)').selectOption('America/Halifax');
  await fillText(page, 'Starts (required)', '2027-06-05T10:00');
  await fillText(page, 'Ends (required)', '2027-06-05T13:00');
  await fillText(page, 'Venue name (required)', 'ISANS, Mumford Professional Building');
  await fillText(page, 'Street address', '6960 Mumford Rd Suite 2120');
  await fillText(page, 'City', 'Halifax');
  await fillText(page, 'Province or territory', 'NS');
  await fillText(page, 'Postal code', 'B3L 4P1');
  await fillText(page, 'In-person places', '25');
  await fillText(page, 'Online places', '80');
  await page.getByLabel('How online attendees join').selectOption('manual');
  await fillText(page, 'Join link', 'https://example.org/zoom-demo/nursing-2027');
  await fillText(page, 'Passcode', 'NURSE27');

  // A choice question with two options.
  await page.getByRole('button', { name: '+ Add a question' }).click();
  const q = page.locator('#questions-item-0');
  await q.getByLabel('Question in English (required)').fill('Where did you train?');
  await q.getByLabel('Question in French').fill('Où avez-vous été formé·e?');
  await q.getByLabel('Answer type').selectOption('choice');
  await q.getByLabel('An answer is required').check();
  await q.getByRole('button', { name: '+ Add an option' }).click();
  await q.locator('#q0-options-item-0').getByLabel('Option text in English').fill('Philippines');
  await q.locator('#q0-options-item-0').getByLabel('Option text in French').fill('Philippines');
  await q.getByRole('button', { name: '+ Add an option' }).click();
  await q.locator('#q0-options-item-1').getByLabel('Option text in English').fill('Nigeria');
  await q.locator('#q0-options-item-1').getByLabel('Option identifier').fill('nigeria');

  // A speaker and two agenda sessions, the second with a mistake (it ends before it starts).
  await page.getByRole('button', { name: '+ Add a speaker' }).click();
  await page.locator('#speakers-item-0').getByLabel('Name (required)').fill('Grace Mensah, RN');
  await page.locator('#speakers-item-0').getByLabel('Affiliation').fill('Nova Scotia College of Nursing');
  await page.locator('#speakers-item-0').getByLabel('Short biography in English').fill('Licensing advisor for internationally educated nurses.');
  await page.getByRole('button', { name: '+ Add a session' }).click();
  const s0 = page.locator('#sessions-item-0');
  await s0.getByLabel('Session title in English (required)').fill('Your file with NNAS');
  await s0.getByLabel('Starts (required)').fill('2027-06-05T10:00');
  await s0.getByLabel('Ends (required)').fill('2027-06-05T11:00');
  await s0.getByLabel('Room').fill('Room 2120');
  await s0.getByRole('checkbox', { name: /Grace Mensah/ }).check();
  await page.getByRole('button', { name: '+ Add a session' }).click();
  const s1 = page.locator('#sessions-item-1');
  await s1.getByLabel('Session title in English (required)').fill('Questions and answers');
  await s1.getByLabel('Starts (required)').fill('2027-06-05T12:00');
  await s1.getByLabel('Ends (required)').fill('2027-06-05T11:30');
  await page.getByRole('button', { name: '+ Add an organization' }).click();
  await page.locator('#partners-item-0').getByLabel('Name (required)').fill('PEGASUS Institute');
  await page.locator('#partners-item-0').getByLabel('Role').selectOption('host');

  await page.getByRole('button', { name: 'Create the draft' }).click();
  const summary = page.locator('#editor-errors');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Agenda › Session 2 › Ends: must be after the start/);
  assert.equal(await s1.getByLabel('Ends (required)').getAttribute('aria-invalid'), 'true');
  await ctx.shot(page, 'admin-editor-errors-en');
  await s1.getByLabel('Ends (required)').fill('2027-06-05T13:00');
  await page.getByRole('button', { name: 'Create the draft' }).click();

  await page.waitForURL(/\/admin\/events\/\d+$/);
  await page.getByRole('heading', { level: 1, name: 'Nursing Licensure Clinic 2027' }).waitFor();
  assert.match(await page.locator('#flash').innerText(), /Draft created/);
  assert.match(await mainText(page), /Draft/);
  const eventUrl = page.url();
  await ctx.shot(page, 'admin-overview-draft-en');

  // Not public before publishing; organizers can preview it.
  const before = await fetch(`${ctx.base}/api/v1/events/nursing-licensure-clinic-2027`);
  assert.equal(before.status, 404);
  await page.getByRole('link', { name: 'Preview (organizers only)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nursing Licensure Clinic 2027' }).waitFor();
  assert.match(await mainText(page), /This event is a draft: only organizers can see it/);
  assert.equal(await page.locator('form.registration-form').count(), 0);
  await page.goBack();
  await page.getByRole('button', { name: 'Publish' }).waitFor();

  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('dialog', { name: 'Publish this event?' }).getByRole('button', { name: 'Publish' }).click();
  await page.locator('#flash', { hasText: 'Published' }).waitFor();
  assert.match(await page.locator('.card-tags').innerText(), /Published/);

  // The public sees it, with its agenda and question, in both languages.
  const visitor = await ctx.newPage({ timezoneId: 'America/Toronto' });
  await visitor.goto('/?lang=en');
  await visitor.getByRole('link', { name: 'Nursing Licensure Clinic 2027' }).click();
  await visitor.getByRole('heading', { level: 1, name: 'Nursing Licensure Clinic 2027' }).waitFor();
  const text = await mainText(visitor);
  assert.match(text, /10:00–13:00 ADT/);
  assert.match(text, /9:00–12:00 EDT/);
  assert.match(text, /Your file with NNAS/);
  assert.match(text, /With Grace Mensah, RN/);
  assert.match(text, /Hosted by PEGASUS Institute/);
  assert.equal(await visitor.locator('.prose strong').innerText(), 'internationally educated nurses');
  await visitor.getByLabel(/^Full name/).fill('Chiamaka Eze');
  await visitor.getByLabel(/^Email address/).fill(email('chiamaka'));
  await visitor.getByRole('radio', { name: /^In person/ }).check();
  await visitor.getByRole('radio', { name: 'Nigeria' }).check();
  await visitor.getByRole('checkbox', { name: /I agree/ }).check();
  await visitor.getByRole('button', { name: 'Register' }).click();
  await visitor.getByRole('heading', { name: 'You are registered!' }).waitFor();
  const fr = await ctx.newPage({ lang: 'fr' });
  await fr.goto('/events/nursing-licensure-clinic-2027');
  await fr.getByRole('heading', { level: 1, name: 'Clinique sur le permis infirmier 2027' }).waitFor();
  assert.match(await mainText(fr), /Où avez-vous été formé·e\?/);

  // The organizer finds the registration, filters and exports.
  await page.goto(eventUrl);
  await page.getByRole('link', { name: 'Registrations', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Registrations' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  assert.match(await page.locator('#regs-count').innerText(), /^1 registration$/);
  assert.match(await page.locator('tbody').innerText(), /Chiamaka Eze/);
  await page.getByLabel('Search by name or email').fill('nobody-matches');
  await page.locator('#regs-count', { hasText: 'No registration matches.' }).waitFor();
  await page.getByLabel('Search by name or email').fill('chiamaka');
  await page.locator('#regs-count', { hasText: '1 registration' }).waitFor();
  await page.getByLabel('Status').selectOption('confirmed');
  await page.getByLabel('Sort by').selectOption('-name');
  await page.waitForURL(/status=confirmed/);
  const csv = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
  assert.match(csv, /\/api\/v1\/events\/\d+\/registrations\.csv\?status=confirmed&q=chiamaka&sort=-name/);
  const csvText = await page.evaluate(async (href) => (await fetch(href)).text(), csv);
  assert.match(csvText, /Chiamaka Eze/);
  await ctx.shot(page, 'admin-registrations-en');

  // Edit keeps everything and saves a change; the secrets come from the settings.
  await page.goto(eventUrl);
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('heading', { level: 1, name: /Edit:/ }).waitFor();
  assert.equal(await page.getByLabel('Join link', { exact: true }).inputValue(), 'https://example.org/zoom-demo/nursing-2027');
  assert.equal(await page.locator('#questions-item-0').getByLabel('Identifier (required)').inputValue(), 'where-did-you-train');
  assert.equal(await page.locator('#sessions-item-0').getByRole('checkbox', { name: /Grace Mensah/ }).isChecked(), true);
  await fillText(page, 'In-person places', '30');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#flash', { hasText: 'Changes saved.' }).waitFor();
  assert.match(await page.locator('table').first().innerText(), /In person\s+30\s+1\s+29\s+0/);
}

export async function duplicateCancelAndRecording(ctx) {
  const page = await ctx.newPage({ lang: 'fr' });
  await signIn(ctx, page);
  // A past event gets its recording link, which then shows on the past events page.
  await page.getByRole('link', { name: 'IEHP Pre-Conference Event: Bridging Careers, Embracing Diversity', exact: true }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByLabel('Lien de l’enregistrement (https://…)').fill('https://example.org/recordings/irmhc-2025');
  await page.getByRole('button', { name: 'Enregistrer le lien' }).click();
  await page.locator('#overview-message').waitFor();
  assert.match(await page.locator('#overview-message').innerText(), /enregistré/);
  const past = await ctx.newPage();
  await past.goto('/past?lang=en');
  const card = past.locator('.event-card', { hasText: 'IEHP Pre-Conference Event' });
  await card.waitFor();
  assert.equal(await card.getByRole('link', { name: /Watch the recording/ }).getAttribute('href'), 'https://example.org/recordings/irmhc-2025');
  await ctx.shot(past, 'past-with-recording-en');

  // Duplicate for next year: a draft copy opens in the editor, 52 weeks later.
  await page.getByRole('button', { name: 'Dupliquer pour l’an prochain' }).click();
  await page.waitForURL(/\/admin\/events\/\d+\/edit$/);
  await page.getByRole('heading', { level: 1, name: /Modifier/ }).waitFor();
  assert.equal(await page.getByLabel('Début (obligatoire)').inputValue(), '2026-06-25T09:00');
  await ctx.shot(page, 'admin-editor-fr-desktop');
  const phone = await ctx.newPage({ phone: true });
  await signIn(ctx, phone);
  await phone.goto(page.url());
  await phone.getByRole('heading', { level: 1, name: /Edit/ }).waitFor();
  await ctx.shot(phone, 'admin-editor-en-phone');

  // Cancel it, after a confirmation that says registrants will be notified.
  await page.getByRole('link', { name: /Retour sans enregistrer/ }).click();
  await page.getByRole('button', { name: 'Annuler l’événement' }).click();
  const dialog = page.getByRole('dialog', { name: 'Annuler cet événement?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /avisée par courriel/);
  await dialog.getByRole('button', { name: /Oui, annuler l’événement/ }).click();
  await page.locator('#flash', { hasText: 'L’événement est annulé' }).waitFor();
  assert.match(await page.locator('.card-tags').innerText(), /Annulé/);
  assert.equal(await page.getByRole('link', { name: 'Modifier' }).count(), 0, 'a cancelled event cannot be edited');
  const publicPage = await page.locator('#public-page').getAttribute('href');
  const visitor = await ctx.newPage();
  await visitor.goto(`${publicPage}?lang=en`);
  await visitor.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await mainText(visitor), /This event was cancelled\. Registration is closed\./);
  assert.equal(await visitor.locator('form.registration-form').count(), 0);
}

// Switching the language in the middle of a new event keeps what was typed, including added items.
export async function editorKeepsTheDraftAcrossALanguageSwitch(ctx) {
  const page = await ctx.newPage();
  await signIn(ctx, page);
  await page.goto('/admin/events/new');
  await page.getByRole('heading', { level: 1, name: 'New event' }).waitFor();
  await fillText(page, 'Title in English (required)', 'Mentorship Evening 2027');
  await page.getByLabel('Format (required)').selectOption('online');
  await page.getByRole('button', { name: '+ Add a speaker' }).click();
  await page.locator('#speakers-item-0').getByLabel('Name (required)').fill('Siham Chakrouni');
  await page.getByRole('button', { name: 'Afficher cette page en français' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouvel événement' }).waitFor();
  assert.equal(await page.getByLabel('Titre en anglais (obligatoire)').inputValue(), 'Mentorship Evening 2027');
  assert.equal(await page.getByLabel('Format (obligatoire)').inputValue(), 'online');
  assert.equal(await page.locator('#speakers-item-0').getByLabel('Nom (obligatoire)').inputValue(), 'Siham Chakrouni');
  assert.equal(await page.locator('#venue-wrap').isHidden(), true, 'an online event has no venue');
}
