// Messages to the outside world (emails, Zoom) by status, with their last error; retry one, or every failed
// message of an event. All events the organizer manages, or one event.
import { api, query } from '../api.js';
import { extend, pick, t, tn } from '../i18n.js';
import { h, replace } from '../dom.js';
import { dataTable, explain, messageArea, when } from './kit.js';

extend({
  en: {
    'out.title': 'Deliveries',
    'out.title.event': 'Deliveries: {title}',
    'out.nav': 'Deliveries',
    'out.intro': 'Emails and Zoom requests that Ensemble sends. A failed message was tried several times; fix the cause (for example the email settings) and retry it.',
    'out.back': 'Back to the event',
    'out.filters': 'Show messages',
    'out.status': 'Status',
    'out.status.failed': 'Failed',
    'out.status.pending': 'Waiting to be sent',
    'out.status.sent': 'Sent',
    'out.status.cancelled': 'No longer needed',
    'out.event': 'Event',
    'out.event.all': 'All my events',
    'out.count.one': '{n} message',
    'out.count.other': '{n} messages',
    'out.none': 'No message with this status.',
    'out.table': 'Messages',
    'out.col.kind': 'Message',
    'out.col.recipient': 'To',
    'out.col.status': 'Status',
    'out.col.error': 'Last error',
    'out.col.actions': 'Actions',
    'out.created': 'Created {time}',
    'out.tries.one': '{n} try',
    'out.tries.other': '{n} tries',
    'out.sent_at': 'Sent {time}',
    'out.next_at': 'Next try {time}',
    'out.sending': 'sending now',
    'out.retry': 'Retry',
    'out.retry.label': 'Retry the message {kind} to {recipient}',
    'out.retried': 'The message to {recipient} will be sent again now.',
    'out.retry_all': 'Retry every failed message of this event',
    'out.retried_all.one': '{n} failed message will be sent again now.',
    'out.retried_all.other': '{n} failed messages will be sent again now.',
    'out.kind.email.confirmation': 'Confirmation email',
    'out.kind.email.waitlisted': 'Waitlist email',
    'out.kind.email.promoted': 'Seat confirmed email',
    'out.kind.email.cancelled': 'Cancellation email',
    'out.kind.email.event_cancelled': 'Event cancelled email',
    'out.kind.email.switched': 'Mode change email',
    'out.kind.email.join_link': 'Join link email',
    'out.kind.email.reminder': 'Reminder email',
    'out.kind.email.recording': 'Recording email',
    'out.kind.zoom.create': 'Zoom: create the meeting',
    'out.kind.zoom.update': 'Zoom: update the meeting',
    'out.kind.zoom.delete': 'Zoom: delete the meeting',
    'out.kind.zoom.add_registrant': 'Zoom: add the registrant',
    'out.kind.zoom.cancel_registrant': 'Zoom: cancel the registrant',
  },
  fr: {
    'out.title': 'Envois',
    'out.title.event': 'Envois : {title}',
    'out.nav': 'Envois',
    'out.intro': 'Les courriels et les demandes Zoom qu’Ensemble envoie. Un message en échec a été essayé plusieurs fois; corrigez la cause (par exemple les réglages de courriel) puis réessayez.',
    'out.back': 'Retour à l’événement',
    'out.filters': 'Afficher les messages',
    'out.status': 'Statut',
    'out.status.failed': 'En échec',
    'out.status.pending': 'En attente d’envoi',
    'out.status.sent': 'Envoyés',
    'out.status.cancelled': 'Plus nécessaires',
    'out.event': 'Événement',
    'out.event.all': 'Tous mes événements',
    'out.count.one': '{n} message',
    'out.count.other': '{n} messages',
    'out.none': 'Aucun message avec ce statut.',
    'out.table': 'Messages',
    'out.col.kind': 'Message',
    'out.col.recipient': 'Destinataire',
    'out.col.status': 'Statut',
    'out.col.error': 'Dernière erreur',
    'out.col.actions': 'Actions',
    'out.created': 'Créé le {time}',
    'out.tries.one': '{n} essai',
    'out.tries.other': '{n} essais',
    'out.sent_at': 'Envoyé le {time}',
    'out.next_at': 'Prochain essai le {time}',
    'out.sending': 'envoi en cours',
    'out.retry': 'Réessayer',
    'out.retry.label': 'Réessayer le message {kind} à {recipient}',
    'out.retried': 'Le message à {recipient} sera renvoyé maintenant.',
    'out.retry_all': 'Réessayer tous les messages en échec de cet événement',
    'out.retried_all.one': '{n} message en échec sera renvoyé maintenant.',
    'out.retried_all.other': '{n} messages en échec seront renvoyés maintenant.',
    'out.kind.email.confirmation': 'Courriel de confirmation',
    'out.kind.email.waitlisted': 'Courriel de liste d’attente',
    'out.kind.email.promoted': 'Courriel de place confirmée',
    'out.kind.email.cancelled': 'Courriel d’annulation',
    'out.kind.email.event_cancelled': 'Courriel d’événement annulé',
    'out.kind.email.switched': 'Courriel de changement de mode',
    'out.kind.email.join_link': 'Courriel du lien de connexion',
    'out.kind.email.reminder': 'Courriel de rappel',
    'out.kind.email.recording': 'Courriel de l’enregistrement',
    'out.kind.zoom.create': 'Zoom : créer la réunion',
    'out.kind.zoom.update': 'Zoom : modifier la réunion',
    'out.kind.zoom.delete': 'Zoom : supprimer la réunion',
    'out.kind.zoom.add_registrant': 'Zoom : ajouter la personne inscrite',
    'out.kind.zoom.cancel_registrant': 'Zoom : annuler la personne inscrite',
  },
});

const STATUSES = ['failed', 'pending', 'sent', 'cancelled'];
const BADGE = { failed: 'cancelled', pending: 'waitlisted', sent: 'confirmed', cancelled: 'draft' };

function kindName(kind) {
  const key = `out.kind.${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

function select(id, label, value, options) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id }, options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label))),
  );
}

export default {
  id: 'deliveries',
  routes: ['/admin/deliveries', '/admin/events/:id/deliveries'],
  nav: { key: 'out.nav', href: '/admin/deliveries' },
  title: () => t('out.title'),
  async render(main, params, ctx) {
    const fixedEvent = params.id || null;
    let event = null;
    let events = [];
    try {
      if (fixedEvent) event = await api(`/api/v1/events/${encodeURIComponent(fixedEvent)}`);
      else events = (await api('/api/v1/events?scope=managed')).events || [];
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const title = event ? pick(event.title) : null;
    ctx.setTitle(event ? t('out.title.event', { title: title.text }) : t('out.title'));
    const search = new URLSearchParams(location.search);
    const status = STATUSES.includes(search.get('status')) ? search.get('status') : 'failed';
    const chosenEvent = fixedEvent ? String(event.id) : search.get('event') || '';
    const messages = messageArea('out-message');
    const count = h('p', { class: 'count', id: 'out-count', role: 'status' });
    const results = h('div', { id: 'out-results' });
    const bulk = h('div', { id: 'out-bulk' });

    const form = h(
      'form',
      { class: 'filters', 'aria-label': t('out.filters') },
      select('out-status', t('out.status'), status, STATUSES.map((s) => ({ value: s, label: t(`out.status.${s}`) }))),
      fixedEvent
        ? null
        : select('out-event', t('out.event'), chosenEvent, [
            { value: '', label: t('out.event.all') },
            ...events.map((e) => ({ value: String(e.id), label: pick(e.title).text })),
          ]),
    );

    const current = () => ({
      status: form.querySelector('#out-status').value,
      event: fixedEvent ? String(event.id) : form.querySelector('#out-event').value,
    });

    let seq = 0;
    const load = async () => {
      const f = current();
      if (!fixedEvent) history.replaceState(history.state, '', `${location.pathname}${query({ status: f.status === 'failed' ? '' : f.status, event: f.event })}`);
      else history.replaceState(history.state, '', `${location.pathname}${query({ status: f.status === 'failed' ? '' : f.status })}`);
      const path = f.event ? `/api/v1/events/${encodeURIComponent(f.event)}/outbox` : '/api/v1/outbox';
      const mine = ++seq;
      try {
        const data = await api(`${path}${query({ status: f.status })}`);
        if (mine !== seq) return;
        const list = data.messages || [];
        count.textContent = list.length ? tn('out.count', list.length) : t('out.none');
        replace(
          bulk,
          f.event && f.status === 'failed' && list.length
            ? h('button', { type: 'button', class: 'button', id: 'out-retry-all', on: { click: () => retryAll(f.event) } }, t('out.retry_all'))
            : null,
        );
        replace(results, list.length ? table(list) : null);
      } catch (err) {
        if (mine === seq) ctx.fail(err, results, load);
      }
    };

    const retryOne = async (m) => {
      try {
        await api(`/api/v1/outbox/${m.id}/retry`, { method: 'POST' });
        await load();
        messages.say('success', t('out.retried', { recipient: m.recipient }));
      } catch (err) {
        if (err.status === 401) ctx.fail(err, main);
        else messages.say('error', explain(err));
      }
    };

    const retryAll = async (eventId) => {
      try {
        const done = await api(`/api/v1/events/${encodeURIComponent(eventId)}/outbox/retry`, { method: 'POST' });
        await load();
        messages.say('success', tn('out.retried_all', done.retried || 0));
      } catch (err) {
        if (err.status === 401) ctx.fail(err, main);
        else messages.say('error', explain(err));
      }
    };

    const titles = new Map(events.map((e) => [e.id, pick(e.title)]));
    const eventLink = (m) => {
      const picked = titles.get(m.event_id);
      if (fixedEvent || !picked) return null;
      return [h('br'), h('a', { href: `/admin/events/${m.event_id}`, class: 'small', lang: picked.lang !== document.documentElement.lang ? picked.lang : null }, picked.text)];
    };

    const table = (list) =>
      dataTable({
        id: 'out-table',
        stack: true,
        caption: t('out.table'),
        head: ['out.col.kind', 'out.col.recipient', 'out.col.status', 'out.col.error', 'out.col.actions'].map(t),
        rows: list.map((m) =>
          h(
            'tr',
            { dataset: { message: m.id } },
            h('th', { scope: 'row' }, kindName(m.kind), h('br'), h('span', { class: 'muted small' }, t('out.created', { time: when(m.created_at) })), eventLink(m)),
            h('td', { class: 'recipient' }, m.recipient),
            h(
              'td',
              { class: 'out-status' },
              h('span', { class: `badge badge-${BADGE[m.status] || 'draft'}` }, t(`out.status.${m.status}`)),
              m.in_flight ? [' ', h('span', { class: 'muted small' }, t('out.sending'))] : null,
              h('br'),
              h('span', { class: 'small' }, tn('out.tries', m.attempts)),
              m.status === 'sent' && m.sent_at ? [h('br'), h('span', { class: 'small' }, t('out.sent_at', { time: when(m.sent_at) }))] : null,
              m.status === 'pending' && m.next_attempt_at ? [h('br'), h('span', { class: 'small' }, t('out.next_at', { time: when(m.next_attempt_at) }))] : null,
            ),
            h('td', { class: 'error-text' }, m.last_error || '—'),
            h(
              'td',
              {},
              m.status === 'failed' || (m.status === 'pending' && !m.in_flight)
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-secondary button-small',
                      'aria-label': t('out.retry.label', { kind: kindName(m.kind), recipient: m.recipient }),
                      on: { click: () => retryOne(m) },
                    },
                    t('out.retry'),
                  )
                : null,
            ),
          ),
        ),
      });

    form.addEventListener('change', load);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });

    replace(
      main,
      event ? h('p', { class: 'breadcrumb' }, h('a', { href: `/admin/events/${event.id}` }, `← ${t('out.back')}`)) : null,
      h('h1', { id: 'page-title', tabindex: '-1' }, t('out.title')),
      event ? h('p', { class: 'lead', lang: title.lang !== document.documentElement.lang ? title.lang : null }, title.text) : null,
      h('p', {}, t('out.intro')),
      form,
      messages.el,
      h('div', { class: 'admin-bar' }, count, bulk),
      results,
    );
    await load();
  },
};
