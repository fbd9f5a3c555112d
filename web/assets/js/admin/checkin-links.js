// Door check-in of one event for organizers: live counts, check-in links for volunteers (create, list, revoke).
import { api } from '../api.js';
import { extend, pick, t, tn } from '../i18n.js';
import { h, replace } from '../dom.js';
import { confirmDialog } from '../layout.js';
import { watchCounts } from '../live.js';
import { clock } from '../format.js';
import { dataTable, eventHeading, explain, messageArea, when } from './kit.js';
import { field, showErrors } from './ui.js';

extend({
  en: {
    'links.title': 'Door check-in',
    'links.back': 'Back to the event',
    'links.counts': 'At the door now',
    'links.counts.in_person.one': 'In person: {checked} of {expected} checked in',
    'links.counts.in_person.other': 'In person: {checked} of {expected} checked in',
    'links.counts.online': 'Online registrants at the door: {n}',
    'links.counts.live': 'Live',
    'links.counts.connecting': 'Connecting…',
    'links.counts.stale': 'As of {time}',
    'links.new': 'New check-in link',
    'links.new.intro': 'A check-in link lets a volunteer check people in to this event from a phone, and nothing else. Make one per door or per volunteer.',
    'links.label': 'Name of the link',
    'links.label.hint': 'For example “Door A” or the volunteer’s first name. It shows in the list below.',
    'links.expires': 'Valid until',
    'links.expires.hint': 'In the event’s time zone. Empty: 12 hours after the event ends.',
    'links.create': 'Create the link',
    'links.created': 'Link “{label}” created.',
    'links.created.once': 'Give this address to the volunteer now: it is shown only once. Anyone with it can check people in to this event until {time}.',
    'links.url': 'Check-in address',
    'links.copy': 'Copy the address',
    'links.copied': 'Address copied.',
    'links.copy.failed': 'Copy did not work: select the address and copy it by hand.',
    'links.list': 'Check-in links',
    'links.none': 'No check-in link yet.',
    'links.col.label': 'Link',
    'links.col.state': 'State',
    'links.col.use': 'Use',
    'links.valid_until': 'Valid until {time}',
    'links.checkins.one': '{n} check-in',
    'links.checkins.other': '{n} check-ins',
    'links.undos.one': '{n} undone',
    'links.undos.other': '{n} undone',
    'links.last_used': 'Last used {time}',
    'links.col.devices': 'Phones',
    'links.col.actions': 'Actions',
    'links.created_at': 'Created {time}',
    'links.state.active': 'Active',
    'links.state.expired': 'Expired',
    'links.state.revoked': 'Revoked',
    'links.never': 'Never used',
    'links.revoke': 'Revoke',
    'links.revoke.label': 'Revoke the link {label}',
    'links.revoke.confirm.title': 'Revoke “{label}”?',
    'links.revoke.confirm.text': 'The volunteers using this link can no longer check anyone in; their phones say so at the next scan. Check-ins already made stay.',
    'links.revoke.confirm.yes': 'Revoke the link',
    'links.revoked': 'Link “{label}” revoked.',
  },
  fr: {
    'links.title': 'Accueil à l’entrée',
    'links.back': 'Retour à l’événement',
    'links.counts': 'À l’entrée en ce moment',
    'links.counts.in_person.one': 'En personne : {checked} arrivée sur {expected}',
    'links.counts.in_person.other': 'En personne : {checked} arrivées sur {expected}',
    'links.counts.online': 'Personnes inscrites en ligne venues sur place : {n}',
    'links.counts.live': 'En direct',
    'links.counts.connecting': 'Connexion…',
    'links.counts.stale': 'À {time}',
    'links.new': 'Nouveau lien d’accueil',
    'links.new.intro': 'Un lien d’accueil permet à un ou une bénévole d’enregistrer les arrivées à cet événement depuis un téléphone, et rien d’autre. Créez-en un par porte ou par bénévole.',
    'links.label': 'Nom du lien',
    'links.label.hint': 'Par exemple « Porte A » ou le prénom de la personne bénévole. Il s’affiche dans la liste ci-dessous.',
    'links.expires': 'Valide jusqu’au',
    'links.expires.hint': 'Dans le fuseau horaire de l’événement. Vide : 12 heures après la fin de l’événement.',
    'links.create': 'Créer le lien',
    'links.created': 'Lien « {label} » créé.',
    'links.created.once': 'Remettez cette adresse à la personne bénévole maintenant : elle ne s’affiche qu’une fois. Quiconque l’a peut enregistrer des arrivées à cet événement jusqu’au {time}.',
    'links.url': 'Adresse d’accueil',
    'links.copy': 'Copier l’adresse',
    'links.copied': 'Adresse copiée.',
    'links.copy.failed': 'La copie n’a pas fonctionné : sélectionnez l’adresse et copiez-la à la main.',
    'links.list': 'Liens d’accueil',
    'links.none': 'Aucun lien d’accueil pour le moment.',
    'links.col.label': 'Lien',
    'links.col.state': 'État',
    'links.col.use': 'Utilisation',
    'links.valid_until': 'Valide jusqu’au {time}',
    'links.checkins.one': '{n} arrivée',
    'links.checkins.other': '{n} arrivées',
    'links.undos.one': '{n} annulée',
    'links.undos.other': '{n} annulées',
    'links.last_used': 'Dernière utilisation le {time}',
    'links.col.devices': 'Téléphones',
    'links.col.actions': 'Actions',
    'links.created_at': 'Créé le {time}',
    'links.state.active': 'Actif',
    'links.state.expired': 'Expiré',
    'links.state.revoked': 'Révoqué',
    'links.never': 'Jamais utilisé',
    'links.revoke': 'Révoquer',
    'links.revoke.label': 'Révoquer le lien {label}',
    'links.revoke.confirm.title': 'Révoquer « {label} »?',
    'links.revoke.confirm.text': 'Les bénévoles qui utilisent ce lien ne peuvent plus enregistrer d’arrivées; leur téléphone l’indique à la lecture suivante. Les arrivées déjà enregistrées restent.',
    'links.revoke.confirm.yes': 'Révoquer le lien',
    'links.revoked': 'Lien « {label} » révoqué.',
  },
});

const STATE_BADGE = { active: 'confirmed', expired: 'draft', revoked: 'cancelled' };

function countsBlock(format) {
  const box = h('div', { class: 'live-counts', id: 'live-counts' });
  let state = 'connecting';
  let counts = null;
  let at = null;
  const draw = () => {
    const c = counts || { in_person: { checked_in: 0, expected: 0 }, online: { checked_in: 0, expected: 0 } };
    const stateText = state === 'live' ? t('links.counts.live') : state === 'connecting' ? t('links.counts.connecting') : at ? t('links.counts.stale', { time: clock(new Date(at)) }) : '';
    replace(
      box,
      h('p', { class: 'live-count', id: 'live-in-person' }, tn('links.counts.in_person', c.in_person.checked_in, { checked: c.in_person.checked_in, expected: c.in_person.expected })),
      format === 'in_person' ? null : h('p', { class: 'live-count', id: 'live-online' }, t('links.counts.online', { n: c.online.checked_in })),
      h('p', { class: ['door-live', `door-live-${state}`] }, h('span', { class: 'door-live-dot', 'aria-hidden': 'true' }), stateText),
    );
  };
  draw();
  return {
    box,
    set(next) {
      counts = next;
      at = next.at || new Date().toISOString();
      draw();
    },
    state(next) {
      state = next;
      draw();
    },
  };
}

function createdBox(created, tz) {
  const urlId = 'link-url';
  const status = h('p', { class: 'hint', id: 'link-copy-status', role: 'status' });
  const input = h('input', { type: 'text', id: urlId, readonly: true, value: created.url, class: 'link-url', 'aria-describedby': 'link-once' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button',
      id: 'link-copy',
      on: {
        click: async () => {
          try {
            await navigator.clipboard.writeText(created.url);
            status.textContent = t('links.copied');
          } catch {
            input.select();
            status.textContent = t('links.copy.failed');
          }
        },
      },
    },
    t('links.copy'),
  );
  input.addEventListener('focus', () => input.select());
  return h(
    'div',
    { class: 'notice notice-success created-link', id: 'created-link', tabindex: '-1', role: 'status' },
    h('h3', {}, t('links.created', { label: created.label })),
    h('p', { id: 'link-once' }, t('links.created.once', { time: when(created.expires_at, tz) })),
    h('label', { for: urlId }, t('links.url')),
    h('div', { class: 'copy-row' }, input, copy),
    status,
  );
}

function linksTable(links, tz, onRevoke) {
  if (!links.length) return h('p', { class: 'muted', id: 'links-none' }, t('links.none'));
  return dataTable({
    id: 'links-table',
    stack: true,
    caption: t('links.list'),
    head: ['links.col.label', 'links.col.state', 'links.col.use', 'links.col.devices', 'links.col.actions'].map(t),
    rows: links.map((l) =>
      h(
        'tr',
        { dataset: { link: l.id } },
        h(
          'th',
          { scope: 'row' },
          l.label,
          h('br'),
          h('span', { class: 'muted small' }, t('links.created_at', { time: when(l.created_at, tz) })),
          h('br'),
          h('span', { class: 'muted small' }, t('links.valid_until', { time: when(l.expires_at, tz) })),
        ),
        h('td', {}, h('span', { class: `badge badge-${STATE_BADGE[l.state] || 'draft'}` }, t(`links.state.${l.state}`))),
        h(
          'td',
          { class: 'link-use' },
          tn('links.checkins', l.checkins),
          h('br'),
          tn('links.undos', l.undos),
          h('br'),
          h('span', { class: 'muted small' }, l.last_used_at ? t('links.last_used', { time: when(l.last_used_at, tz) }) : t('links.never')),
        ),
        h('td', {}, (l.devices || []).length ? h('ul', { class: 'plain-list' }, l.devices.map((d) => h('li', {}, d))) : '—'),
        h(
          'td',
          {},
          l.state === 'active'
            ? h(
                'button',
                { type: 'button', class: 'button button-danger-quiet button-small', 'aria-label': t('links.revoke.label', { label: l.label }), on: { click: () => onRevoke(l) } },
                t('links.revoke'),
              )
            : null,
        ),
      ),
    ),
  });
}

export default {
  id: 'checkin-links',
  routes: ['/admin/events/:id/checkin'],
  title: () => t('links.title'),
  async render(main, params, ctx) {
    let event;
    try {
      event = await api(`/api/v1/events/${encodeURIComponent(params.id)}`);
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const title = pick(event.title);
    ctx.setTitle(`${t('links.title')}: ${title.text}`);
    const tz = event.timezone;
    const messages = messageArea('links-message');
    const created = h('div', { id: 'created-holder' });
    const list = h('div', { id: 'links-list' });

    const counts = countsBlock(event.format);
    const live = watchCounts({
      url: () => `/api/v1/events/${event.id}/live`,
      poll: () => api(`/api/v1/events/${event.id}/checkin/counts`),
      onCounts: (c) => counts.set(c),
      onState: (s) => counts.state(s),
    });
    ctx.onLeave(() => live.stop());

    const loadLinks = async () => {
      try {
        const data = await api(`/api/v1/events/${event.id}/checkin-links`);
        replace(list, linksTable(data.links || [], tz, revoke));
      } catch (err) {
        ctx.fail(err, list, loadLinks);
      }
    };

    const revoke = async (link) => {
      const yes = await confirmDialog({
        title: t('links.revoke.confirm.title', { label: link.label }),
        text: t('links.revoke.confirm.text'),
        yes: t('links.revoke.confirm.yes'),
        no: t('common.cancel'),
        danger: true,
      });
      if (!yes) return;
      try {
        await api(`/api/v1/events/${event.id}/checkin-links/${link.id}/revoke`, { method: 'POST' });
        await loadLinks();
        messages.say('success', t('links.revoked', { label: link.label }));
      } catch (err) {
        messages.say('error', explain(err));
      }
    };

    const form = h(
      'form',
      { id: 'link-form', novalidate: true },
      field({ label: t('links.label'), path: 'label', hint: t('links.label.hint'), attrs: { maxlength: '100', autocomplete: 'off' } }),
      field({ label: t('links.expires'), path: 'expires_at', type: 'datetime-local', hint: t('links.expires.hint') }),
      h('button', { type: 'submit', class: 'button', id: 'link-create' }, t('links.create')),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const label = form.querySelector('[data-path="label"]').value.trim();
      const expires = form.querySelector('[data-path="expires_at"]').value;
      const body = { label };
      if (expires) body.expires_at = expires.length === 16 ? `${expires}:00` : expires;
      try {
        const link = await api(`/api/v1/events/${event.id}/checkin-links`, { method: 'POST', body });
        showErrors(form, {});
        form.reset();
        messages.clear();
        replace(created, createdBox(link, tz));
        document.getElementById('created-link').focus();
        await loadLinks();
      } catch (err) {
        if (err.code === 'validation') {
          showErrors(form, err.fields);
          form.querySelector('[aria-invalid="true"]')?.focus();
        } else messages.say('error', explain(err));
      }
    });

    replace(
      main,
      eventHeading(event, t('links.title'), title, t('links.back')),
      messages.el,
      h(
        'div',
        { class: 'overview-grid' },
        h(
          'div',
          {},
          h('section', { class: 'card', 'aria-labelledby': 'links-new-title' }, h('h2', { id: 'links-new-title' }, t('links.new')), h('p', {}, t('links.new.intro')), created, form),
        ),
        h('div', {}, h('section', { class: 'card', 'aria-labelledby': 'counts-title' }, h('h2', { id: 'counts-title' }, t('links.counts')), counts.box)),
      ),
      h('section', { 'aria-labelledby': 'links-list-title' }, h('h2', { id: 'links-list-title' }, t('links.list')), list),
    );
    await loadLinks();
  },
};
