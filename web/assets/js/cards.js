// The event card of the public lists: title, times in both zones, format, place, seats or recording.
import { colon, pick, t } from './i18n.js';
import { h, textIn } from './dom.js';
import { eventTimes, formatName, modeName, modesOf, seatsText } from './format.js';

export function formatBadge(format) {
  return h('span', { class: `badge badge-${format.replace('_', '-')}` }, formatName(format));
}

export function whenBlock(event) {
  const times = eventTimes(event);
  return h(
    'div',
    { class: 'when' },
    h('p', { class: 'when-date' }, times.event.date),
    h('p', { class: 'when-time' }, times.event.time),
    times.viewer
      ? h('p', { class: 'when-viewer' }, h('span', { class: 'label' }, t('time.your_zone') + colon()), times.viewer.text)
      : null,
  );
}

function placeText(event) {
  const place = event.venue ? [event.venue.city, event.venue.province].filter(Boolean).join(', ') : '';
  if (event.format === 'online') return t('format.online');
  return place;
}

export function eventCard(event, { past = false } = {}) {
  const title = pick(event.title);
  const summary = pick(event.summary);
  const href = `/events/${encodeURIComponent(event.slug)}`;
  const seats = modesOf(event).map((mode) =>
    h(
      'li',
      {},
      h('span', { class: 'seat-mode' }, `${modeName(mode)}`),
      h('span', { class: 'seat-count' }, seatsText(event.seats[mode], event.registration && event.registration.waitlist)),
    ),
  );
  const place = placeText(event);
  return h(
    'article',
    { class: ['card', 'event-card', event.status === 'cancelled' ? 'is-cancelled' : ''] },
    h(
      'div',
      { class: 'card-tags' },
      formatBadge(event.format),
      event.status === 'cancelled' ? h('span', { class: 'badge badge-cancelled' }, t('status.cancelled')) : null,
    ),
    h('h2', { class: 'card-title' }, h('a', { href, lang: title.lang !== document.documentElement.lang ? title.lang : null }, title.text)),
    whenBlock(event),
    place ? h('p', { class: 'place' }, place) : null,
    summary.text ? textIn('p', summary, { class: 'summary' }) : null,
    past
      ? event.recording_url
        ? h(
            'p',
            { class: 'card-actions' },
            h(
              'a',
              { class: 'button', href: event.recording_url, rel: 'noopener noreferrer', target: '_blank' },
              t('past.recording'),
              h('span', { class: 'visually-hidden' }, `${colon()}${title.text} ${t('common.new_window')}`),
            ),
          )
        : h('p', { class: 'muted' }, t('past.no_recording'))
      : event.status === 'cancelled'
        ? h('p', { class: 'muted' }, t('list.cancelled'))
        : h('ul', { class: 'seats', 'aria-label': t('event.seats') }, seats),
  );
}
