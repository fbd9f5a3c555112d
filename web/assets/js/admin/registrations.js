// The registrations of one event: filters, search, sort, and the CSV export with the same filters.
import { api, query } from '../api.js';
import { pick, t, tn } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { clock, modeName, modesOf, shortDate } from '../format.js';

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

function rows(list, event) {
  return list.map((r) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, r.name),
      h('td', {}, r.email),
      h('td', {}, modeName(r.mode)),
      h(
        'td',
        {},
        h('span', { class: `badge badge-${r.status}` }, t(`regs.status.${r.status}`)),
        r.status === 'waitlisted' && r.waitlist_position ? [' ', h('span', { class: 'muted' }, t('regs.position', { n: r.waitlist_position }))] : null,
      ),
      h('td', {}, r.language === 'fr' ? 'FR' : 'EN'),
      h('td', { class: 'num' }, when(r.created_at, event.timezone)),
      h('td', { class: 'num' }, when(r.checked_in_at, event.timezone)),
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
          h(
            'div',
            { class: 'table-wrap', role: 'region', 'aria-labelledby': 'regs-caption', tabindex: '0' },
            h(
              'table',
              {},
              h('caption', { id: 'regs-caption', class: 'visually-hidden' }, t('regs.table')),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['regs.col.name', 'regs.col.email', 'regs.col.mode', 'regs.col.status', 'regs.col.language', 'regs.col.created', 'regs.col.checked_in'].map((k) =>
                    h('th', { scope: 'col' }, t(k)),
                  ),
                ),
              ),
              h('tbody', {}, rows(list, event)),
            ),
          ),
        );
      } catch (err) {
        if (mine === seq) ctx.fail(err, results, load);
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
      h('div', { class: 'admin-bar' }, count, csv),
      results,
    );
    await load();
  },
};
