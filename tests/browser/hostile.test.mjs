// Script payloads in every text field of an event and its registrations are shown as text, never run, on the
// public, past, manage, organizer and door pages; Unicode names show whole on the same pages.
import { adminToken, apiCall, assert, checkinLink, createEvent, email, mainText, registerByApi, signIn } from './helpers.mjs';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const SVG = '"><svg onload=window.__xss=1>';
const EVIL = `Zoë ${IMG} ${SCRIPT} ${SVG}`;
const UNICODE = ['Zoë Éloïse Côté', 'محمد الأحمد', '王小明 🎉'];

function evilFields(label) {
  const text = (what) => `${what} ${EVIL}`;
  return {
    title: { en: text(`${label} title`), fr: text(`${label} titre`) },
    summary: { en: text('Summary'), fr: text('Résumé') },
    description: { en: `${text('Description')}\n\n[click me](javascript:window.__xss=1) <a href="javascript:window.__xss=1">raw</a>` },
    venue: { name: text('Venue'), address: text('Address'), city: text('City'), province: 'ON', postal_code: 'M4W 2G8' },
    questions: [
      { id: 'note', label: { en: text('Question') }, type: 'text' },
      { id: 'pick', label: { en: text('Choice') }, type: 'choice', options: [{ id: 'o1', label: { en: text('Option') } }] },
    ],
    speakers: [{ id: 'sp1', name: text('Speaker'), bio: { en: text('Bio') }, affiliation: text('Affiliation') }],
    partners: [{ name: text('Partner'), role: 'host', url: 'https://example.org/' }],
  };
}

// Nothing ran, no dialog opened, no element came from the payloads, and the payload is on the page as text.
async function assertInert(page, dialogs, where, { visible = [IMG, SCRIPT] } = {}) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: a payload ran`);
  assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
  assert.equal(await page.locator('img[src="x"], svg[onload], [onerror], [onload]').count(), 0, `${where}: a payload became an element`);
  assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0, `${where}: a javascript: link`);
  const scripts = await page.evaluate(() => [...document.scripts].filter((s) => s.textContent.includes('__xss')).length);
  assert.equal(scripts, 0, `${where}: a payload became a script`);
  const text = await page.locator('body').innerText();
  for (const piece of visible) assert.ok(text.includes(piece), `${where}: ${piece} is shown as text`);
}

async function watchedPage(ctx, options) {
  const page = await ctx.newPage(options);
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return { page, dialogs };
}

export async function scriptPayloadsAreShownAsTextEverywhere(ctx) {
  const token = await adminToken(ctx);
  const fields = evilFields('Hostile');
  const start = new Date(Date.now() + 30 * 86400_000);
  fields.sessions = [
    {
      title: { en: `Session ${EVIL}` },
      starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
      ends_at: new Date(start.getTime() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      room: `Room ${EVIL}`,
      speakers: ['sp1'],
    },
  ];
  const event = await createEvent(ctx, token, { starts: 30 * 24 * 60, ...fields });
  const evil = await registerByApi(ctx, event.slug, { name: `Name ${EVIL}`, email: email('evil'), mode: 'in_person', answers: { note: `Answer ${EVIL}`, pick: 'o1' } });
  const people = [];
  for (const name of UNICODE) people.push(await registerByApi(ctx, event.slug, { name, email: email('unicode'), mode: 'in_person', answers: {} }));

  // The public event page and its registration form.
  {
    const { page, dialogs } = await watchedPage(ctx, { lang: 'en' });
    await page.goto(`/events/${event.slug}?lang=en`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('form.registration-form').waitFor();
    assert.ok((await page.getByRole('heading', { level: 1 }).innerText()).includes(`Hostile title ${EVIL}`));
    const text = await mainText(page);
    for (const piece of ['Summary', 'Venue', 'Speaker', 'Session', 'Room', 'Partner', 'Question', 'Option']) {
      assert.ok(text.includes(`${piece} ${EVIL}`.replace(/\s+/g, ' ')), `the event page shows ${piece} with its payload as text`);
    }
    assert.ok(text.includes('click me'), 'the Markdown link text stays');
    await assertInert(page, dialogs, 'event page');
  }

  // The past events page, with an event that ended yesterday.
  {
    const past = await createEvent(ctx, token, { starts: -2 * 24 * 60, hours: 3, ...evilFields('Past') });
    const { page, dialogs } = await watchedPage(ctx, { lang: 'en' });
    await page.goto('/past?lang=en');
    await page.locator('.event-card', { hasText: 'Past title' }).first().waitFor();
    await assertInert(page, dialogs, 'past page');
    await page.goto(`/events/${past.slug}?lang=en`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await assertInert(page, dialogs, 'past event page');
  }

  // The attendee's manage page.
  {
    const { page, dialogs } = await watchedPage(ctx, { lang: 'en' });
    await page.goto(`/manage/${evil.manage_token}?lang=en`);
    await page.locator('main', { hasText: 'Name Zoë' }).waitFor();
    assert.ok((await mainText(page)).includes(`Name ${EVIL}`.replace(/\s+/g, ' ')));
    await assertInert(page, dialogs, 'manage page');
    for (const [i, person] of people.entries()) {
      await page.goto(`/manage/${person.manage_token}?lang=en`);
      await page.locator('main', { hasText: UNICODE[i] }).waitFor();
      await assertInert(page, dialogs, `manage page of ${UNICODE[i]}`);
    }
  }

  // The organizer's pages: overview, registrations, report, door check-in.
  {
    const { page, dialogs } = await watchedPage(ctx, { lang: 'en' });
    await signIn(ctx, page);
    await page.goto(`/admin/events/${event.id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.ok((await page.getByRole('heading', { level: 1 }).innerText()).includes(`Hostile title ${EVIL}`));
    await assertInert(page, dialogs, 'admin overview');
    await page.goto(`/admin/events/${event.id}/registrations`);
    await page.locator('main', { hasText: 'Name Zoë' }).waitFor();
    for (const name of UNICODE) await page.locator('main', { hasText: name }).waitFor();
    await assertInert(page, dialogs, 'admin registrations');
    await page.goto(`/admin/events/${event.id}/report`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await assertInert(page, dialogs, 'admin report', { visible: [IMG] });
    await page.goto(`/admin/events/${event.id}/checkin`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await assertInert(page, dialogs, 'admin check-in', { visible: [] });
    const edit = await apiCall(ctx, `/api/v1/events/${event.id}`, { token });
    assert.equal(edit.body.title.en, `Hostile title ${EVIL}`, 'stored verbatim');
  }

  // The volunteer's door page: search by a payload name and by a Unicode name.
  {
    const link = await checkinLink(ctx, token, event.id, `Door ${IMG}`);
    const { page, dialogs } = await watchedPage(ctx, { lang: 'en', phone: true });
    await page.goto(`/checkin#${link.token}`);
    await page.locator('#door-count-in-person').waitFor();
    await page.locator('#door-tab-search').click();
    await page.locator('#door-search-input').fill('Name');
    await page.locator('.door-match', { hasText: 'Name Zoë' }).first().waitFor();
    await assertInert(page, dialogs, 'door page', { visible: [IMG, SCRIPT] });
    for (const name of UNICODE) {
      await page.locator('#door-search-input').fill(name.split(' ')[0]);
      await page.locator('.door-match', { hasText: name }).first().waitFor();
    }
    await assertInert(page, dialogs, 'door page (Unicode search)', { visible: [] });
  }
}
