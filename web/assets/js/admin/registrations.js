// The registrations of one event: filters, search, sort, the CSV export with the same filters, and the
// organizer's changes on an attendee's behalf (promote from the waitlist, move to the other mode, cancel).
import { api, query } from '../api.js';
import { extend, pick, t, tn } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { confirmDialog } from '../layout.js';
import { clock, modeAdj, modeAdv, modeName, modesOf, shortDate } from '../format.js';
import { dataTable, explain, messageArea } from './kit.js';

extend({
  en: {
    'regs.col.actions': 'Actions',
    'regs.col.person': 'Name and email',
    'regs.device': 'on {device}',
    'regs.promote': 'Promote',
    'regs.promote.label': 'Promote {name} from the waitlist',
    'regs.promote.confirm.title': 'Promote {name} from the waitlist?',
    'regs.promote.confirm.free': '{name} gets one of the free {mode} seats and is emailed the confirmation.',
    'regs.promote.confirm.raise': 'No {mode} seat is free, so the {mode} capacity grows by one, from {capacity} to {next}, to give {name} a seat. {name} is emailed the confirmation.',
    'regs.promote.confirm.yes': 'Promote',
    'regs.promote.done': '{name} is confirmed.',
    'regs.promote.done.raised': '{name} is confirmed; the {mode} capacity is now {capacity}.',
    'regs.move': 'Move {mode}',
    'regs.move.label': 'Move {mode}: {name}',
    'regs.move.confirm.title': 'Move {name} to {mode} attendance?',
    'regs.move.confirm.text': '{name} keeps the registration and is emailed about the change. If no {mode} seat is left, nothing changes.',
    'regs.move.confirm.yes': 'Move',
    'regs.move.done': '{name} now attends {mode}.',
    'regs.move.done.waitlisted': '{name} is now on the {mode} waitlist.',
    'regs.move.full': 'No {mode} seat is left: {name} keeps the current place.',
    'regs.cancel': 'Cancel',
    'regs.cancel.label': 'Cancel the registration of {name}',
    'regs.cancel.confirm.title': 'Cancel the registration of {name}?',
    'regs.cancel.confirm.text': '{name} is emailed that the registration is cancelled. The seat goes to the first person on the waitlist.',
    'regs.cancel.confirm.yes': 'Cancel the registration',
    'regs.cancel.confirm.no': 'Keep it',
    'regs.cancel.done': 'The registration of {name} is cancelled.',
    'regs.freed': 'The freed seat went to the first person on the waitlist.',
  },
  fr: {
    'regs.col.actions': 'Actions',
    'regs.col.person': 'Nom et courriel',
    'regs.device': 'sur {device}',
    'regs.promote': 'Confirmer',
    'regs.promote.label': 'Confirmer {name}, sur la liste d’attente',
    'regs.promote.confirm.title': 'Confirmer {name}, sur la liste d’attente?',
    'regs.promote.confirm.free': '{name} obtient l’une des places libres {mode} et reçoit la confirmation par courriel.',
    'regs.promote.confirm.raise': 'Aucune place {mode} n’est libre : la capacité {mode} augmente de un, de {capacity} à {next}, pour donner une place à {name}. {name} reçoit la confirmation par courriel.',
    'regs.promote.confirm.yes': 'Confirmer',
    'regs.promote.done': '{name} est confirmé·e.',
    'regs.promote.done.raised': '{name} est confirmé·e; la capacité {mode} est maintenant de {capacity}.',
    'regs.move': 'Passer {mode}',
    'regs.move.label': 'Passer {mode} : {name}',
    'regs.move.confirm.title': 'Faire passer {name} à la participation {mode}?',
    'regs.move.confirm.text': '{name} garde son inscription et reçoit un courriel au sujet du changement. S’il ne reste aucune place {mode}, rien ne change.',
    'regs.move.confirm.yes': 'Changer',
    'regs.move.done': '{name} participe maintenant {mode}.',
    'regs.move.done.waitlisted': '{name} est maintenant sur la liste d’attente {mode}.',
    'regs.move.full': 'Il ne reste aucune place {mode} : {name} garde sa place actuelle.',
    'regs.cancel': 'Annuler',
    'regs.cancel.label': 'Annuler l’inscription de {name}',
    'regs.cancel.confirm.title': 'Annuler l’inscription de {name}?',
    'regs.cancel.confirm.text': '{name} est avisé·e par courriel de l’annulation. La place va à la première personne sur la liste d’attente.',
    'regs.cancel.confirm.yes': 'Annuler l’inscription',
    'regs.cancel.confirm.no': 'La garder',
    'regs.cancel.done': 'L’inscription de {name} est annulée.',
    'regs.freed': 'La place libérée est allée à la première personne sur la liste d’attente.',
  },
});

const SORTS = ['created', '-created', 'name', '-name', 'email', 'status'];

function filtersFromUrl() {
  const p = new URLSearchParams(location.search);
  return { status: p.get('status') || '', mode: p.get('mode') || '', q: p.get('q') || '', sort: SORTS.includes(p.get('sort')) ? p.get('sort') : 'created' };
}

function select(id, label, value, options) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id.replace('reg-', '') }, options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label))),
  );
}

function when(iso, tz) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${shortDate(d, tz)} ${clock(d, tz)}`;
}

function checkedIn(r, tz) {
  if (!r.checked_in_at) return '';
  return [when(r.checked_in_at, tz), r.checked_in_device ? [h('br'), h('span', { class: 'muted small' }, t('regs.device', { device: r.checked_in_device }))] : null];
}

function actions(r, event, act) {
  if (r.status === 'cancelled') return h('td', {});
  const other = modesOf(event).find((m) => m !== r.mode);
  const button = (key, label, kind, extra = {}) =>
    h('button', { type: 'button', class: ['button', 'button-small', kind], 'aria-label': label, on: { click: () => act(key, r, extra) } }, t(`regs.${key}`, extra.words || {}));
  return h(
    'td',
    {},
    h(
      'div',
      { class: 'row-actions' },
      r.status === 'waitlisted' ? button('promote', t('regs.promote.label', { name: r.name }), 'button-secondary') : null,
      other
        ? button('move', t('regs.move.label', { name: r.name, mode: modeAdv(other) }), 'button-secondary', { mode: other, words: { mode: modeAdv(other) } })
        : null,
      button('cancel', t('regs.cancel.label', { name: r.name }), 'button-danger-quiet'),
    ),
  );
}

function rows(list, event, act) {
  return list.map((r) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, r.name, h('br'), h('span', { class: 'muted small person-email' }, r.email)),
      h('td', {}, modeName(r.mode)),
      h(
        'td',
        {},
        h('span', { class: `badge badge-${r.status}` }, t(`regs.status.${r.status}`)),
        r.status === 'waitlisted' && r.waitlist_position ? [' ', h('span', { class: 'muted' }, t('regs.position', { n: r.waitlist_position }))] : null,
      ),
      h('td', {}, r.language === 'fr' ? 'FR' : 'EN'),
      h('td', { class: 'num' }, when(r.created_at, event.timezone)),
      h('td', { class: 'num' }, checkedIn(r, event.timezone)),
      actions(r, event, act),
    ),
  );
}

export default {
  id: 'registrations',
  routes: ['/admin/events/:id/registrations'],
  title: () => t('regs.title'),
  async render(main, params, ctx) {
    let event;
    try {
      event = await api(`/api/v1/events/${encodeURIComponent(params.id)}`);
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const title = pick(event.title);
    ctx.setTitle(t('regs.of', { title: title.text }));
    const filters = filtersFromUrl();
    const count = h('p', { class: 'count', id: 'regs-count', role: 'status' });
    const messages = messageArea('regs-message');
    const results = h('div', { id: 'regs-results' });
    const csv = h('a', { class: 'button button-secondary', id: 'regs-csv', download: '' }, t('regs.csv'));
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': t('regs.filters') },
      select('reg-status', t('regs.status'), filters.status, [
        { value: '', label: t('regs.all') },
        ...['confirmed', 'waitlisted', 'cancelled'].map((s) => ({ value: s, label: t(`regs.status.${s}`) })),
      ]),
      select('reg-mode', t('regs.mode'), filters.mode, [{ value: '', label: t('regs.all') }, ...modesOf(event).map((m) => ({ value: m, label: modeName(m) }))]),
      h('div', { class: 'field' }, h('label', { for: 'reg-q' }, t('regs.search')), h('input', { type: 'search', id: 'reg-q', name: 'q', value: filters.q, autocomplete: 'off' })),
      select('reg-sort', t('regs.sort'), filters.sort, SORTS.map((s) => ({ value: s, label: t(`regs.sort.${s}`) }))),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'button' }, t('regs.apply'))),
    );

    let seq = 0;
    const load = async () => {
      const f = {
        status: form.querySelector('#reg-status').value,
        mode: form.querySelector('#reg-mode').value,
        q: form.querySelector('#reg-q').value.trim(),
        sort: form.querySelector('#reg-sort').value,
      };
      const search = query({ ...f, sort: f.sort === 'created' ? '' : f.sort });
      history.replaceState(history.state, '', `${location.pathname}${search}`);
      csv.href = `/api/v1/events/${event.id}/registrations.csv${search}`;
      const mine = ++seq;
      try {
        const data = await api(`/api/v1/events/${event.id}/registrations${search}`);
        if (mine !== seq) return;
        const list = data.registrations || [];
        count.textContent = list.length ? tn('regs.count', list.length) : t('regs.none');
        if (!list.length) {
          replace(results);
          return;
        }
        replace(
          results,
          dataTable({
            id: 'regs-table',
            caption: t('regs.table'),
            stack: true,
            head: ['regs.col.person', 'regs.col.mode', 'regs.col.status', 'regs.col.language', 'regs.col.created', 'regs.col.checked_in', 'regs.col.actions'].map((k) => t(k)),
            rows: rows(list, event, act),
          }),
        );
      } catch (err) {
        if (mine === seq) ctx.fail(err, results, load);
      }
    };

    // The seats of each mode as they are now, for the promotion's confirmation.
    const refreshEvent = async () => {
      try {
        event = await api(`/api/v1/events/${event.id}`);
      } catch {
        // The list still reloads; the next confirmation uses the seats known before.
      }
    };

    const confirmFor = (key, r, extra) => {
      const name = r.name;
      if (key === 'promote') {
        const seats = event.seats[r.mode];
        const mode = modeAdj(r.mode);
        const text =
          seats.remaining > 0
            ? t('regs.promote.confirm.free', { name, mode })
            : t('regs.promote.confirm.raise', { name, mode, capacity: seats.capacity, next: seats.capacity + 1 });
        return { title: t('regs.promote.confirm.title', { name }), text, yes: t('regs.promote.confirm.yes'), no: t('common.cancel') };
      }
      if (key === 'move') {
        const mode = modeAdj(extra.mode);
        return { title: t('regs.move.confirm.title', { name, mode }), text: t('regs.move.confirm.text', { name, mode }), yes: t('regs.move.confirm.yes'), no: t('common.cancel') };
      }
      return {
        title: t('regs.cancel.confirm.title', { name }),
        text: t('regs.cancel.confirm.text', { name }),
        yes: t('regs.cancel.confirm.yes'),
        no: t('regs.cancel.confirm.no'),
        danger: true,
      };
    };

    const act = async (key, r, extra = {}) => {
      await refreshEvent();
      if (!(await confirmDialog(confirmFor(key, r, extra)))) return;
      const base = `/api/v1/events/${event.id}/registrations/${r.id}`;
      try {
        let text;
        if (key === 'promote') {
          const done = await api(`${base}/promote`, { method: 'POST' });
          text = done.capacity_raised
            ? t('regs.promote.done.raised', { name: r.name, mode: modeAdj(r.mode), capacity: done.capacity })
            : t('regs.promote.done', { name: r.name });
        } else if (key === 'move') {
          const done = await api(`${base}/move`, { method: 'POST', body: { mode: extra.mode } });
          text = t(done.status === 'waitlisted' ? 'regs.move.done.waitlisted' : 'regs.move.done', { name: r.name, mode: done.status === 'waitlisted' ? modeAdj(extra.mode) : modeAdv(extra.mode) });
          if (done.promoted > 0) text = `${text} ${t('regs.freed')}`;
        } else {
          const done = await api(`${base}/cancel`, { method: 'POST' });
          text = t('regs.cancel.done', { name: r.name });
          if (done.promoted > 0) text = `${text} ${t('regs.freed')}`;
        }
        await refreshEvent();
        await load();
        messages.say('success', text);
      } catch (err) {
        if (err.status === 401) {
          ctx.fail(err, main);
          return;
        }
        if (err.code === 'full') messages.say('error', t('regs.move.full', { name: r.name, mode: modeAdj(extra.mode) }));
        else messages.say('error', explain(err));
        await load();
      }
    };

    let timer = null;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });
    form.addEventListener('change', (e) => {
      if (e.target.id !== 'reg-q') load();
    });
    form.querySelector('#reg-q').addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });

    replace(
      main,
      h('p', { class: 'breadcrumb' }, h('a', { href: `/admin/events/${event.id}` }, `← ${t('regs.back')}`)),
      h('h1', { id: 'page-title', tabindex: '-1' }, t('regs.title')),
      textIn('p', title, { class: 'lead' }),
      form,
      messages.el,
      h('div', { class: 'admin-bar' }, count, csv),
      results,
    );
    await load();
  },
};
