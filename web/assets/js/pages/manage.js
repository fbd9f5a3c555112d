// Manage my registration: status, QR ticket, join link, calendar, switch mode, cancel, my data, erasure.
import { api } from '../api.js';
import { colon, pick, t, tn } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { announce, confirmDialog, failure, loading, setTitle, startPage } from '../layout.js';
import { whenBlock } from '../cards.js';
import { clock, isOver, mapLink, modeAdj, modeAdv, modeName, zoneName } from '../format.js';

const main = document.getElementById('main');
const token = decodeURIComponent(location.pathname.replace(/^\/manage\//, '').replace(/\/$/, ''));
const isNew = new URLSearchParams(location.search).get('new') === '1';
const base = `/api/v1/registrations/${encodeURIComponent(token)}`;

let reg = null;
let gone = null; // 'missing' or 'erased'
let message = null; // {kind, text}
let busy = false;

async function load() {
  if (!reg) loading(main);
  try {
    reg = await api(base);
    draw();
    if (isNew) {
      // The welcome is shown once: a reload or a bookmark shows the plain page.
      const url = new URL(location.href);
      url.searchParams.delete('new');
      history.replaceState(history.state, '', url);
    }
  } catch (err) {
    if (err.status === 404) {
      gone = 'missing';
      drawGone();
    } else {
      failure(main, t('common.error.load'), load);
    }
  }
}

function drawGone() {
  setTitle(t('manage.title'));
  replace(
    main,
    h('h1', {}, t('manage.title')),
    h('p', { class: 'notice notice-info', id: 'gone', tabindex: '-1' }, gone === 'erased' ? t('manage.erased') : t('manage.not_found')),
    h('p', {}, h('a', { href: '/' }, t('notfound.home'))),
  );
}

function statusText() {
  if (reg.status === 'confirmed') return t('manage.status.confirmed', { mode: modeName(reg.mode) });
  if (reg.status === 'waitlisted')
    return reg.waitlist_position
      ? t('manage.status.waitlisted', { position: reg.waitlist_position, mode: modeAdj(reg.mode) })
      : t('manage.status.waitlisted.nopos', { mode: modeAdj(reg.mode) });
  return t('manage.status.cancelled');
}

function confirmation() {
  if (!isNew || reg.status === 'cancelled') return null;
  const confirmed = reg.status === 'confirmed';
  return h(
    'div',
    { class: ['notice', confirmed ? 'notice-success' : 'notice-info', 'confirmation'], id: 'confirmation' },
    h('h2', {}, confirmed ? t('manage.new.confirmed') : t('manage.new.waitlisted')),
    h(
      'p',
      {},
      confirmed
        ? t('manage.new.confirmed.text', { email: reg.email })
        : t('manage.new.waitlisted.text', { position: reg.waitlist_position || '', mode: modeAdj(reg.mode), email: reg.email }),
    ),
  );
}

function answerText(q, value) {
  if (q.type === 'boolean') return value ? t('form.yes') : '—';
  const label = (id) => {
    const o = (q.options || []).find((x) => x.id === id);
    return o ? pick(o.label).text : id;
  };
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (q.type === 'choice') return label(value);
  return String(value);
}

function details() {
  const rows = [
    [t('manage.status'), h('span', { class: `badge badge-${reg.status}` }, statusText())],
    [t('manage.name'), reg.name],
    [t('manage.email'), reg.email],
    [t('manage.language'), reg.language === 'fr' ? 'Français' : 'English'],
  ];
  const questions = reg.event.questions || [];
  const answered = questions.filter((q) => reg.answers && reg.answers[q.id] !== undefined && reg.answers[q.id] !== null);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'status-title' },
    h('h2', { id: 'status-title' }, t('manage.details')),
    h('dl', { class: 'pairs' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))),
    reg.checked_in_at
      ? h('p', { class: 'muted' }, t('manage.checked_in', { time: `${clock(new Date(reg.checked_in_at), reg.event.timezone)} ${zoneName(new Date(reg.checked_in_at), reg.event.timezone)}` }))
      : null,
    answered.length
      ? [
          h('h3', {}, t('manage.answers')),
          h(
            'dl',
            { class: 'pairs' },
            answered.map((q) => h('div', {}, textIn('dt', pick(q.label)), h('dd', {}, answerText(q, reg.answers[q.id])))),
          ),
        ]
      : null,
  );
}

function ticket() {
  if (reg.status !== 'confirmed' || reg.mode !== 'in_person' || reg.event.status === 'cancelled') return null;
  return h(
    'section',
    { class: 'card ticket', 'aria-labelledby': 'ticket-title' },
    h('h2', { id: 'ticket-title' }, t('manage.ticket')),
    h('p', {}, t('manage.ticket.text')),
    h('img', { src: `${base}/ticket.svg`, alt: t('manage.ticket.alt'), width: 240, height: 240, class: 'qr' }),
    h('p', { class: 'ticket-code' }, h('code', {}, reg.ticket_code)),
    h('p', {}, h('a', { href: `${base}/ticket.png`, download: 'ticket.png' }, t('manage.ticket.png'))),
  );
}

function online() {
  if (reg.status !== 'confirmed' || reg.mode !== 'online' || reg.event.status === 'cancelled') return null;
  return h(
    'section',
    { class: 'card online', 'aria-labelledby': 'online-title' },
    h('h2', { id: 'online-title' }, t('manage.online')),
    reg.join_url
      ? [
          h(
            'p',
            {},
            h('span', { class: 'label' }, t('manage.online.link') + colon()),
            h('a', { href: reg.join_url, rel: 'noopener noreferrer', target: '_blank', class: 'join-link' }, reg.join_url),
          ),
          reg.passcode ? h('p', {}, h('span', { class: 'label' }, t('manage.online.passcode') + colon()), h('code', {}, reg.passcode)) : null,
          h('p', { class: 'hint' }, t('manage.online.private')),
        ]
      : h('p', {}, (reg.event.online || {}).provider === 'none' ? t('manage.online.organizers') : t('manage.online.pending')),
  );
}

function eventCard() {
  const e = reg.event;
  const map = e.format !== 'online' && reg.mode === 'in_person' ? mapLink(e.venue) : null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'event-title' },
    h('h2', { id: 'event-title' }, t('manage.event')),
    textIn('p', pick(e.title), { class: 'event-name' }),
    whenBlock(e),
    reg.mode === 'in_person' && e.venue
      ? h(
          'p',
          { class: 'venue' },
          [e.venue.name, e.venue.address, [e.venue.city, e.venue.province, e.venue.postal_code].filter(Boolean).join(', ')]
            .filter(Boolean)
            .join(' · '),
        )
      : null,
    h(
      'ul',
      { class: 'link-list' },
      reg.status !== 'cancelled' ? h('li', {}, h('a', { href: `${base}/calendar.ics`, download: 'invite.ics' }, t('manage.calendar'))) : null,
      h('li', {}, h('a', { href: `/events/${encodeURIComponent(e.slug)}` }, t('manage.event.page'))),
      map
        ? h('li', {}, h('a', { href: map, rel: 'noopener noreferrer', target: '_blank' }, t('event.map'), h('span', { class: 'visually-hidden' }, ` ${t('common.new_window')}`)))
        : null,
    ),
  );
}

function changeable() {
  const e = reg.event;
  return reg.status !== 'cancelled' && e.status === 'published' && !isOver(e);
}

function changes() {
  const e = reg.event;
  const items = [];
  if (reg.status === 'cancelled') {
    items.push(h('p', {}, t('manage.cancelled.text')));
  } else if (!changeable()) {
    items.push(h('p', {}, e.status === 'cancelled' ? t('list.cancelled') : t('manage.closed')));
  } else {
    if (e.format === 'hybrid') {
      const other = reg.mode === 'online' ? 'in_person' : 'online';
      const seats = e.seats && e.seats[other];
      const label =
        seats && seats.remaining > 0
          ? t('manage.switch.to', { mode: modeAdv(other), seats: tn('seats.left', seats.remaining) })
          : t('manage.switch.to.full', { mode: modeAdv(other) });
      items.push(h('button', { type: 'button', class: 'button button-secondary', id: 'switch-mode', on: { click: () => switchTo(other) } }, label));
    }
    items.push(
      h(
        'button',
        { type: 'button', class: 'button button-danger', id: 'cancel-registration', on: { click: cancel } },
        reg.status === 'waitlisted' ? t('manage.leave_waitlist') : t('manage.cancel'),
      ),
    );
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'changes-title' },
    h('h2', { id: 'changes-title' }, t('manage.changes')),
    message ? h('div', { class: `notice notice-${message.kind}`, id: 'manage-message', tabindex: '-1', role: 'status' }, message.text) : null,
    h('div', { class: 'actions actions-stack' }, items),
  );
}

function data() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, t('manage.data')),
    h('p', {}, t('manage.data.text')),
    h(
      'div',
      { class: 'actions actions-stack' },
      h('a', { href: `${base}/data`, download: 'my-registration.json', class: 'button button-secondary', id: 'download-data' }, t('manage.data.download')),
      h('button', { type: 'button', class: 'button button-danger-quiet', id: 'erase-data', on: { click: erase } }, t('manage.data.erase')),
    ),
  );
}

function draw() {
  setTitle(`${t('manage.title')}: ${pick(reg.event.title).text}`);
  replace(
    main,
    h(
      'header',
      { class: 'page-intro' },
      h('h1', {}, t('manage.title')),
      h('p', { class: 'lead' }, h('a', { href: `/events/${encodeURIComponent(reg.event.slug)}` }, textIn('span', pick(reg.event.title)))),
    ),
    reg.event.status === 'cancelled' ? h('p', { class: 'notice notice-warning' }, t('event.cancelled')) : confirmation(),
    h(
      'div',
      { class: 'manage-layout' },
      h('div', { class: 'manage-main' }, ticket(), online(), details(), eventCard()),
      h('div', { class: 'manage-side' }, changes(), data()),
    ),
  );
}

function show(kind, text) {
  message = { kind, text };
  draw();
  document.getElementById('manage-message')?.focus();
  announce(text);
}

function explain(err) {
  if (err.code === 'rate_limited') return t('common.error.rate', { seconds: err.retryAfter || 60 });
  if (err.status === 0) return t('common.error.network');
  if (err.code === 'conflict') return t('manage.closed');
  return t('common.error.server');
}

async function switchTo(mode) {
  if (busy) return;
  busy = true;
  try {
    const result = await api(`${base}/switch`, { method: 'POST', body: { mode } });
    reg = await api(base);
    busy = false;
    show('success', result.status === 'waitlisted' ? t('manage.switch.done.waitlisted', { mode: modeAdj(mode) }) : t('manage.switch.done', { mode: modeAdv(mode) }));
  } catch (err) {
    busy = false;
    if (err.code === 'full') {
      try {
        reg = await api(base);
      } catch {
        // Keep what is shown; the message below still holds.
      }
      show('warning', t('manage.switch.full', { mode: modeAdj(mode) }));
    } else {
      show('error', explain(err));
    }
  }
}

async function cancel() {
  const yes = await confirmDialog({
    title: t('manage.cancel.confirm.title'),
    text: t('manage.cancel.confirm.text'),
    yes: t('manage.cancel.confirm.yes'),
    no: t('manage.cancel.confirm.no'),
    danger: true,
  });
  if (!yes || busy) return;
  busy = true;
  try {
    await api(`${base}/cancel`, { method: 'POST' });
    reg = await api(base);
    busy = false;
    show('success', t('manage.cancel.done'));
  } catch (err) {
    busy = false;
    show('error', explain(err));
  }
}

async function erase() {
  const yes = await confirmDialog({
    title: t('manage.erase.confirm.title'),
    text: t('manage.erase.confirm.text'),
    yes: t('manage.erase.confirm.yes'),
    no: t('manage.erase.confirm.no'),
    danger: true,
  });
  if (!yes || busy) return;
  busy = true;
  try {
    await api(base, { method: 'DELETE' });
    busy = false;
    gone = 'erased';
    reg = null;
    drawGone();
    document.getElementById('gone')?.focus();
    announce(t('manage.erased'));
  } catch (err) {
    busy = false;
    show('error', explain(err));
  }
}

startPage(
  {
    nav: [
      { href: '/', key: 'site.nav.upcoming' },
      { href: '/past', key: 'site.nav.past' },
    ],
  },
  () => {
    if (gone) drawGone();
    else if (reg) draw();
    else load();
  },
);
