// One event for its organizers: details, seats, and the actions publish, cancel, duplicate and recording link.
import { api } from '../api.js';
import { colon, pick, t } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { confirmDialog } from '../layout.js';
import { eventTimes, formatName, modeName, modesOf, venueLine } from '../format.js';
import { field, notice, showErrors, statusBadge } from './ui.js';

function seatsTable(event) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': 'seats-title', tabindex: '0' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['overview.col.mode', 'overview.col.capacity', 'overview.col.taken', 'overview.col.remaining', 'overview.col.waitlisted'].map((k) =>
            h('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        modesOf(event).map((m) => {
          const s = event.seats[m];
          return h(
            'tr',
            {},
            h('th', { scope: 'row' }, modeName(m)),
            h('td', { class: 'num' }, String(s.capacity)),
            h('td', { class: 'num' }, String(s.taken)),
            h('td', { class: 'num' }, String(s.remaining)),
            h('td', { class: 'num' }, String(s.waitlisted)),
          );
        }),
      ),
    ),
  );
}

function onlineText(event) {
  const o = event.online || {};
  if (event.format === 'in_person') return null;
  const parts = [];
  if (o.provider === 'zoom') parts.push(t('overview.online.zoom', { type: t(`editor.zoom_type.${o.zoom_type || 'meeting'}`).toLowerCase() }));
  else if (o.provider === 'manual') parts.push(t('overview.online.manual'));
  else parts.push(t('overview.online.none'));
  if (o.provider !== 'none') parts.push(o.has_join_url ? t('overview.online.link_set') : t('overview.online.link_missing'));
  return parts.join(' ');
}

function details(event) {
  const times = eventTimes(event);
  const reg = event.registration || {};
  const rows = [
    [t('overview.status'), statusBadge(event.status)],
    [t('overview.when'), [h('span', {}, times.event.text), times.viewer ? [h('br'), h('span', { class: 'muted' }, `${t('time.your_zone')}${colon()}${times.viewer.text}`)] : null]],
    [t('overview.format'), formatName(event.format)],
    event.format !== 'online' ? [t('overview.where'), venueLine(event.venue)] : null,
    [
      t('overview.registration'),
      `${reg.open ? t('overview.reg.open') : t('overview.reg.closed')} · ${reg.waitlist ? t('overview.reg.waitlist') : t('overview.reg.no_waitlist')}`,
    ],
    onlineText(event) ? [t('overview.online'), onlineText(event)] : null,
    [t('overview.slug'), h('code', {}, `/events/${event.slug}`)],
  ].filter(Boolean);
  return h('dl', { class: 'pairs' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

export default {
  id: 'event-overview',
  routes: ['/admin/events/:id'],
  title: () => t('events.title'),
  async render(main, params, ctx) {
    let event;
    try {
      event = await api(`/api/v1/events/${encodeURIComponent(params.id)}`);
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const title = pick(event.title);
    ctx.setTitle(title.text);
    const messages = h('div', { id: 'overview-messages' });
    const say = (kind, text) => {
      replace(messages, notice(kind, text, 'overview-message'));
      document.getElementById('overview-message').focus();
    };
    const problem = (err) => {
      if (err.status === 401 || err.status === 404) {
        ctx.fail(err, main);
        return;
      }
      if (err.code === 'validation') {
        const list = Object.entries(err.fields || {}).map(([k, v]) => `${k}${colon()}${v}`);
        say('error', `${err.message} ${list.join('; ')}`);
      } else if (err.code === 'conflict') say('error', t('admin.conflict', { message: err.message }));
      else if (err.status === 0) say('error', t('common.error.network'));
      else say('error', err.message || t('common.error.server'));
    };

    const actions = [];
    if (event.status !== 'cancelled') actions.push(h('a', { href: `/admin/events/${event.id}/edit`, class: 'button', id: 'edit-event' }, t('overview.edit')));
    actions.push(h('a', { href: `/admin/events/${event.id}/registrations`, class: 'button button-secondary', id: 'event-registrations' }, t('overview.registrations')));
    actions.push(h('a', { href: `/admin/events/${event.id}/report`, class: 'button button-secondary', id: 'event-report' }, t('overview.report')));
    if (event.status !== 'cancelled' && event.format !== 'online')
      actions.push(h('a', { href: `/admin/events/${event.id}/checkin`, class: 'button button-secondary', id: 'event-checkin' }, t('overview.checkin')));
    actions.push(h('a', { href: `/admin/events/${event.id}/deliveries`, class: 'button button-secondary', id: 'event-deliveries' }, t('overview.deliveries')));
    actions.push(h('a', { href: `/admin/events/${event.id}/team`, class: 'button button-secondary', id: 'event-team' }, t('overview.team')));
    actions.push(
      h(
        'a',
        { href: `/events/${encodeURIComponent(event.slug)}`, class: 'button button-secondary', id: 'public-page' },
        event.status === 'draft' ? t('overview.preview') : t('overview.public'),
      ),
    );
    if (event.status === 'draft') {
      actions.unshift(
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            id: 'publish-event',
            on: {
              click: async () => {
                const yes = await confirmDialog({
                  title: t('overview.publish.confirm.title'),
                  text: t('overview.publish.confirm.text'),
                  yes: t('overview.publish.confirm.yes'),
                  no: t('common.cancel'),
                });
                if (!yes) return;
                try {
                  await api(`/api/v1/events/${event.id}/publish`, { method: 'POST' });
                  ctx.navigate(`/admin/events/${event.id}`, { message: t('overview.publish.done'), replace: true });
                } catch (err) {
                  problem(err);
                }
              },
            },
          },
          t('overview.publish'),
        ),
      );
    }

    const more = [];
    more.push(
      h(
        'div',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            id: 'duplicate-event',
            'aria-describedby': 'duplicate-hint',
            on: {
              click: async () => {
                try {
                  const copy = await api(`/api/v1/events/${event.id}/duplicate`, { method: 'POST', body: { shift_days: 364 } });
                  ctx.navigate(`/admin/events/${copy.id}/edit`, { message: t('overview.duplicate.done') });
                } catch (err) {
                  problem(err);
                }
              },
            },
          },
          t('overview.duplicate'),
        ),
        h('p', { class: 'hint', id: 'duplicate-hint' }, t('overview.duplicate.hint')),
      ),
    );
    if (event.status !== 'cancelled') {
      more.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button button-danger-quiet',
            id: 'cancel-event',
            on: {
              click: async () => {
                const yes = await confirmDialog({
                  title: t('overview.cancel.confirm.title'),
                  text: t('overview.cancel.confirm.text'),
                  yes: t('overview.cancel.confirm.yes'),
                  no: t('overview.cancel.confirm.no'),
                  danger: true,
                });
                if (!yes) return;
                try {
                  await api(`/api/v1/events/${event.id}/cancel`, { method: 'POST' });
                  ctx.navigate(`/admin/events/${event.id}`, { message: t('overview.cancel.done'), replace: true });
                } catch (err) {
                  problem(err);
                }
              },
            },
          },
          t('overview.cancel'),
        ),
      );
    }

    const recordingForm = h(
      'form',
      { novalidate: true, id: 'recording-form' },
      field({ label: t('overview.recording.label'), path: 'recording_url', type: 'url', value: event.recording_url || '', hint: t('overview.recording.hint') }),
      h('button', { type: 'submit', class: 'button button-secondary' }, t('overview.recording.save')),
    );
    recordingForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = recordingForm.querySelector('[data-path="recording_url"]').value.trim();
      try {
        const saved = await api(`/api/v1/events/${event.id}`, { method: 'PATCH', body: { recording_url: value || null } });
        showErrors(recordingForm, {});
        say('success', saved.recording_notices > 0 ? t('overview.recording.sent', { n: saved.recording_notices }) : t('overview.recording.done'));
      } catch (err) {
        if (err.code === 'validation') {
          showErrors(recordingForm, err.fields);
          recordingForm.querySelector('[aria-invalid="true"]')?.focus();
        } else problem(err);
      }
    });

    replace(
      main,
      h('p', { class: 'breadcrumb' }, h('a', { href: '/admin/events' }, `← ${t('overview.back')}`)),
      h('div', { class: 'card-tags' }, statusBadge(event.status)),
      textIn('h1', title, { id: 'page-title', tabindex: '-1' }),
      messages,
      h('div', { class: 'actions page-actions' }, actions),
      h(
        'div',
        { class: 'overview-grid' },
        h(
          'div',
          {},
          h('section', { class: 'card', 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title' }, t('overview.details')), details(event)),
          h('section', { class: 'card', 'aria-labelledby': 'seats-title' }, h('h2', { id: 'seats-title' }, t('overview.seats')), seatsTable(event)),
        ),
        h(
          'div',
          {},
          h('section', { class: 'card', 'aria-labelledby': 'recording-title' }, h('h2', { id: 'recording-title' }, t('overview.recording')), recordingForm),
          h('section', { class: 'card', 'aria-labelledby': 'more-title' }, h('h2', { id: 'more-title' }, t('overview.more')), h('div', { class: 'actions actions-stack' }, more)),
        ),
      ),
    );
  },
};
