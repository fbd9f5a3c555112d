// Every event the organizer manages, upcoming and drafts first, with seats per mode.
import { api } from '../api.js';
import { pick, t } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { formatName, modesOf, shortDate } from '../format.js';
import { statusBadge } from './ui.js';

function seatsCell(event, mode) {
  if (!modesOf(event).includes(mode)) return h('td', { class: 'muted' }, t('events.not_offered'));
  const s = event.seats[mode];
  return h(
    'td',
    { class: 'num' },
    t('events.seats', { taken: s.taken, capacity: s.capacity }),
    s.waitlisted ? [h('br'), h('span', { class: 'muted' }, t('events.waitlisted', { n: s.waitlisted }))] : null,
  );
}

function table(events, captionKey, id) {
  if (!events.length) return [h('h2', { id }, t(captionKey)), h('p', { class: 'muted' }, t('events.none.section'))];
  return [
    h('h2', { id }, t(captionKey)),
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-labelledby': id, tabindex: '0' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['events.col.title', 'events.col.status', 'events.col.date', 'events.col.format', 'events.col.in_person', 'events.col.online', 'events.col.registrations'].map(
              (k) => h('th', { scope: 'col' }, t(k)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          events.map((e) => {
            const title = pick(e.title);
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, h('a', { href: `/admin/events/${e.id}` }, textIn('span', title))),
              h('td', {}, statusBadge(e.status)),
              h('td', { class: 'num' }, shortDate(new Date(e.starts_at), e.timezone)),
              h('td', {}, formatName(e.format)),
              seatsCell(e, 'in_person'),
              seatsCell(e, 'online'),
              h(
                'td',
                {},
                h(
                  'a',
                  { href: `/admin/events/${e.id}/registrations`, 'aria-label': t('events.view_registrations.for', { title: title.text }) },
                  t('events.view_registrations'),
                ),
              ),
            );
          }),
        ),
      ),
    ),
  ];
}

export default {
  id: 'events',
  routes: ['/admin', '/admin/events'],
  nav: { key: 'admin.nav.events', href: '/admin/events', covers: ['event-editor', 'event-overview', 'registrations', 'checkin-links', 'report', 'team'] },
  title: () => t('events.title'),
  async render(main, params, ctx) {
    let events;
    try {
      events = (await api('/api/v1/events?scope=managed')).events || [];
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const now = Date.now();
    const upcoming = events
      .filter((e) => new Date(e.ends_at).getTime() > now || e.status === 'draft')
      .sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
    const past = events
      .filter((e) => !upcoming.includes(e))
      .sort((a, b) => new Date(b.starts_at) - new Date(a.starts_at));
    replace(
      main,
      h(
        'div',
        { class: 'admin-bar' },
        h('h1', { id: 'page-title', tabindex: '-1' }, t('events.title')),
        h('a', { href: '/admin/events/new', class: 'button', id: 'new-event' }, t('events.new')),
      ),
      events.length === 0 ? h('p', {}, t('events.none')) : null,
      events.length ? table(upcoming, 'events.upcoming', 'events-upcoming') : null,
      events.length ? table(past, 'events.past', 'events-past') : null,
    );
  },
};
