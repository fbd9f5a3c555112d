// Accounts, for admins: who can sign in, with which role; create an account, change a name or a role,
// disable or enable an account.
import { api } from '../api.js';
import { extend, t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { confirmDialog } from '../layout.js';
import { dataTable, explain, messageArea } from './kit.js';
import { collect, field, showErrors } from './ui.js';

extend({
  en: {
    'users.title': 'Accounts',
    'users.nav': 'Accounts',
    'users.intro': 'Organizers manage the events they created or were added to; admins manage every event, the accounts and the audit log.',
    'users.list': 'Accounts',
    'users.col.person': 'Name and email',
    'users.col.role': 'Role and state',
    'users.col.actions': 'Actions',
    'users.role.admin': 'Admin',
    'users.role.organizer': 'Organizer',
    'users.active': 'Active',
    'users.disabled': 'Disabled',
    'users.you': '(you)',
    'users.edit': 'Edit',
    'users.edit.label': 'Edit {name}',
    'users.edit.title': 'Edit {name}',
    'users.save': 'Save',
    'users.saved': 'Changes to {name} saved.',
    'users.disable': 'Disable',
    'users.disable.label': 'Disable the account of {name}',
    'users.enable': 'Enable',
    'users.enable.label': 'Enable the account of {name}',
    'users.disable.confirm.title': 'Disable the account of {name}?',
    'users.disable.confirm.text': '{name} is signed out everywhere and can no longer sign in. Their events stay.',
    'users.disable.confirm.yes': 'Disable',
    'users.disabled.done': 'The account of {name} is disabled.',
    'users.enabled.done': 'The account of {name} is enabled.',
    'users.new': 'New account',
    'users.email': 'Email address',
    'users.name': 'Name',
    'users.role': 'Role',
    'users.password': 'First password',
    'users.password.hint': 'At least 12 characters. Give it to the person by a safe channel.',
    'users.create': 'Create the account',
    'users.created': 'Account of {name} created.',
  },
  fr: {
    'users.title': 'Comptes',
    'users.nav': 'Comptes',
    'users.intro': 'Les organisateurs gèrent les événements qu’ils ont créés ou auxquels on les a ajoutés; les administrateurs gèrent tous les événements, les comptes et le journal d’audit.',
    'users.list': 'Comptes',
    'users.col.person': 'Nom et courriel',
    'users.col.role': 'Rôle et état',
    'users.col.actions': 'Actions',
    'users.role.admin': 'Administrateur',
    'users.role.organizer': 'Organisateur',
    'users.active': 'Actif',
    'users.disabled': 'Désactivé',
    'users.you': '(vous)',
    'users.edit': 'Modifier',
    'users.edit.label': 'Modifier {name}',
    'users.edit.title': 'Modifier {name}',
    'users.save': 'Enregistrer',
    'users.saved': 'Modifications de {name} enregistrées.',
    'users.disable': 'Désactiver',
    'users.disable.label': 'Désactiver le compte de {name}',
    'users.enable': 'Réactiver',
    'users.enable.label': 'Réactiver le compte de {name}',
    'users.disable.confirm.title': 'Désactiver le compte de {name}?',
    'users.disable.confirm.text': '{name} est déconnecté·e partout et ne peut plus se connecter. Ses événements restent.',
    'users.disable.confirm.yes': 'Désactiver',
    'users.disabled.done': 'Le compte de {name} est désactivé.',
    'users.enabled.done': 'Le compte de {name} est réactivé.',
    'users.new': 'Nouveau compte',
    'users.email': 'Adresse courriel',
    'users.name': 'Nom',
    'users.role': 'Rôle',
    'users.password': 'Premier mot de passe',
    'users.password.hint': 'Au moins 12 caractères. Transmettez-le à la personne par un moyen sûr.',
    'users.create': 'Créer le compte',
    'users.created': 'Compte de {name} créé.',
  },
});

const roles = () => ['organizer', 'admin'].map((r) => ({ value: r, label: t(`users.role.${r}`) }));

export default {
  id: 'users',
  routes: ['/admin/users'],
  nav: { key: 'users.nav', href: '/admin/users' },
  adminOnly: true,
  title: () => t('users.title'),
  async render(main, params, ctx) {
    const messages = messageArea('users-message');
    const list = h('div', { id: 'users-list' });
    const editor = h('div', { id: 'user-editor' });
    let me = null;
    try {
      me = await api('/api/v1/auth/me');
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }

    const patch = async (u, body, doneText) => {
      try {
        await api(`/api/v1/users/${u.id}`, { method: 'PATCH', body });
        replace(editor);
        await load();
        messages.say('success', doneText);
        return true;
      } catch (err) {
        if (err.status === 401) ctx.fail(err, main);
        else if (err.code !== 'validation') messages.say('error', explain(err));
        throw err;
      }
    };

    const edit = (u) => {
      const form = h(
        'form',
        { class: 'card narrow-card', id: 'user-edit-form', novalidate: true, 'aria-labelledby': 'user-edit-title' },
        h('h2', { id: 'user-edit-title', tabindex: '-1' }, t('users.edit.title', { name: u.name })),
        field({ label: t('users.name'), path: 'name', value: u.name, required: true }),
        field({ label: t('users.role'), path: 'role', value: u.role, options: roles() }),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'button' }, t('users.save')),
          h('button', { type: 'button', class: 'button button-secondary', on: { click: () => replace(editor) } }, t('common.cancel')),
        ),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const values = collect(form);
        const body = {};
        if ((values.name || '') !== u.name) body.name = values.name || '';
        if (values.role !== u.role) body.role = values.role;
        if (!Object.keys(body).length) {
          replace(editor);
          return;
        }
        try {
          await patch(u, body, t('users.saved', { name: values.name || u.name }));
        } catch (err) {
          if (err.code === 'validation') showErrors(form, err.fields);
        }
      });
      replace(editor, form);
      document.getElementById('user-edit-title').focus();
    };

    const toggle = async (u) => {
      if (!u.disabled) {
        const yes = await confirmDialog({
          title: t('users.disable.confirm.title', { name: u.name }),
          text: t('users.disable.confirm.text', { name: u.name }),
          yes: t('users.disable.confirm.yes'),
          no: t('common.cancel'),
          danger: true,
        });
        if (!yes) return;
      }
      try {
        await patch(u, { disabled: !u.disabled }, t(u.disabled ? 'users.enabled.done' : 'users.disabled.done', { name: u.name }));
      } catch {
        // Said in the message area.
      }
    };

    const load = async () => {
      try {
        const users = (await api('/api/v1/users')).users || [];
        replace(
          list,
          dataTable({
            id: 'users-table',
            stack: true,
            caption: t('users.list'),
            head: ['users.col.person', 'users.col.role', 'users.col.actions'].map(t),
            rows: users.map((u) =>
              h(
                'tr',
                { dataset: { user: u.id } },
                h(
                  'th',
                  { scope: 'row' },
                  u.name,
                  u.id === me.id ? [' ', h('span', { class: 'muted small person-email' }, t('users.you'))] : null,
                  h('br'),
                  h('span', { class: 'muted small person-email' }, u.email),
                ),
                h(
                  'td',
                  {},
                  t(`users.role.${u.role}`),
                  h('br'),
                  h('span', { class: `badge badge-${u.disabled ? 'cancelled' : 'confirmed'}` }, t(u.disabled ? 'users.disabled' : 'users.active')),
                ),
                h(
                  'td',
                  {},
                  h(
                    'div',
                    { class: 'row-actions' },
                    h(
                      'button',
                      { type: 'button', class: 'button button-secondary button-small', 'aria-label': t('users.edit.label', { name: u.name }), on: { click: () => edit(u) } },
                      t('users.edit'),
                    ),
                    u.id === me.id
                      ? null
                      : h(
                          'button',
                          {
                            type: 'button',
                            class: ['button', 'button-small', u.disabled ? 'button-secondary' : 'button-danger-quiet'],
                            'aria-label': t(u.disabled ? 'users.enable.label' : 'users.disable.label', { name: u.name }),
                            on: { click: () => toggle(u) },
                          },
                          t(u.disabled ? 'users.enable' : 'users.disable'),
                        ),
                  ),
                ),
              ),
            ),
          }),
        );
      } catch (err) {
        ctx.fail(err, list, load);
      }
    };

    const form = h(
      'form',
      { id: 'user-form', novalidate: true },
      field({ label: t('users.email'), path: 'email', type: 'email', required: true, attrs: { autocomplete: 'off' } }),
      field({ label: t('users.name'), path: 'name', required: true, attrs: { autocomplete: 'off' } }),
      field({ label: t('users.role'), path: 'role', value: 'organizer', options: roles() }),
      field({ label: t('users.password'), path: 'password', type: 'password', required: true, hint: t('users.password.hint'), attrs: { autocomplete: 'new-password' } }),
      h('button', { type: 'submit', class: 'button', id: 'user-create' }, t('users.create')),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = collect(form);
      const password = form.querySelector('[data-path="password"]').value;
      try {
        const created = await api('/api/v1/users', {
          method: 'POST',
          body: { email: values.email || '', name: values.name || '', role: values.role, password },
        });
        showErrors(form, {});
        form.reset();
        await load();
        messages.say('success', t('users.created', { name: created.name }));
      } catch (err) {
        if (err.code === 'validation') {
          showErrors(form, err.fields);
          form.querySelector('[aria-invalid="true"]')?.focus();
        } else if (err.status === 401) ctx.fail(err, main);
        else messages.say('error', explain(err));
      }
    });

    replace(
      main,
      h('h1', { id: 'page-title', tabindex: '-1' }, t('users.title')),
      h('p', { class: 'lead' }, t('users.intro')),
      messages.el,
      list,
      editor,
      h('section', { class: 'card narrow-card', 'aria-labelledby': 'user-new-title' }, h('h2', { id: 'user-new-title' }, t('users.new')), form),
    );
    await load();
  },
};
