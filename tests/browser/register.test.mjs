// Registering through the event page's form, in English and in French, with errors shown by field.
import { assert, email, mainText } from './helpers.mjs';

export async function registerInEnglishWithFieldErrors(ctx) {
  const page = await ctx.newPage();
  const keys = [];
  const documents = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/registrations')) keys.push(req.headers()['idempotency-key']);
    if (req.resourceType() === 'document') documents.push(new URL(req.url()).pathname + new URL(req.url()).search);
  });
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await page.getByRole('heading', { level: 1, name: 'The Annual IEHPs Summit 2027' }).waitFor();

  // Nothing filled in: every problem is listed at the top and shown next to its field.
  await page.getByRole('button', { name: 'Register' }).click();
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'focus moves to the summary');
  const summaryText = await summary.innerText();
  for (const m of ['Enter your full name.', 'Enter your email address.', 'Choose how you will attend.', 'Answer this question.', 'You need to agree']) {
    assert.ok(summaryText.includes(m), `summary lists "${m}"`);
  }
  assert.equal(await page.getByLabel(/^Full name/).getAttribute('aria-invalid'), 'true');
  const described = await page.getByLabel(/^Full name/).getAttribute('aria-describedby');
  assert.equal(await page.locator(`#${described}`).innerText(), 'Enter your full name.');
  assert.equal(keys.length, 0, 'nothing was sent');
  await ctx.shot(page, 'register-errors-en');

  // A link of the summary takes the keyboard to its field.
  await summary.getByRole('link', { name: 'Enter your email address.' }).click();
  assert.equal(await page.getByLabel(/^Email address/).evaluate((el) => el === document.activeElement), true);

  const address = email('amina');
  await page.getByLabel(/^Full name/).fill('Amina Haddad');
  await page.getByLabel(/^Email address/).fill(address);
  await page.getByRole('radio', { name: /^In person/ }).check();
  await page.getByRole('radio', { name: 'Physician' }).check();
  await page.getByRole('radio', { name: 'Nova Scotia' }).check();
  await page.getByRole('checkbox', { name: 'Mentee' }).check();
  await page.getByLabel('Accessibility needs').fill('Step-free access, please');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Register' }).click();

  await page.waitForURL(/\/manage\/[A-Za-z0-9_-]+/);
  await page.getByRole('heading', { name: 'You are registered!' }).waitFor();
  assert.equal(keys.length, 1);
  assert.match(keys[0], /^[0-9a-f]{32}$/, 'an Idempotency-Key is sent');
  const text = await mainText(page);
  assert.match(text, new RegExp(`We sent a confirmation to ${address.replace(/[.+]/g, '\\$&')}`));
  assert.match(text, /Confirmed: In person/);
  assert.match(text, /Your profession Physician/);
  assert.match(text, /I would like to join the network as Mentee/);
  assert.match(text, /Accessibility needs Step-free access, please/);
  const qr = page.getByRole('img', { name: 'QR code of your ticket' });
  await qr.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('img.qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  const token = new URL(page.url()).pathname.split('/').pop();
  assert.ok(documents.includes(`/manage/${token}?new=1`), `success leads to /manage/{token}?new=1 (${documents.join(', ')})`);
  assert.equal(new URL(page.url()).search, '', 'the welcome flag is dropped from the address once shown');
  assert.equal(await page.getByRole('link', { name: 'Add to my calendar (.ics)' }).getAttribute('href'), `/api/v1/registrations/${token}/calendar.ics`);
  await ctx.shot(page, 'manage-new-en-desktop');

  // The same address again: the form says it is already registered.
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await page.getByLabel(/^Full name/).fill('Amina Haddad');
  await page.getByLabel(/^Email address/).fill(address);
  await page.getByRole('radio', { name: /^Online/ }).check();
  await page.getByRole('radio', { name: 'Physician' }).check();
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.locator('#form-notice').waitFor();
  assert.match(await page.locator('#form-notice').innerText(), /already registered for this event/);
}

export async function registerInFrenchOnline(ctx) {
  const page = await ctx.newPage({ phone: true, lang: 'fr' });
  await page.goto('/events/annual-iehps-summit-2027');
  await page.getByRole('heading', { level: 1, name: 'Sommet annuel des PSFE 2027' }).waitFor();
  await page.getByLabel(/^Nom complet/).fill('Jean-Baptiste Nkurunziza');
  await page.getByLabel(/^Adresse courriel/).fill(email('jean-baptiste'));
  await page.getByRole('radio', { name: /^En ligne/ }).check();
  await page.getByRole('radio', { name: 'Infirmier·ère' }).check();
  await page.getByRole('checkbox', { name: /J’accepte/ }).check();
  assert.equal(await page.getByRole('radio', { name: 'Français' }).isChecked(), true, 'emails in French by default');
  await ctx.shot(page, 'register-fr-phone');
  await page.getByRole('button', { name: 'M’inscrire' }).click();
  await page.waitForURL(/\/manage\/[A-Za-z0-9_-]+/);
  await page.getByRole('heading', { name: 'Vous êtes inscrit·e!' }).waitFor();
  const text = await mainText(page);
  assert.match(text, /Confirmée : En ligne/);
  assert.match(text, /Langue des courriels Français/);
  // The manual provider's link and passcode go to confirmed online registrants only.
  assert.equal(await page.locator('a.join-link').getAttribute('href'), 'https://example.org/zoom-demo/summit-2027');
  assert.match(text, /Code d’accès : IEHP2027/);
  assert.equal(await page.locator('img.qr').count(), 0, 'no QR ticket for an online seat');
  await ctx.shot(page, 'manage-new-fr-phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the manage page fits a 360 px phone (scroll width ${width})`);
}

export async function typedAnswersSurviveALanguageSwitch(ctx) {
  const page = await ctx.newPage();
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await page.getByLabel(/^Full name/).fill('Olena Kovalenko');
  await page.getByRole('radio', { name: 'Pharmacist' }).check();
  await page.getByRole('button', { name: 'Afficher cette page en français' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sommet annuel des PSFE 2027' }).waitFor();
  assert.equal(await page.getByLabel(/^Nom complet/).inputValue(), 'Olena Kovalenko');
  assert.equal(await page.getByRole('radio', { name: 'Pharmacien·ne' }).isChecked(), true);
}

async function fillSummitForm(page, name, address) {
  await page.getByLabel(/^Full name/).fill(name);
  await page.getByLabel(/^Email address/).fill(address);
  await page.getByRole('radio', { name: /^Online/ }).check();
  await page.getByRole('radio', { name: 'Other health profession' }).check();
  await page.getByRole('checkbox', { name: /I agree/ }).check();
}

// A dropped connection: the retry sends the same Idempotency-Key, so nobody is registered twice.
export async function retryAfterANetworkFailureReusesTheKey(ctx) {
  const page = await ctx.newPage();
  const keys = [];
  let dropped = false;
  await page.route('**/api/v1/events/*/registrations', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (!dropped) {
      dropped = true;
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await fillSummitForm(page, 'Yusuf Rahimi', email('yusuf'));
  await page.getByRole('button', { name: 'Register' }).click();
  await page.locator('#form-notice').waitFor();
  assert.match(await page.locator('#form-notice').innerText(), /could not reach the server/);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'You are registered!' }).waitFor();
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the same key on retry');
}

// Too many attempts from one address: the form says to wait, with the server's delay.
export async function rateLimitedRegistrationSaysWait(ctx) {
  const page = await ctx.newPage({ lang: 'fr' });
  await page.route('**/api/v1/events/*/registrations', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '42' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests from your address; wait a little and try again.' } }),
    }),
  );
  await page.goto('/events/annual-iehps-summit-2027');
  await page.getByLabel(/^Nom complet/).fill('Awa Diallo');
  await page.getByLabel(/^Adresse courriel/).fill(email('awa'));
  await page.getByRole('radio', { name: /^En ligne/ }).check();
  await page.getByRole('radio', { name: 'Médecin' }).check();
  await page.getByRole('checkbox', { name: /J’accepte/ }).check();
  await page.getByRole('button', { name: 'M’inscrire' }).click();
  await page.locator('#form-notice').waitFor();
  assert.match(await page.locator('#form-notice').innerText(), /Attendez 42 secondes/);
}
