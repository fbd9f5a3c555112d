// The audit log, for admins: who did what and when, for every event or one of them, newest first.
import { api, query } from '../api.js';
import { extend, pick, t, tn } from '../i18n.js';
import { h, replace } from '../dom.js';
import { dataTable, when } from './kit.js';

extend({
  en: {
    'audit.title': 'Audit log',
    'audit.nav': 'Audit log',
    'audit.intro': 'Every change made by an organizer or an admin, newest first (the last 200).',
    'audit.filters': 'Filter the log',
    'audit.event': 'Event',
    'audit.event.all': 'All events and accounts',
    'audit.count.one': '{n} entry',
    'audit.count.other': '{n} entries',
    'audit.none': 'No entry.',
    'audit.table': 'Audit log entries',
    'audit.col.at': 'When and who',
    'audit.col.action': 'What',
    'audit.col.event': 'Event',
    'audit.system': 'Ensemble (automatic)',
    'audit.action.checkin_link.create': 'Check-in link created',
    'audit.action.checkin_link.revoke': 'Check-in link revoked',
    'audit.action.event.cancel': 'Event cancelled',
    'audit.action.event.create': 'Event created',
    'audit.action.event.duplicate': 'Event duplicated',
    'audit.action.event.publish': 'Event published',
    'audit.action.event.team_add': 'Organizer added to the team',
    'audit.action.event.team_remove': 'Organizer removed from the team',
    'audit.action.event.update': 'Event changed',
    'audit.action.outbox.retry': 'Message retried',
    'audit.action.outbox.retry_event': 'Failed messages of the event retried',
    'audit.action.registration.cancel': 'Registration cancelled by an organizer',
    'audit.action.registration.move': 'Registration moved to the other mode',
    'audit.action.registration.promote': 'Registration promoted from the waitlist',
    'audit.action.registrations.export': 'Registrations exported (CSV)',
    'audit.action.user.create': 'Account created',
    'audit.action.user.role': 'Account role changed',
    'audit.action.user.disable': 'Account disabled',
    'audit.action.user.enable': 'Account enabled',
    'audit.action.privacy.anonymise': 'Personal data anonymised after the retention period',
  },
  fr: {
    'audit.title': 'Journal d’audit',
    'audit.nav': 'Journal d’audit',
    'audit.intro': 'Chaque changement fait par un organisateur ou un administrateur, du plus récent au plus ancien (les 200 derniers).',
    'audit.filters': 'Filtrer le journal',
    'audit.event': 'Événement',
    'audit.event.all': 'Tous les événements et comptes',
    'audit.count.one': '{n} entrée',
    'audit.count.other': '{n} entrées',
    'audit.none': 'Aucune entrée.',
    'audit.table': 'Entrées du journal d’audit',
    'audit.col.at': 'Quand et qui',
    'audit.col.action': 'Quoi',
    'audit.col.event': 'Événement',
    'audit.system': 'Ensemble (automatique)',
    'audit.action.checkin_link.create': 'Lien d’accueil créé',
    'audit.action.checkin_link.revoke': 'Lien d’accueil révoqué',
    'audit.action.event.cancel': 'Événement annulé',
    'audit.action.event.create': 'Événement créé',
    'audit.action.event.duplicate': 'Événement dupliqué',
    'audit.action.event.publish': 'Événement publié',
    'audit.action.event.team_add': 'Organisateur ajouté à l’équipe',
    'audit.action.event.team_remove': 'Organisateur retiré de l’équipe',
    'audit.action.event.update': 'Événement modifié',
    'audit.action.outbox.retry': 'Message réessayé',
    'audit.action.outbox.retry_event': 'Messages en échec de l’événement réessayés',
    'audit.action.registration.cancel': 'Inscription annulée par un organisateur',
    'audit.action.registration.move': 'Inscription passée à l’autre mode',
    'audit.action.registration.promote': 'Inscription confirmée depuis la liste d’attente',
    'audit.action.registrations.export': 'Inscriptions exportées (CSV)',
    'audit.action.user.create': 'Compte créé',
    'audit.action.user.role': 'Rôle du compte changé',
    'audit.action.user.disable': 'Compte désactivé',
    'audit.action.user.enable': 'Compte réactivé',
    'audit.action.privacy.anonymise': 'Données personnelles anonymisées après la durée de conservation',
  },
});

function actionName(action) {
  const key = `audit.action.${action}`;
  const text = t(key);
  return text === key ? h('code', {}, action) : text;
}

export default {
  id: 'audit',
  routes: ['/admin/audit'],
  nav: { key: 'audit.nav', href: '/admin/audit' },
  adminOnly: true,
  title: () => t('audit.title'),
  async render(main, params, ctx) {
    let events;
    try {
      events = (await api('/api/v1/events?scope=managed')).events || [];
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const titles = new Map(events.map((e) => [e.id, pick(e.title).text]));
    const chosen = new URLSearchParams(location.search).get('event') || '';
    const count = h('p', { class: 'count', id: 'audit-count', role: 'status' });
    const results = h('div', { id: 'audit-results' });
    const selectId = 'audit-event';
    const form = h(
      'form',
      { class: 'filters', 'aria-label': t('audit.filters') },
      h(
        'div',
        { class: 'field' },
        h('label', { for: selectId }, t('audit.event')),
        h(
          'select',
          { id: selectId },
          [{ value: '', label: t('audit.event.all') }, ...events.map((e) => ({ value: String(e.id), label: titles.get(e.id) }))].map((o) =>
            h('option', { value: o.value, selected: o.value === chosen }, o.label),
          ),
        ),
      ),
    );
    let seq = 0;
    const load = async () => {
      const event = form.querySelector('select').value;
      history.replaceState(history.state, '', `${location.pathname}${query({ event })}`);
      const mine = ++seq;
      try {
        const data = await api(`/api/v1/audit${query({ event, limit: 200 })}`);
        if (mine !== seq) return;
        const entries = data.entries || [];
        count.textContent = entries.length ? tn('audit.count', entries.length) : t('audit.none');
        replace(
          results,
          entries.length
            ? dataTable({
                id: 'audit-table',
                stack: true,
                caption: t('audit.table'),
                head: ['audit.col.at', 'audit.col.action', 'audit.col.event'].map(t),
                rows: entries.map((a) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'audit-when' }, h('span', { class: 'num' }, when(a.at)), h('br'), h('span', { class: 'muted small' }, a.user_email || t('audit.system'))),
                    h(
                      'th',
                      { scope: 'row', class: 'audit-what' },
                      actionName(a.action),
                      a.subject ? [h('br'), h('span', { class: 'small audit-detail' }, a.subject)] : null,
                      a.detail ? [h('br'), h('span', { class: 'muted small audit-detail' }, a.detail)] : null,
                    ),
                    h('td', {}, a.event_id ? titles.get(a.event_id) || `#${a.event_id}` : '—'),
                  ),
                ),
              })
            : null,
        );
      } catch (err) {
        if (mine === seq) ctx.fail(err, results, load);
      }
    };
    form.addEventListener('change', load);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });
    replace(main, h('h1', { id: 'page-title', tabindex: '-1' }, t('audit.title')), h('p', { class: 'lead' }, t('audit.intro')), form, h('div', { class: 'admin-bar' }, count), results);
    await load();
  },
};
