// The organizers of one event: who may manage it; add a colleague by the email of their account, remove one.
import { api } from '../api.js';
import { extend, pick, t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { confirmDialog } from '../layout.js';
import { dataTable, eventHeading, explain, messageArea } from './kit.js';
import { field, showErrors } from './ui.js';

extend({
  en: {
    'team.title': 'Event team',
    'team.back': 'Back to the event',
    'team.intro': 'These accounts can manage this event: edit it, see its registrations and reports, make check-in links.',
    'team.list': 'Organizers of this event',
    'team.col.name': 'Name',
    'team.col.email': 'Email',
    'team.col.role': 'Account',
    'team.col.actions': 'Actions',
    'team.owner': 'Owner',
    'team.role.admin': 'Admin',
    'team.role.organizer': 'Organizer',
    'team.add': 'Add an organizer',
    'team.add.email': 'Email of their account',
    'team.add.hint': 'They need an organizer account first; an admin creates accounts.',
    'team.add.submit': 'Add to the team',
    'team.added': '{email} can now manage this event.',
    'team.no_account': 'No active account has this email address. An admin creates accounts first.',
    'team.remove': 'Remove',
    'team.remove.label': 'Remove {name} from the team',
    'team.remove.confirm.title': 'Remove {name} from the team?',
    'team.remove.confirm.text': '{name} can no longer manage this event. Admins can still manage every event.',
    'team.remove.confirm.yes': 'Remove',
    'team.removed': '{name} was removed from the team.',
  },
  fr: {
    'team.title': 'Équipe de l’événement',
    'team.back': 'Retour à l’événement',
    'team.intro': 'Ces comptes peuvent gérer cet événement : le modifier, voir ses inscriptions et son bilan, créer des liens d’accueil.',
    'team.list': 'Organisateurs de cet événement',
    'team.col.name': 'Nom',
    'team.col.email': 'Courriel',
    'team.col.role': 'Compte',
    'team.col.actions': 'Actions',
    'team.owner': 'Propriétaire',
    'team.role.admin': 'Administrateur',
    'team.role.organizer': 'Organisateur',
    'team.add': 'Ajouter un organisateur',
    'team.add.email': 'Courriel de son compte',
    'team.add.hint': 'La personne doit d’abord avoir un compte d’organisateur; un administrateur crée les comptes.',
    'team.add.submit': 'Ajouter à l’équipe',
    'team.added': '{email} peut maintenant gérer cet événement.',
    'team.no_account': 'Aucun compte actif n’a cette adresse courriel. Un administrateur doit d’abord créer le compte.',
    'team.remove': 'Retirer',
    'team.remove.label': 'Retirer {name} de l’équipe',
    'team.remove.confirm.title': 'Retirer {name} de l’équipe?',
    'team.remove.confirm.text': '{name} ne pourra plus gérer cet événement. Les administrateurs peuvent toujours gérer tous les événements.',
    'team.remove.confirm.yes': 'Retirer',
    'team.removed': '{name} a été retiré·e de l’équipe.',
  },
});

export default {
  id: 'team',
  routes: ['/admin/events/:id/team'],
  title: () => t('team.title'),
  async render(main, params, ctx) {
    let event;
    try {
      event = await api(`/api/v1/events/${encodeURIComponent(params.id)}`);
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const title = pick(event.title);
    ctx.setTitle(`${t('team.title')}: ${title.text}`);
    const messages = messageArea('team-message');
    const list = h('div', { id: 'team-list' });
    const base = `/api/v1/events/${event.id}/organizers`;

    const draw = (organizers) =>
      replace(
        list,
        dataTable({
          id: 'team-table',
          stack: true,
          caption: t('team.list'),
          head: ['team.col.name', 'team.col.email', 'team.col.role', 'team.col.actions'].map(t),
          rows: organizers.map((o) =>
            h(
              'tr',
              { dataset: { user: o.id } },
              h('th', { scope: 'row' }, o.name || o.email),
              h('td', {}, o.email),
              h('td', {}, t(`team.role.${o.role}`), o.owner ? [' ', h('span', { class: 'badge badge-confirmed' }, t('team.owner'))] : null),
              h(
                'td',
                {},
                o.owner
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'button button-danger-quiet button-small',
                        'aria-label': t('team.remove.label', { name: o.name || o.email }),
                        on: { click: () => remove(o) },
                      },
                      t('team.remove'),
                    ),
              ),
            ),
          ),
        }),
      );

    const load = async () => {
      try {
        draw((await api(base)).organizers || []);
      } catch (err) {
        ctx.fail(err, list, load);
      }
    };

    const remove = async (o) => {
      const name = o.name || o.email;
      const yes = await confirmDialog({
        title: t('team.remove.confirm.title', { name }),
        text: t('team.remove.confirm.text', { name }),
        yes: t('team.remove.confirm.yes'),
        no: t('common.cancel'),
        danger: true,
      });
      if (!yes) return;
      try {
        await api(`${base}/${o.id}`, { method: 'DELETE' });
        await load();
        messages.say('success', t('team.removed', { name }));
      } catch (err) {
        if (err.status === 401) ctx.fail(err, main);
        else messages.say('error', explain(err));
      }
    };

    const form = h(
      'form',
      { id: 'team-form', novalidate: true },
      field({ label: t('team.add.email'), path: 'email', type: 'email', required: true, hint: t('team.add.hint'), attrs: { autocomplete: 'off' } }),
      h('button', { type: 'submit', class: 'button', id: 'team-add' }, t('team.add.submit')),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const input = form.querySelector('[data-path="email"]');
      const email = input.value.trim();
      if (!email) {
        showErrors(form, { email: 'is required' });
        input.focus();
        return;
      }
      try {
        const answer = await api(base, { method: 'POST', body: { email } });
        showErrors(form, {});
        input.value = '';
        draw(answer.organizers || []);
        messages.say('success', t('team.added', { email }));
      } catch (err) {
        if (err.code === 'validation') {
          showErrors(form, err.fields.email ? { email: t('team.no_account') } : err.fields);
          input.focus();
        } else if (err.status === 401) ctx.fail(err, main);
        else messages.say('error', explain(err));
      }
    });

    replace(
      main,
      eventHeading(event, t('team.title'), title, t('team.back')),
      h('p', {}, t('team.intro')),
      messages.el,
      list,
      h('section', { class: 'card narrow-card', 'aria-labelledby': 'team-add-title' }, h('h2', { id: 'team-add-title' }, t('team.add')), form),
    );
    await load();
  },
};
