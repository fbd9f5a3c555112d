// A small in-person pool fills up: the form offers the other mode or the waitlist; a cancellation promotes the first in line.
import { assert, email, eventually, mainText, registerByApi } from './helpers.mjs';

const SLUG = 'hybrid-seminar-healthcare-job-fair-2027'; // 3 in-person seats, 100 online, waitlist on

async function fillForm(page, name, address) {
  await page.getByLabel(/^Full name/).fill(name);
  await page.getByLabel(/^Email address/).fill(address);
  await page.getByRole('radio', { name: /^In person/ }).check();
  await page.getByRole('checkbox', { name: /I agree/ }).check();
}

export async function fullPoolOffersOtherModeWaitlistAndPromotion(ctx) {
  // Two seats go by API, the third through the form.
  const first = await registerByApi(ctx, SLUG, { name: 'Fatima Noor', email: email('fatima'), mode: 'in_person' });
  await registerByApi(ctx, SLUG, { name: 'Dawit Bekele', email: email('dawit'), mode: 'in_person' });
  assert.equal(first.status, 'confirmed');

  const page = await ctx.newPage();
  await page.goto(`/events/${SLUG}?lang=en`);
  await page.getByRole('heading', { level: 1, name: 'Hybrid Seminar & Healthcare Job Fair 2027' }).waitFor();
  assert.match(await page.locator('.facts').innerText(), /In person\s*1 seat left/);
  await fillForm(page, 'Marisol Vega', email('marisol'));
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'You are registered!' }).waitFor();

  // The pool is full now: the form offers the online seats or the waitlist.
  await eventually(async () => {
    await page.goto(`/events/${SLUG}?lang=en`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /In person\s*Full: waitlist open/);
  });
  await fillForm(page, 'Samir Haddad', email('samir'));
  await page.getByRole('button', { name: 'Register' }).click();
  const panel = page.locator('#full-panel');
  await panel.waitFor();
  assert.equal(await panel.evaluate((el) => el === document.activeElement), true, 'focus moves to the offer');
  assert.match(await panel.innerText(), /No in-person seat is left/);
  assert.equal(await page.getByRole('button', { name: 'Register online instead (100 seats left)' }).count(), 1);
  await ctx.shot(page, 'full-offer-en-desktop');
  await page.getByRole('button', { name: 'Join the in-person waitlist' }).click();
  await page.waitForURL(/\/manage\/[A-Za-z0-9_-]+/);
  await page.getByRole('heading', { name: 'You are on the waitlist.' }).waitFor();
  assert.match(await mainText(page), /You are number 1 on the in-person waitlist/);
  assert.match(await mainText(page), /On the in-person waitlist: number 1/);
  assert.equal(await page.getByRole('button', { name: 'Leave the waitlist' }).count(), 1);
  assert.equal(await page.locator('img.qr').count(), 0, 'no ticket while waiting');
  const waitingUrl = page.url();
  assert.doesNotMatch(await page.evaluate(() => location.search), /new=1/, 'the welcome is shown once');
  await ctx.shot(page, 'manage-waitlisted-en-desktop');

  // Another person takes the online seat the form offers instead.
  const other = await ctx.newPage({ phone: true });
  await other.goto(`/events/${SLUG}?lang=en`);
  await fillForm(other, 'Li Wei', email('liwei'));
  await other.getByRole('button', { name: 'Register' }).click();
  await other.locator('#full-panel').waitFor();
  await ctx.shot(other, 'full-offer-en-phone');
  await other.getByRole('button', { name: /^Register online instead/ }).click();
  await other.getByRole('heading', { name: 'You are registered!' }).waitFor();
  assert.match(await mainText(other), /Confirmed: Online/);

  // The first registrant cancels from their manage page, with a confirm step.
  const mine = await ctx.newPage();
  await mine.goto(`/manage/${first.manage_token}?lang=en`);
  await mine.getByRole('heading', { level: 1, name: 'Your registration' }).waitFor();
  await mine.getByRole('button', { name: 'Cancel my registration' }).click();
  const dialog = mine.getByRole('dialog', { name: 'Cancel your registration?' });
  await dialog.waitFor();
  await ctx.shot(mine, 'manage-cancel-confirm-en');
  await dialog.getByRole('button', { name: 'No, keep it' }).click();
  assert.match(await mainText(mine), /Confirmed: In person/, 'keeping it changes nothing');
  await mine.getByRole('button', { name: 'Cancel my registration' }).click();
  await mine.getByRole('dialog').getByRole('button', { name: 'Yes, cancel my registration' }).click();
  await mine.locator('#manage-message').waitFor();
  assert.match(await mine.locator('#manage-message').innerText(), /Your registration is cancelled/);
  assert.match(await mainText(mine), /Status Cancelled/);
  assert.equal(await mine.getByRole('button', { name: 'Cancel my registration' }).count(), 0);

  // The waitlisted person, on reload, holds the freed seat and a ticket.
  await page.goto(waitingUrl.replace('?new=1', ''));
  await page.getByRole('heading', { level: 1, name: 'Your registration' }).waitFor();
  assert.match(await mainText(page), /Confirmed: In person/);
  await page.getByRole('img', { name: 'QR code of your ticket' }).waitFor();
  await ctx.shot(page, 'manage-promoted-en-desktop');
}

export async function switchModeAndEraseData(ctx) {
  const reg = await registerByApi(ctx, 'annual-iehps-summit-2027', {
    name: 'Ngozi Okafor',
    email: email('ngozi'),
    mode: 'in_person',
    language: 'fr',
    answers: { profession: 'nurse' },
  });
  const page = await ctx.newPage({ lang: 'fr' });
  await page.goto(`/manage/${reg.manage_token}`);
  await page.getByRole('heading', { level: 1, name: 'Votre inscription' }).waitFor();
  assert.match(await mainText(page), /Confirmée : En personne/);
  await page.getByRole('button', { name: /^Participer plutôt en ligne/ }).click();
  await page.locator('#manage-message').waitFor();
  assert.match(await page.locator('#manage-message').innerText(), /vous participez maintenant en ligne/);
  assert.match(await mainText(page), /Confirmée : En ligne/);
  assert.equal(await page.locator('a.join-link').count(), 1);
  const data = await page.getByRole('link', { name: 'Télécharger mes données (JSON)' }).getAttribute('href');
  assert.equal(data, `/api/v1/registrations/${reg.manage_token}/data`);
  await ctx.shot(page, 'manage-switched-fr-desktop');

  await page.getByRole('button', { name: 'Effacer mes données' }).click();
  await page.getByRole('dialog', { name: 'Effacer vos données?' }).waitFor();
  await page.getByRole('button', { name: 'Oui, effacer mes données' }).click();
  await page.locator('#gone').waitFor();
  assert.match(await page.locator('#gone').innerText(), /Vos données ont été effacées/);
  const res = await fetch(`${ctx.base}/api/v1/registrations/${reg.manage_token}`);
  assert.equal(res.status, 404, 'the link no longer works');
  await page.reload();
  await page.locator('#gone').waitFor();
  assert.match(await page.locator('#gone').innerText(), /Inscription introuvable/);
}
