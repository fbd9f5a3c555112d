// Organizer sign-in.
import { t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { signIn } from './session.js';
import { field, notice, showErrors } from './ui.js';

export default {
  id: 'login',
  routes: ['/admin/login'],
  public: true,
  title: () => t('login.title'),
  render(main, params, ctx) {
    const status = h('div', { id: 'login-status' });
    const form = h(
      'form',
      { class: 'card login-form', novalidate: true, 'aria-labelledby': 'page-title' },
      field({ label: t('login.email'), path: 'email', type: 'email', required: true, attrs: { autocomplete: 'username' } }),
      field({ label: t('login.password'), path: 'password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
      h('button', { type: 'submit', class: 'button button-block', id: 'login-submit' }, t('login.submit')),
    );
    if (ctx.flash) status.append(notice('info', ctx.flash));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const email = form.querySelector('[data-path="email"]').value.trim();
      const password = form.querySelector('[data-path="password"]').value;
      const missing = {};
      if (!email) missing.email = 'is required';
      if (!password) missing.password = 'is required';
      if (showErrors(form, missing)) {
        form.querySelector('[aria-invalid="true"]').focus();
        return;
      }
      try {
        await signIn(email, password);
        const next = new URLSearchParams(location.search).get('next');
        ctx.signedIn(next && next.startsWith('/admin') && !next.startsWith('/admin/login') ? next : '/admin');
      } catch (err) {
        let text = t('common.error.server');
        if (err.status === 401) text = t('login.wrong');
        else if (err.code === 'rate_limited') text = t('common.error.rate', { seconds: err.retryAfter || 60 });
        else if (err.status === 0) text = t('common.error.network');
        else if (err.code === 'validation') {
          showErrors(form, err.fields);
          return;
        }
        replace(status, notice('error', text, 'login-error'));
        document.getElementById('login-error').focus();
      }
    });
    replace(
      main,
      h(
        'div',
        { class: 'login' },
        h('h1', { id: 'page-title', tabindex: '-1' }, t('login.title')),
        h('p', {}, t('login.intro')),
        status,
        form,
      ),
    );
  },
};
