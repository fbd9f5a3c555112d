// The page shown for an address that does not exist.
import { t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { setTitle, startPage } from '../layout.js';

const main = document.getElementById('main');

startPage(
  {
    nav: [
      { href: '/', key: 'site.nav.upcoming' },
      { href: '/past', key: 'site.nav.past' },
    ],
  },
  () => {
    setTitle(t('notfound.title'));
    replace(
      main,
      h('h1', {}, t('notfound.title')),
      h('p', {}, t('notfound.text')),
      h('p', {}, h('a', { href: '/', class: 'button' }, t('notfound.home'))),
    );
  },
);
