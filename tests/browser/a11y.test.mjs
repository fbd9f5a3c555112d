// axe-core on every page, in English and French: no violation of serious or critical impact.
import { assert, checkA11y, registerByApi, email, signIn } from './helpers.mjs';

async function visit(ctx, page, path, ready) {
  await page.goto(path);
  await ready(page);
}

const h1 = (page) => page.getByRole('heading', { level: 1 }).first().waitFor();
const cards = (page) => page.locator('.event-card').first().waitFor();

export async function publicPagesHaveNoSeriousViolations(ctx) {
  const confirmed = await registerByApi(ctx, 'annual-iehps-summit-2027', { name: 'Axe Tester', email: email('axe'), mode: 'in_person', answers: { profession: 'other' } });
  const online = await registerByApi(ctx, 'residency-match-pathways-2027', { name: 'Axe Online', email: email('axe-online'), mode: 'online' });
  const pages = [
    ['/', cards],
    ['/past', cards],
    ['/events/annual-iehps-summit-2027', h1],
    ['/events/hybrid-seminar-healthcare-job-fair-2027', h1],
    ['/events/iehp-pre-conference-irmhc-2025', h1],
    [`/manage/${confirmed.manage_token}?new=1`, h1],
    [`/manage/${online.manage_token}`, h1],
    ['/no-such-page', h1],
  ];
  for (const lang of ['en', 'fr']) {
    const page = await ctx.newPage({ lang });
    for (const [path, ready] of pages) {
      await visit(ctx, page, path, ready);
      await checkA11y(ctx, page, `${path} (${lang})`);
    }
  }
}

export async function formStatesHaveNoSeriousViolations(ctx) {
  for (const lang of ['en', 'fr']) {
    const page = await ctx.newPage({ lang });
    await page.goto('/events/annual-iehps-summit-2027');
    await page.locator('form.registration-form').waitFor();
    await page.locator('#reg-submit').click();
    await page.locator('#error-summary').waitFor();
    await checkA11y(ctx, page, `registration errors (${lang})`);
  }
  const page = await ctx.newPage({ phone: true });
  const reg = await registerByApi(ctx, 'annual-iehps-summit-2027', { name: 'Dialog Tester', email: email('dialog'), mode: 'online', answers: { profession: 'nurse' } });
  await page.goto(`/manage/${reg.manage_token}?lang=en`);
  await page.getByRole('button', { name: 'Erase my data' }).click();
  await page.getByRole('dialog').waitFor();
  await checkA11y(ctx, page, 'erase dialog');
  await ctx.shot(page, 'manage-erase-dialog-en-phone');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('dialog').count(), 0, 'Escape closes the dialog');
  assert.equal(await page.getByRole('button', { name: 'Erase my data' }).evaluate((el) => el === document.activeElement), true, 'focus returns to the button');
}

export async function organizerPagesHaveNoSeriousViolations(ctx) {
  for (const lang of ['en', 'fr']) {
    const page = await ctx.newPage({ lang });
    await page.goto('/admin/login');
    await h1(page);
    await checkA11y(ctx, page, `login (${lang})`);
    await signIn(ctx, page);
    await checkA11y(ctx, page, `events (${lang})`);
    await page.getByRole('link', { name: lang === 'fr' ? 'Sommet annuel des PSFE 2027' : 'The Annual IEHPs Summit 2027', exact: true }).click();
    await page.locator('#edit-event').waitFor();
    await checkA11y(ctx, page, `overview (${lang})`);
    const overview = page.url();
    await ctx.shot(page, `admin-overview-${lang}-desktop`);
    await page.locator('#event-registrations').click();
    await page.locator('#regs-count').filter({ hasText: /\d|No|Aucune/ }).waitFor();
    await checkA11y(ctx, page, `registrations (${lang})`);
    await page.goto(`${overview}/edit`);
    await page.locator('#event-editor').waitFor();
    await checkA11y(ctx, page, `editor (${lang})`);
    await page.locator('#save-event').waitFor();
    await page.goto('/admin/events/new');
    await page.locator('#event-editor').waitFor();
    await page.locator('#save-event').click();
    await page.locator('#editor-errors:not([hidden])').waitFor();
    await checkA11y(ctx, page, `editor errors (${lang})`);
  }
  const phone = await ctx.newPage({ phone: true });
  await signIn(ctx, phone);
  await phone.getByRole('link', { name: 'The Annual IEHPs Summit 2027', exact: true }).click();
  await phone.locator('#edit-event').waitFor();
  await ctx.shot(phone, 'admin-overview-en-phone');
  await phone.locator('#event-registrations').click();
  await phone.locator('#regs-count').waitFor();
  await ctx.shot(phone, 'admin-registrations-en-phone');
}
