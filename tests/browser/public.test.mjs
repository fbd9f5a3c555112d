// The public pages: upcoming list, event page, past events, language switch, 404 — in English and French.
import { assert, mainText } from './helpers.mjs';

const RESIDENCY_2027 = 'Residency Match Pathways 2027: Insights from IMGs Who Matched';

export async function upcomingListInEnglish(ctx) {
  const page = await ctx.newPage({ timezoneId: 'Europe/Paris' });
  await page.goto('/?lang=en');
  await page.getByRole('heading', { level: 1, name: 'Upcoming events' }).waitFor();
  const cards = page.locator('.event-card');
  await cards.first().waitFor();
  const titles = await page.locator('.event-card h2').allInnerTexts();
  const demo = ['Hybrid Seminar & Healthcare Job Fair 2027', RESIDENCY_2027, 'The Annual IEHPs Summit 2027'];
  assert.deepEqual(titles.filter((t) => demo.includes(t)), demo, `soonest first: ${titles.join(' | ')}`);
  const summit = page.locator('.event-card', { hasText: 'The Annual IEHPs Summit 2027' });
  const text = (await summit.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /Hybrid/);
  assert.match(text, /Saturday, November 20, 2027/);
  assert.match(text, /9:30–13:00 EST/);
  assert.match(text, /Your time: Saturday, November 20, 2027, 15:30–19:00 GMT\+1/);
  assert.match(text, /Toronto, ON/);
  assert.match(text, /In person\s*\d+ seats left/);
  assert.match(text, /Online\s*\d+ seats left/);
  assert.equal(await page.locator('a[aria-current="page"]').innerText(), 'Upcoming events');
  await ctx.shot(page, 'list-en-desktop');
  const phone = await ctx.newPage({ phone: true });
  await phone.goto('/?lang=en');
  await phone.locator('.event-card').first().waitFor();
  await ctx.shot(phone, 'list-en-phone');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the list fits a 360 px phone (scroll width ${width})`);
}

export async function upcomingListInFrench(ctx) {
  const page = await ctx.newPage();
  await page.goto('/?lang=fr');
  await page.getByRole('heading', { level: 1, name: 'Événements à venir' }).waitFor();
  await page.locator('.event-card').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  const text = await mainText(page);
  assert.match(text, /Sommet annuel des PSFE 2027/);
  assert.match(text, /Séminaire hybride et salon de l’emploi en santé 2027|Séminaire hybride et salon de l'emploi en santé 2027/);
  assert.match(text, /samedi 20 novembre 2027/);
  assert.match(text, /9 h 30–13 h 00 EST/);
  assert.match(text, /places restantes/);
  assert.match(text, /Hybride/);
  // An event written only in English keeps its English title, marked as English for screen readers.
  const english = page.locator('.event-card h2 a[lang="en"]');
  assert.ok((await english.count()) >= 1, 'English-only titles carry lang="en"');
  await ctx.shot(page, 'list-fr-desktop');
  const phone = await ctx.newPage({ phone: true, lang: 'fr' });
  await phone.goto('/');
  await phone.locator('.event-card').first().waitFor();
  await ctx.shot(phone, 'list-fr-phone');
}

export async function languageChoiceIsRemembered(ctx) {
  const page = await ctx.newPage();
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Upcoming events' }).waitFor();
  await page.getByRole('button', { name: 'Afficher cette page en français' }).click();
  await page.getByRole('heading', { level: 1, name: 'Événements à venir' }).waitFor();
  assert.equal(await page.locator('#lang-switch').evaluate((el) => el === document.activeElement), true, 'focus stays on the switch');
  await page.goto('/past');
  await page.getByRole('heading', { level: 1, name: 'Événements passés et enregistrements' }).waitFor();
  await page.getByRole('button', { name: 'Show this page in English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Past events and recordings' }).waitFor();
}

export async function eventPageInEnglish(ctx) {
  const page = await ctx.newPage({ timezoneId: 'Europe/Paris' });
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await page.getByRole('heading', { level: 1, name: 'The Annual IEHPs Summit 2027' }).waitFor();
  const text = await mainText(page);
  assert.match(text, /Join us in Toronto or online/);
  assert.equal(await page.locator('.prose strong').first().innerText(), 'in person in Toronto and online', 'description HTML is rendered');
  assert.match(text, /9:30–13:00 EST/);
  assert.match(text, /15:30–19:00 GMT\+1/);
  // Agenda, speakers, partners by role.
  const sessions = await page.locator('.session-title').allInnerTexts();
  assert.deepEqual(sessions, ['Welcome and opening remarks', 'Licensure pathways: physicians and nurses', 'Panel: residents who matched', 'Mentorship and networking']);
  assert.match(await page.locator('.session').nth(2).innerText(), /11:15–12:15[\s\S]*Main hall[\s\S]*With Residents who matched/);
  assert.match(text, /Speakers Residents who matched IMGs who matched through CaRMS and ERAS/);
  assert.match(await page.locator('.partners').innerText(), /Hosted by\s+PEGASUS Institute\s+In partnership with\s+Canadian Medical Foundation \(CMF\)/);
  // Seats and the form with the event's questions.
  assert.match(await page.locator('.facts').innerText(), /In person\s*\d+ seats left\s*Online\s*\d+ seats left/);
  await page.getByRole('radiogroup', { name: /Your profession/ }).or(page.getByRole('group', { name: /Your profession/ })).first().waitFor();
  assert.equal(await page.getByRole('radio', { name: 'Pharmacist' }).count(), 1);
  assert.equal(await page.getByRole('checkbox', { name: 'Mentee' }).count(), 1);
  assert.equal(await page.getByLabel('Accessibility needs').count(), 1);
  assert.match(await page.getByRole('radio', { name: /^In person/ }).locator('xpath=..').innerText(), /In person \(\d+ seats left\)/);
  const map = await page.locator('.facts a.map-link').getAttribute('href');
  assert.match(map, /^https:\/\/www\.openstreetmap\.org\/search\?query=/);
  await ctx.shot(page, 'event-en-desktop');
  const phone = await ctx.newPage({ phone: true });
  await phone.goto('/events/annual-iehps-summit-2027?lang=en');
  await phone.getByRole('heading', { level: 1 }).waitFor();
  await ctx.shot(phone, 'event-en-phone');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the event page fits a 360 px phone (scroll width ${width})`);
}

export async function eventPageInFrench(ctx) {
  const page = await ctx.newPage({ lang: 'fr' });
  await page.goto('/events/annual-iehps-summit-2027');
  await page.getByRole('heading', { level: 1, name: 'Sommet annuel des PSFE 2027' }).waitFor();
  const text = await mainText(page);
  assert.match(text, /Programme/);
  assert.match(text, /Accueil et mot d.ouverture/);
  assert.match(text, /Organisé par PEGASUS Institute/);
  assert.match(text, /9 h 30–13 h 00 EST/);
  assert.match(text, /Votre profession/);
  assert.equal(await page.getByRole('radio', { name: 'Infirmier·ère' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'M’inscrire' }).count(), 1);
  await ctx.shot(page, 'event-fr-desktop');
  const phone = await ctx.newPage({ phone: true, lang: 'fr' });
  await phone.goto('/events/annual-iehps-summit-2027');
  await phone.getByRole('heading', { level: 1 }).waitFor();
  await ctx.shot(phone, 'event-fr-phone');
}

// The programme's Halifax pre-conference: 9:00 ADT there is 8:00 EDT for a Toronto viewer.
export async function eventTimesInBothZones(ctx) {
  const page = await ctx.newPage({ timezoneId: 'America/Toronto' });
  await page.goto('/events/iehp-pre-conference-irmhc-2025?lang=en');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const when = (await page.locator('.facts .when').innerText()).replace(/\s+/g, ' ');
  assert.match(when, /Thursday, June 26, 2025 9:00–12:00 ADT/);
  assert.match(when, /Your time: Thursday, June 26, 2025, 8:00–11:00 EDT/);
  const text = await mainText(page);
  assert.match(text, /This event is over\./);
  assert.match(text, /6960 Mumford Rd Suite 2120/);
  assert.equal(await page.locator('form.registration-form').count(), 0, 'no form for a past event');
  const map = await page.locator('.facts a.map-link').getAttribute('href');
  assert.equal(map, 'https://www.openstreetmap.org/search?query=6960%20Mumford%20Rd%20Suite%202120%2C%20Halifax%2C%20NS%2C%20B3L%204P1');
  const halifax = await ctx.newPage({ timezoneId: 'America/Halifax' });
  await halifax.goto('/events/iehp-pre-conference-irmhc-2025?lang=en');
  await halifax.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await halifax.locator('.when-viewer').count(), 0, 'no second time for a viewer in the event zone');
}

export async function pastEventsInBothLanguages(ctx) {
  const page = await ctx.newPage();
  await page.goto('/past?lang=en');
  await page.getByRole('heading', { level: 1, name: 'Past events and recordings' }).waitFor();
  await page.locator('.event-card').first().waitFor();
  const titles = await page.locator('.event-card h2').allInnerTexts();
  assert.ok(titles.includes('IEHP Pre-Conference Event: Bridging Careers, Embracing Diversity'), titles.join(' | '));
  assert.ok(titles.includes('For IMGs: Residency Match Pathways: Insights from IMGs Who Matched in Canada and the U.S.'));
  assert.ok(!titles.includes('The Annual IEHPs Summit 2027'), 'upcoming events are not in the past list');
  await ctx.shot(page, 'past-en-desktop');
  const fr = await ctx.newPage({ phone: true, lang: 'fr' });
  await fr.goto('/past');
  await fr.getByRole('heading', { level: 1, name: 'Événements passés et enregistrements' }).waitFor();
  await fr.locator('.event-card').first().waitFor();
  await ctx.shot(fr, 'past-fr-phone');
}

export async function unknownPagesSayNotFound(ctx) {
  const page = await ctx.newPage();
  const res = await page.goto('/no-such-page');
  assert.equal(res.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await page.goto('/events/no-such-event?lang=fr');
  await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
  await ctx.shot(page, 'event-missing-fr');
}

// Keyboard: the first Tab shows the skip link, which moves focus to the page's main content.
export async function skipLinkReachesMainContent(ctx) {
  const page = await ctx.newPage({ phone: true });
  await page.goto('/events/annual-iehps-summit-2027?lang=en');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'the skip link comes first');
  const box = await skip.boundingBox();
  assert.ok(box && box.y >= 0 && box.height > 20, 'the focused skip link is visible');
  await ctx.shot(page, 'skip-link-en-phone');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '← All upcoming events');
}

// French pages write the zones as the server and the emails do (EST, ADT), with the French clock.
export async function frenchTimesInBothZones(ctx) {
  const page = await ctx.newPage({ timezoneId: 'America/Toronto', lang: 'fr' });
  await page.goto('/events/iehp-pre-conference-irmhc-2025');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const when = (await page.locator('.facts .when').innerText()).replace(/\s+/g, ' ');
  assert.match(when, /jeudi 26 juin 2025 9 h 00–12 h 00 ADT/);
  assert.match(when, /Votre heure : jeudi 26 juin 2025, 8 h 00–11 h 00 EDT/);
  assert.match(await mainText(page), /Cet événement est terminé\./);
}
