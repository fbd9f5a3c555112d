// The parts of the door page drawn from data: counts, the queue and what needs attention, search
// matches and the phone's settings. Each function returns elements; the page decides when to draw them.
import { t, tn } from '../i18n.js';
import { h, uid } from '../dom.js';
import { modeName } from '../format.js';

const NO_COUNTS = { in_person: { checked_in: 0, expected: 0 }, online: { checked_in: 0, expected: 0 } };

// state: 'live', 'connecting' or 'stale'; time(iso) writes a time in the event's zone.
export function countsPanel({ format, counts, state, countsAt, time }) {
  const c = counts || NO_COUNTS;
  const stateText =
    state === 'live'
      ? t('door.counts.live')
      : state === 'connecting'
        ? t('door.counts.connecting')
        : countsAt
          ? t('door.counts.stale', { time: time(countsAt) })
          : t('door.counts.none');
  const items = [];
  if (format !== 'online') {
    items.push(
      h(
        'div',
        { class: 'door-count', id: 'door-count-in-person' },
        h('p', { class: 'door-count-label' }, t('door.counts.in_person')),
        h('p', { class: 'door-count-value' }, h('strong', {}, String(c.in_person.checked_in)), ` / ${c.in_person.expected}`),
        h('progress', {
          max: String(Math.max(1, c.in_person.expected)),
          value: String(c.in_person.checked_in),
          'aria-label': t('door.counts.in_person.label', { checked: c.in_person.checked_in, expected: c.in_person.expected }),
        }),
      ),
    );
  }
  if (format !== 'in_person') {
    items.push(
      h(
        'div',
        { class: 'door-count', id: 'door-count-online' },
        h('p', { class: 'door-count-label' }, t('door.counts.online')),
        h('p', { class: 'door-count-value' }, h('strong', {}, String(c.online.checked_in))),
      ),
    );
  }
  return [
    h('h2', { id: 'door-counts-title', class: 'visually-hidden' }, t('door.counts')),
    h('div', { class: 'door-count-row' }, items),
    h('p', { class: ['door-live', `door-live-${state}`] }, h('span', { class: 'door-live-dot', 'aria-hidden': 'true' }), stateText),
  ];
}

function attentionText(a, time) {
  if (a.kind === 'elsewhere')
    return a.device ? t('door.attention.elsewhere', { time: time(a.at), device: a.device }) : t('door.attention.elsewhere.nodevice', { time: time(a.at) });
  if (a.kind === 'unlisted') return t('door.attention.unlisted');
  if (a.kind === 'not_found') return t('door.attention.not_found');
  if (a.kind === 'unresolved') return t('door.attention.unresolved');
  if (/waitlist/i.test(a.message)) return t('door.result.waitlisted');
  if (/cancel/i.test(a.message)) return t('door.result.cancelled');
  return a.message;
}

function attentionItem(a, time, onDismiss) {
  const name = a.name || (a.ticket_code ? t('door.attention.ticket', { code: a.ticket_code }) : t('door.pending.unknown'));
  return h(
    'li',
    { class: ['door-attention-item', `door-attention-${a.kind}`] },
    h('p', {}, h('strong', {}, name), h('br'), attentionText(a, time), h('br'), h('span', { class: 'muted' }, t('door.attention.scanned', { time: time(a.scanned_at) }))),
    h(
      'button',
      { type: 'button', class: 'button button-secondary button-small', 'aria-label': t('door.attention.dismiss.label', { name }), on: { click: () => onDismiss(a.nonce) } },
      t('door.attention.dismiss'),
    ),
  );
}

// The scans waiting to be sent, and the ones the server disagreed with.
export function queuePanels({ pending, attention, syncing, time, onSend, onDismiss }) {
  const parts = [];
  if (pending.length) {
    parts.push(
      h(
        'details',
        { class: 'door-pending card', id: 'door-pending' },
        h('summary', {}, h('span', { class: 'door-pending-count', id: 'door-pending-count' }, tn('door.pending', pending.length))),
        h('h2', { class: 'visually-hidden' }, t('door.pending.list')),
        h(
          'ul',
          { class: 'door-list' },
          pending.map((q) =>
            h('li', {}, q.name ? t('door.pending.item', { name: q.name, time: time(q.scanned_at) }) : `${t('door.pending.unknown')} (${time(q.scanned_at)})`),
          ),
        ),
        h(
          'button',
          { type: 'button', class: 'button button-small', id: 'door-send', disabled: syncing, on: { click: onSend } },
          syncing ? t('door.pending.sending') : t('door.pending.send'),
        ),
      ),
    );
  }
  if (attention.length) {
    parts.push(
      h(
        'section',
        { class: 'door-attention card', id: 'door-attention', 'aria-labelledby': 'door-attention-title' },
        h('h2', { id: 'door-attention-title' }, `${t('door.attention')} `, h('span', { class: 'badge badge-cancelled' }, String(attention.length))),
        h('p', { class: 'hint' }, t('door.attention.intro')),
        h('ul', { class: 'door-list' }, attention.map((a) => attentionItem(a, time, onDismiss))),
      ),
    );
  }
  return parts;
}

function matchLine(m, online, time) {
  if (!online) return m.pending ? t('door.search.pending') : m.checked_in ? t('door.search.checked.list') : t('door.search.not_checked');
  const mode = modeName(m.mode);
  if (m.status === 'waitlisted') return `${mode} · ${t('door.search.status.waitlisted')}`;
  if (m.status === 'cancelled') return `${mode} · ${t('door.search.status.cancelled')}`;
  return `${mode} · ${m.checked_in_at ? t('door.search.checked', { time: time(m.checked_in_at) }) : t('door.search.not_checked')}`;
}

// found: null (nothing searched yet), or {online, list} of the server's matches or the saved list's.
export function matchesView({ q, found, time, onPick, tooShort }) {
  const statusId = 'door-search-status';
  if (!found) return [h('p', { class: 'muted', id: statusId, role: 'status' }, tooShort ? t('door.search.short') : '')];
  const list = found.list;
  const summary = list.length ? tn('door.search.count', list.length) : t('door.search.none', { q: q.trim() });
  return [
    found.online ? null : h('p', { class: 'notice notice-warning' }, t('door.search.offline')),
    h('p', { class: 'door-search-count', id: statusId, role: 'status' }, summary),
    list.length
      ? h(
          'ul',
          { class: 'door-matches' },
          list.map((m) => {
            const id = uid('m');
            const done = found.online ? Boolean(m.checked_in_at) || m.status !== 'confirmed' : m.checked_in || m.pending;
            return h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: ['door-match', done ? 'is-done' : ''], 'aria-describedby': id, on: { click: () => onPick(m) } },
                h('span', { class: 'door-match-name' }, m.name),
                h('span', { class: 'door-match-line', id }, matchLine(m, found.online, time)),
              ),
            );
          }),
        )
      : null,
  ];
}

// The phone's name and preferences, the saved list and the link.
export function settingsPanel({ label, key, prefs, listInfo, linkInfo, onLabel, onPref, onRefresh, onForget }) {
  const labelId = 'door-device-label';
  const labelForm = h(
    'form',
    { class: 'door-device', novalidate: true },
    h('label', { for: labelId }, t('door.device.label')),
    h('p', { class: 'hint', id: `${labelId}-hint` }, t('door.device.label.hint')),
    h(
      'div',
      { class: 'door-inline' },
      h('input', { type: 'text', id: labelId, name: 'label', maxlength: '60', value: label, autocomplete: 'off', 'aria-describedby': `${labelId}-hint` }),
      h('button', { type: 'submit', class: 'button button-secondary' }, t('door.device.save')),
    ),
    h('p', { class: 'muted' }, t('door.device.id', { id: key })),
  );
  labelForm.addEventListener('submit', (e) => {
    e.preventDefault();
    onLabel(labelForm.querySelector('input').value);
  });
  const toggle = (name, text) => {
    const id = `door-pref-${name}`;
    return h(
      'div',
      { class: 'choice' },
      h('input', { type: 'checkbox', id, checked: prefs[name], on: { change: (e) => onPref(name, e.target.checked) } }),
      h('label', { for: id }, text),
    );
  };
  return [
    h('summary', {}, t('door.settings')),
    labelForm,
    h(
      'fieldset',
      { class: 'door-prefs' },
      h('legend', { class: 'visually-hidden' }, t('door.settings')),
      toggle('sound', t('door.sound')),
      toggle('vibrate', t('door.vibrate')),
      toggle('autoclose', t('door.autoclose')),
    ),
    h('h3', {}, t('door.list')),
    h('p', { id: 'door-list-info' }, listInfo),
    h('button', { type: 'button', class: 'button button-secondary', id: 'door-list-refresh', on: { click: onRefresh } }, t('door.list.refresh')),
    h('h3', {}, t('door.link')),
    h('p', { id: 'door-link-info' }, linkInfo),
    h('button', { type: 'button', class: 'button button-danger-quiet', id: 'door-forget', on: { click: onForget } }, t('door.forget')),
  ];
}
