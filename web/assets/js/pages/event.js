// One event: its description, agenda, speakers, partners, venue, times, seats, and the registration form.
import { api } from '../api.js';
import { colon, lang, pick, t } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { failure, loading, setTitle, startPage } from '../layout.js';
import { formatBadge, whenBlock } from '../cards.js';
import { clockSpan, dateTime, formatName, isOver, mapLink, modeName, modesOf, seatsText, zoneName } from '../format.js';
import { drawRegistrationForm, registrationHeading } from '../registration-form.js';

const main = document.getElementById('main');
const slug = decodeURIComponent(location.pathname.replace(/^\/events\//, '').replace(/\/$/, ''));
let event = null;
let missing = false;

async function load() {
  loading(main);
  try {
    event = await api(`/api/v1/events/${encodeURIComponent(slug)}`);
    draw();
  } catch (err) {
    if (err.status === 404) {
      missing = true;
      drawMissing();
    } else {
      failure(main, t('common.error.load'), load);
    }
  }
}

function drawMissing() {
  setTitle(t('notfound.title'));
  replace(
    main,
    h('h1', {}, t('notfound.title')),
    h('p', {}, t('event.not_found')),
    h('p', {}, h('a', { href: '/' }, t('event.back'))),
  );
}

function external(href, text, srText) {
  return h(
    'a',
    { href, rel: 'noopener noreferrer', target: '_blank' },
    text,
    h('span', { class: 'visually-hidden' }, ` ${srText || t('common.new_window')}`),
  );
}

function facts() {
  const rows = [];
  rows.push([t('event.when'), whenBlock(event)]);
  const venue = event.venue;
  if (event.format !== 'online' && venue) {
    const map = mapLink(venue);
    rows.push([
      t('event.where'),
      h(
        'div',
        { class: 'venue' },
        h('p', { class: 'venue-name' }, venue.name),
        venue.address ? h('p', {}, venue.address) : null,
        h('p', {}, [venue.city, venue.province, venue.postal_code].filter(Boolean).join(', ')),
        event.format === 'hybrid' ? h('p', { class: 'muted' }, t('event.online_only')) : null,
        map
          ? h(
              'p',
              {},
              h(
                'a',
                { href: map, rel: 'noopener noreferrer', target: '_blank', class: 'map-link' },
                t('event.map'),
                h('span', { class: 'visually-hidden' }, ` ${t('common.new_window')}`),
              ),
            )
          : null,
      ),
    ]);
  } else {
    rows.push([t('event.where'), h('p', {}, t('event.online_only'))]);
  }
  rows.push([t('event.format'), h('p', {}, event.format === 'hybrid' ? t('format.hybrid.long') : formatName(event.format))]);
  if (event.status !== 'cancelled' && !isOver(event)) {
    const waitlist = event.registration && event.registration.waitlist;
    rows.push([
      t('event.seats'),
      h(
        'ul',
        { class: 'seats' },
        modesOf(event).map((m) =>
          h('li', {}, h('span', { class: 'seat-mode' }, modeName(m)), h('span', { class: 'seat-count' }, seatsText(event.seats[m], waitlist))),
        ),
      ),
    ]);
  }
  return h(
    'section',
    { class: 'card facts', 'aria-labelledby': 'facts-title' },
    h('h2', { id: 'facts-title', class: 'visually-hidden' }, t('event.facts')),
    h('dl', {}, rows.map(([term, value]) => h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value)))),
    event.registration && event.registration.open ? h('p', {}, h('a', { href: '#register', class: 'button button-block' }, t('event.register_now'))) : null,
  );
}

function about() {
  const html = event.description_html || {};
  const picked = pick(html);
  if (!picked.text) return null;
  const body = h('div', { class: 'prose' });
  body.innerHTML = picked.text; // sanitised by the server's Markdown renderer
  if (picked.lang !== lang()) body.lang = picked.lang;
  return h('section', { class: 'about', 'aria-labelledby': 'about-title' }, h('h2', { id: 'about-title' }, t('event.about')), body);
}

function speakerName(id) {
  const s = (event.speakers || []).find((x) => x.id === id);
  return s ? s.name : id;
}

function agenda() {
  const sessions = event.sessions || [];
  if (!sessions.length) return null;
  const tz = event.timezone;
  const zone = event.timezone_abbreviation || zoneName(new Date(event.starts_at), tz);
  return h(
    'section',
    { class: 'agenda', 'aria-labelledby': 'agenda-title' },
    h('h2', { id: 'agenda-title' }, t('event.agenda')),
    h('p', { class: 'hint' }, `${t('time.event_zone')}${colon()}${zone} (${tz})`),
    h(
      'ol',
      { class: 'sessions' },
      sessions.map((s) =>
        h(
          'li',
          { class: 'session' },
          h('p', { class: 'session-time' }, clockSpan(s.starts_at, s.ends_at, tz)),
          h(
            'div',
            { class: 'session-body' },
            textIn('h3', pick(s.title), { class: 'session-title' }),
            s.room ? h('p', { class: 'muted' }, t('event.room', { room: s.room })) : null,
            s.speakers && s.speakers.length ? h('p', {}, t('event.with', { names: s.speakers.map(speakerName).join(', ') })) : null,
          ),
        ),
      ),
    ),
  );
}

function speakers() {
  const list = event.speakers || [];
  if (!list.length) return null;
  return h(
    'section',
    { class: 'speakers', 'aria-labelledby': 'speakers-title' },
    h('h2', { id: 'speakers-title' }, t('event.speakers')),
    h(
      'ul',
      { class: 'people' },
      list.map((s) =>
        h(
          'li',
          { class: 'person' },
          h('h3', {}, s.name),
          s.affiliation ? h('p', { class: 'muted' }, s.affiliation) : null,
          pick(s.bio).text ? textIn('p', pick(s.bio)) : null,
        ),
      ),
    ),
  );
}

function partners() {
  const list = event.partners || [];
  if (!list.length) return null;
  const roles = ['host', 'partner', 'collaborator', 'sponsor'];
  return h(
    'section',
    { class: 'partners', 'aria-labelledby': 'partners-title' },
    h('h2', { id: 'partners-title' }, t('event.partners')),
    roles
      .map((role) => ({ role, items: list.filter((p) => p.role === role) }))
      .filter((g) => g.items.length)
      .map((g) =>
        h(
          'div',
          { class: 'partner-group' },
          h('h3', {}, t(`event.role.${g.role}`)),
          h('ul', {}, g.items.map((p) => h('li', {}, p.url ? external(p.url, p.name) : p.name))),
        ),
      ),
  );
}

function registrationState() {
  const reg = event.registration || {};
  if (event.status === 'draft') return t('event.reg.draft');
  if (event.status === 'cancelled') return t('event.cancelled');
  if (isOver(event)) return t('event.over');
  if (reg.opens_at && new Date(reg.opens_at) > new Date()) return t('event.reg.not_yet', { when: dateTime(reg.opens_at, event.timezone) });
  return t('event.reg.closed');
}

function registration() {
  const section = h('section', { class: 'card register', id: 'register', 'aria-labelledby': 'register-title', tabindex: '-1' });
  if (event.registration && event.registration.open) {
    const holder = h('div', {});
    section.append(registrationHeading());
    if (event.registration.closes_at) section.append(h('p', { class: 'hint' }, t('event.reg.closes', { when: dateTime(event.registration.closes_at, event.timezone) })));
    section.append(holder);
    drawRegistrationForm(holder, event);
    return section;
  }
  section.append(
    h('h2', { id: 'register-title' }, t('form.title')),
    h('p', { class: 'notice notice-info' }, registrationState()),
    isOver(event) && event.recording_url
      ? h('p', {}, h('a', { class: 'button', href: event.recording_url, rel: 'noopener noreferrer', target: '_blank' }, t('event.recording'),
          h('span', { class: 'visually-hidden' }, ` ${t('common.new_window')}`)))
      : null,
  );
  return section;
}

function draw() {
  const title = pick(event.title);
  setTitle(title.text);
  const summary = pick(event.summary);
  const over = isOver(event);
  replace(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: over ? '/past' : '/' }, `← ${over ? t('site.nav.past') : t('event.back')}`)),
    h(
      'header',
      { class: 'event-header' },
      h(
        'div',
        { class: 'card-tags' },
        formatBadge(event.format),
        event.status !== 'published' ? h('span', { class: `badge badge-${event.status}` }, t(`status.${event.status}`)) : null,
      ),
      textIn('h1', title),
      summary.text ? textIn('p', summary, { class: 'lead' }) : null,
    ),
    h(
      'div',
      { class: 'event-layout' },
      facts(),
      h('div', { class: 'event-main' }, about(), agenda(), speakers(), partners()),
      registration(),
    ),
  );
  if (location.hash === '#register') document.getElementById('register')?.scrollIntoView();
}

startPage(
  {
    nav: [
      { href: '/', key: 'site.nav.upcoming' },
      { href: '/past', key: 'site.nav.past' },
    ],
  },
  () => {
    if (missing) drawMissing();
    else if (event) draw();
    else load();
  },
);
